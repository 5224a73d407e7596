"""Organisations and onboarding.

Public: the access request page and the invitation link. Employer portal (/werkgever/): the
overview and the employer's own organisation, its locations and contact people — employer users
with an organisation only (others 403), every object fetched within `request.user.organisation`
(another organisation's gets 404). Dashboard (/dashboard/): coordinators and administrators
only, organisations through `Organisation.objects.visible_to(user)`, access requests of their
regions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from contactpunt.access import dashboard_view, employer_view
from contactpunt.exports import requested_format
from contactpunt.mail import site_url
from contactpunt.models import Region, User
from contactpunt.views import rate_limited

from .. import exports, onboarding
from ..forms.organisations import (
    AccessRequestDecisionForm,
    AccessRequestForm,
    ContactPersonForm,
    InvitationAcceptForm,
    InvitationForm,
    LocationForm,
    OrganisationCreateForm,
    OrganisationForm,
    colleagues,
)
from ..models import (
    DATED_KINDS,
    AccessRequest,
    CohortPledge,
    ContactPerson,
    Introduction,
    Invitation,
    Location,
    Offer,
    Organisation,
    Registration,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


# Public: access requests ---------------------------------------------------------------------------

ACCESS_REQUEST_DONE = "access_request_done"


def _access_request_rate(group: str, request: HttpRequest) -> str:
    """Read at request time, so that a test or an operator can change the limit."""
    return getattr(settings, "ACCESS_REQUEST_RATE_LIMIT", "5/h")


@login_not_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_access_request_rate, method="POST", block=False)
def access_request(request: HttpRequest) -> HttpResponse:
    """An employer asks for access to the portal; a coordinator of the region decides."""
    if request.method == "POST":
        if request.limited:
            logger.warning("Access request refused: rate limit reached")
            return rate_limited(request)
        form = AccessRequestForm(request.POST)
        if form.is_bot:
            logger.warning("Access request refused: the hidden field was filled in")
            return render(request, "werkgevers/organisations/access_request_refused.html", status=429)
        if form.is_valid():
            created = onboarding.access_request_submit(details=form.details(), base_url=site_url(request))
            request.session[ACCESS_REQUEST_DONE] = {
                "organisation": created.organisation_name,
                "region": created.region.name if created.region else "",
            }
            return redirect("werkgevers:access_request_done")
    else:
        form = AccessRequestForm()
    return render(request, "werkgevers/organisations/access_request.html", {"form": form})


@login_not_required
@require_GET
@never_cache
def access_request_done(request: HttpRequest) -> HttpResponse:
    done = request.session.pop(ACCESS_REQUEST_DONE, None) or {}
    return render(
        request,
        "werkgevers/organisations/access_request_done.html",
        {"organisation_name": done.get("organisation", ""), "region_name": done.get("region", "")},
    )


# Public: the invitation link -----------------------------------------------------------------------

# The link's token moves into the session at once and the page continues at this address, so the
# token stays out of the address bar, the browser history and the Referer of later requests.
INVITATION_SESSION_KEY = "invitation_token"
INVITATION_PLACEHOLDER = "wachtwoord-kiezen"


def _invitation_invalid(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """Unknown link: 404; used or expired: 410 — both with the same friendly advice."""
    status = 404 if invitation is None else 410
    context = {
        "used": invitation is not None and invitation.accepted_at is not None,
        "expired": invitation is not None and invitation.accepted_at is None,
    }
    return render(request, "werkgevers/organisations/invitation_invalid.html", context, status=status)


def _invitation_problem(request: HttpRequest, problem: str) -> HttpResponse:
    return render(request, "werkgevers/organisations/invitation_invalid.html", {"problem": problem}, status=409)


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    if token != INVITATION_PLACEHOLDER:
        invitation = onboarding.invitation_for_token(token)
        if invitation is None or not invitation.is_usable:
            return _invitation_invalid(request, invitation)
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("werkgevers:invitation_accept", token=INVITATION_PLACEHOLDER)

    invitation = onboarding.invitation_for_token(request.session.get(INVITATION_SESSION_KEY, ""))
    if invitation is None or not invitation.is_usable:
        return _invitation_invalid(request, invitation)
    if conflict := onboarding.email_conflict(email=invitation.email, organisation=invitation.organisation):
        # The address became a coordinator's or another organisation's after the invitation was sent.
        return _invitation_problem(request, conflict)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    account = existing or User(
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        role=User.Role.EMPLOYER,
    )
    form = InvitationAcceptForm(account, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = onboarding.invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except onboarding.InvitationUnusable:
            invitation.refresh_from_db()
            return _invitation_invalid(request, invitation)
        except onboarding.OnboardingError as error:
            return _invitation_problem(request, error.message)
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend="contactpunt.backends.PortalBackend")
        messages.success(
            request,
            _("Welcome! Your account for %(organisation)s is ready.") % {"organisation": invitation.organisation},
        )
        return redirect("werkgevers:employer_home")
    return render(
        request,
        "werkgevers/organisations/invitation_accept.html",
        {"form": form, "invitation": invitation, "existing": existing is not None},
    )


# Employer portal -----------------------------------------------------------------------------------


def employer_organisation_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Employer users of an organisation only; the organisation is passed to the view."""

    @employer_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        organisation = get_object_or_404(
            Organisation.objects.select_related("home_region"), pk=request.user.organisation_id
        )
        return view(request, organisation, *args, **kwargs)

    return wrapper


@require_GET
@employer_organisation_view
def employer_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The employer's overview: what is running and what waits for them."""
    now = timezone.now()
    active_registrations = Registration.objects.filter(offer=OuterRef("pk"), status__in=Registration.ACTIVE)
    offers = Offer.objects.filter(organisation=organisation).aggregate(
        published=Count("pk", filter=Q(status=Offer.Status.PUBLISHED)),
        upcoming_with_signups=Count(
            "pk",
            filter=Q(
                kind__in=DATED_KINDS,
                starts_at__gt=now,
                status__in=[Offer.Status.PUBLISHED, Offer.Status.FULL],
            )
            & Q(Exists(active_registrations)),
        ),
    )
    counts = {
        **offers,
        "open_introductions": Introduction.objects.filter(
            offer__organisation=organisation, status=Introduction.Status.PROPOSED
        ).count(),
        "cohorts": CohortPledge.objects.filter(organisation=organisation).count(),
    }
    setup = Organisation.objects.filter(pk=organisation.pk).aggregate(
        locations=Count("locations", filter=Q(locations__active=True), distinct=True),
        contact_people=Count("contact_people", filter=Q(contact_people__active=True), distinct=True),
    )
    return render(
        request,
        "werkgevers/organisations/employer_home.html",
        {"organisation": organisation, "counts": counts, "setup": setup},
    )


def _organisation_page(
    request: HttpRequest, organisation: Organisation, form: OrganisationForm, status: int = 200
) -> HttpResponse:
    context = {
        "organisation": organisation,
        "form": form,
        "locations": organisation.locations.select_related("region").order_by("-active", "name"),
        "contact_people": organisation.contact_people.select_related("user").order_by("-active", "name"),
        "colleagues": colleagues(organisation),
    }
    return render(request, "werkgevers/organisations/organisation_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@employer_organisation_view
def organisation_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "POST":
        form = OrganisationForm(request.POST, request.FILES, instance=Organisation.objects.get(pk=organisation.pk))
        if form.is_valid():
            onboarding.organisation_update(
                organisation=organisation,
                details=form.details(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
            messages.success(request, _("The details of your organisation have been saved."))
            return redirect("werkgevers:organisation_edit")
        return _organisation_page(request, organisation, form)
    return _organisation_page(request, organisation, OrganisationForm(instance=organisation))


def _region_message(location: Location) -> str:
    if location.region:
        return _("Location %(name)s has been saved. Contact point: %(region)s.") % {
            "name": location.name,
            "region": location.region,
        }
    return _(
        "Location %(name)s has been saved. No contact point serves this postcode yet, so coordinators "
        "do not find offers at this location by region."
    ) % {"name": location.name}


@require_http_methods(["GET", "POST"])
@employer_organisation_view
def location_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = LocationForm(request.POST if request.method == "POST" else None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        location = form.save(commit=False)
        location.organisation = organisation
        onboarding.location_save(location=location)
        messages.success(request, _region_message(location))
        return redirect("werkgevers:organisation_edit")
    return render(request, "werkgevers/organisations/location_form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
@employer_organisation_view
def location_edit(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    location = get_object_or_404(Location.objects.filter(organisation=organisation).select_related("region"), pk=pk)
    if request.method == "POST" and "remove" in request.POST:
        removal = onboarding.location_remove(location=location)
        if removal.deleted:
            messages.success(request, _("Location %(name)s has been removed.") % {"name": location.name})
        else:
            messages.info(
                request,
                _("Offers use location %(name)s, so it has been made inactive instead of removed.")
                % {"name": location.name},
            )
        return redirect("werkgevers:organisation_edit")
    form = LocationForm(request.POST if request.method == "POST" else None, instance=location)
    if request.method == "POST" and form.is_valid():
        onboarding.location_save(location=form.save(commit=False))
        messages.success(request, _region_message(location))
        return redirect("werkgevers:organisation_edit")
    if form.is_bound:
        location.refresh_from_db()  # validating wrote the typed values into it; show the saved ones
    return render(
        request,
        "werkgevers/organisations/location_form.html",
        {"form": form, "organisation": organisation, "location": location, "in_use": location.offers.exists()},
    )


@require_http_methods(["GET", "POST"])
@employer_organisation_view
def contact_person_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = ContactPersonForm(
        request.POST if request.method == "POST" else None, organisation=organisation, initial={"active": True}
    )
    if request.method == "POST" and form.is_valid():
        contact_person = form.save(commit=False)
        contact_person.organisation = organisation
        contact_person.save()
        messages.success(request, _("Contact person %(name)s has been saved.") % {"name": contact_person.name})
        return redirect("werkgevers:organisation_edit")
    return render(
        request, "werkgevers/organisations/contact_person_form.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
@employer_organisation_view
def contact_person_edit(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    contact_person = get_object_or_404(ContactPerson.objects.filter(organisation=organisation), pk=pk)
    if request.method == "POST" and "remove" in request.POST:
        removal = onboarding.contact_person_remove(contact_person=contact_person)
        if removal.deleted:
            messages.success(request, _("Contact person %(name)s has been removed.") % {"name": contact_person.name})
        else:
            messages.info(
                request,
                _("Offers name %(name)s as contact person, so they have been made inactive instead of removed.")
                % {"name": contact_person.name},
            )
        return redirect("werkgevers:organisation_edit")
    form = ContactPersonForm(
        request.POST if request.method == "POST" else None, instance=contact_person, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact person %(name)s has been saved.") % {"name": contact_person.name})
        return redirect("werkgevers:organisation_edit")
    if form.is_bound:
        contact_person.refresh_from_db()  # validating wrote the typed values into it; show the saved ones
    return render(
        request,
        "werkgevers/organisations/contact_person_form.html",
        {
            "form": form,
            "organisation": organisation,
            "contact_person": contact_person,
            "in_use": contact_person.offers.exists(),
        },
    )


# Dashboard: organisations --------------------------------------------------------------------------


def _count(queryset: QuerySet, link: str = "organisation") -> Coalesce:
    """A correlated COUNT per organisation: one query for the whole page, whatever its length."""
    counted = (
        queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(total=Count("pk")).values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def organisations_for_list(user: User) -> QuerySet[Organisation]:
    """Organisations the user may see, with the counts the list shows."""
    visible = Organisation.objects.visible_to(user).values("pk")
    return (
        Organisation.objects.filter(pk__in=visible)
        .select_related("home_region")
        .annotate(
            location_count=_count(Location.objects.filter(active=True)),
            published_offer_count=_count(Offer.objects.filter(status=Offer.Status.PUBLISHED)),
            employer_count=_count(User.objects.filter(role=User.Role.EMPLOYER, is_active=True)),
        )
        .order_by("name", "pk")
    )


def _search_text(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


def _searched_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """The list as searched: by name, or by the start of the KvK number."""
    search = _search_text(request)
    organisations = organisations_for_list(request.user)
    if search:
        compact = search.replace(" ", "")
        condition = Q(name__icontains=search)
        if compact.isdigit():
            condition |= Q(kvk_number__startswith=compact)
        organisations = organisations.filter(condition)
    return organisations


def _render_organisations(request: HttpRequest, form: OrganisationCreateForm, status: int = 200) -> HttpResponse:
    search = _search_text(request)
    organisations = _searched_organisations(request)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    pending = _visible_access_requests(request.user).filter(status=AccessRequest.Status.PENDING).count()
    return render(
        request,
        "werkgevers/organisations/organisations.html",
        {
            "page": page,
            "search": search,
            "form": form,
            "pending_requests": pending,
            "show_region": form.several_regions,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@dashboard_view
def organisations(request: HttpRequest) -> HttpResponse:
    """The organisations of the user's regions; the form registers a new one."""
    if request.method == "POST":
        form = OrganisationCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = onboarding.organisation_create(
                    name=data["name"],
                    kvk_number=data["kvk_number"],
                    home_region=data["home_region"],
                    website=data["website"],
                    branches=data["branches"],
                )
            except onboarding.OnboardingError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s has been registered. Invite a colleague of the organisation below.")
                    % {"name": organisation.name},
                )
                return redirect("werkgevers:organisation_detail", pk=organisation.pk)
        return _render_organisations(request, form)
    if export := requested_format(request):
        return exports.export_organisations(request, _searched_organisations(request), export)
    return _render_organisations(request, OrganisationCreateForm(user=request.user))


def _render_organisation(request: HttpRequest, pk: int, form: InvitationForm | None = None) -> HttpResponse:
    now = timezone.now()
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user)
        .select_related("home_region")
        .prefetch_related(
            "branches",
            Prefetch("locations", queryset=Location.objects.select_related("region").order_by("-active", "name")),
            Prefetch(
                "contact_people", queryset=ContactPerson.objects.select_related("user").order_by("-active", "name")
            ),
            Prefetch(
                "users",
                queryset=User.objects.filter(role=User.Role.EMPLOYER).order_by("first_name", "last_name", "email"),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=now)
                .select_related("invited_by")
                .order_by("-created_at"),
                to_attr="pending_invitations",
            ),
        ),
        pk=pk,
    )
    context = {
        "organisation": organisation,
        "form": form or InvitationForm(organisation=organisation),
        "published_offers": Offer.objects.filter(organisation=organisation, status=Offer.Status.PUBLISHED).count(),
    }
    return render(request, "werkgevers/organisations/organisation_detail.html", context)


@require_GET
@dashboard_view
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_organisation(request, pk)


@require_POST
@dashboard_view
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    form = InvitationForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            invitation = onboarding.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                invited_by=request.user,
                base_url=site_url(request),
            )
        except onboarding.OnboardingError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s. The link works for %(days)s days.")
                % {"email": invitation.email, "days": Invitation.VALID_FOR.days},
            )
            return redirect("werkgevers:organisation_detail", pk=organisation.pk)
    return _render_organisation(request, pk, form)


# Dashboard: access requests ------------------------------------------------------------------------


def _visible_access_requests(user: User) -> QuerySet[AccessRequest]:
    """Administrators: every request, also those no region serves; coordinators: their regions'."""
    if user.is_administrator:
        return AccessRequest.objects.all()
    return AccessRequest.objects.filter(region__in=user.regions.all())


def _render_access_requests(
    request: HttpRequest, bound: AccessRequestDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    visible = _visible_access_requests(request.user).select_related("region", "decided_by", "organisation")
    pending = list(
        visible.filter(status=AccessRequest.Status.PENDING)
        .annotate(registered=Exists(Organisation.objects.filter(kvk_number=OuterRef("kvk_number"))))
        .order_by("created_at", "pk")
    )
    # Requests no region serves (administrators only) choose a region: read the regions once.
    regions = list(Region.objects.order_by("name")) if any(item.region_id is None for item in pending) else []
    rows = []
    for item in pending:
        form = bound if bound is not None and bound.access_request.pk == item.pk else None
        rows.append((item, form or AccessRequestDecisionForm(access_request=item, regions=regions)))
    decided = visible.exclude(status=AccessRequest.Status.PENDING).order_by("-decided_at", "-pk")[:20]
    return render(
        request,
        "werkgevers/organisations/access_requests.html",
        {"rows": rows, "decided": decided},
        status=status,
    )


@require_GET
@dashboard_view
def access_requests(request: HttpRequest) -> HttpResponse:
    return _render_access_requests(request)


@require_POST
@dashboard_view
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_visible_access_requests(request.user).select_related("region"), pk=pk)
    if item.status != AccessRequest.Status.PENDING:
        messages.info(request, _already_decided(item))
        return redirect("werkgevers:access_requests")
    form = AccessRequestDecisionForm(request.POST, access_request=item)
    if not form.is_valid():
        return _render_access_requests(request, form)
    try:
        if form.cleaned_data["decision"] == AccessRequestDecisionForm.APPROVE:
            invitation = onboarding.access_request_approve(
                access_request=item,
                actor=request.user,
                base_url=site_url(request),
                region=form.cleaned_data.get("region"),
            )
        else:
            onboarding.access_request_decline(
                access_request=item, actor=request.user, reason=form.cleaned_data["reason"]
            )
    except onboarding.AlreadyDecided:
        item.refresh_from_db()
        messages.info(request, _already_decided(item))
        return redirect("werkgevers:access_requests")
    except onboarding.OnboardingError as error:
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
            return _render_access_requests(request, form)
        messages.error(request, error.message)
        return redirect("werkgevers:access_requests")
    if form.cleaned_data["decision"] == AccessRequestDecisionForm.APPROVE:
        messages.success(
            request,
            _("Approved. %(organisation)s is registered and %(email)s has been invited.")
            % {"organisation": invitation.organisation.name, "email": invitation.email},
        )
        return redirect("werkgevers:organisation_detail", pk=invitation.organisation_id)
    messages.success(
        request,
        _("The request of %(organisation)s has been declined; the requester has been told.")
        % {"organisation": item.organisation_name},
    )
    return redirect("werkgevers:access_requests")


def _already_decided(item: AccessRequest) -> str:
    return _("This request has already been decided: %(status)s.") % {"status": item.get_status_display()}
