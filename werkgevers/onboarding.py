"""Organisations and onboarding: locations, contact people, logos, invitations and access requests.

Writes live here; forms only validate. Every e-mail goes through the outbox (`queue_mail`), so it
is sent once, after commit.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from contactpunt.mail import queue_mail
from contactpunt.models import Region, User
from contactpunt.postcodes import place_for_postcode, route_postcode

from .models import AccessRequest, ContactPerson, Invitation, Location, Organisation, hash_token, new_token


class OnboardingError(Exception):
    """A step of onboarding that cannot be done; the message is for the user (Dutch through gettext)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Logos ---------------------------------------------------------------------------------------------

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
# Pillow format name → file extension. Anything else (SVG, GIF, BMP, TIFF, PDF …) is refused.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class LogoError(ValueError):
    """The upload is not an acceptable logo; the message says why, in the user's language."""


def logo_clean(upload: UploadedFile) -> ContentFile:
    """Check an uploaded logo by its content and return it re-encoded without metadata.

    The file name and the content type the browser sends are never trusted: Pillow decides what
    the file is. PNG, JPEG and WebP only; at most 2 MB and 4000 by 4000 pixels; decompression bombs
    are refused before they are decoded. The result has a random name with the right extension.
    """
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise LogoError(_("The logo is larger than 2 MB. Choose a smaller file."))
    if upload.size == 0:
        raise LogoError(_("The file is empty. Choose a PNG, JPEG or WebP image."))
    upload.seek(0)
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(_("The logo is larger than 2 MB. Choose a smaller file."))
    too_many_pixels = _("The image has too many pixels. Use at most 4000 × 4000 pixels.")
    not_an_image = _("This file is not a PNG, JPEG or WebP image. Choose a logo in one of those formats.")
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that: refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(LOGO_FORMATS)) as image:
                if image.format not in LOGO_FORMATS:
                    raise LogoError(not_an_image)
                width, height = image.size
                if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                    raise LogoError(too_many_pixels)
                if width < 1 or height < 1:
                    raise LogoError(not_an_image)
                image.load()
                return _reencode(image, image.format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError(too_many_pixels) from None
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # A truncated or damaged file, or something that only looks like an image.
        raise LogoError(not_an_image) from None


def _reencode(image: Image.Image, image_format: str) -> ContentFile:
    """Save the pixels again: EXIF, XMP, comments and anything appended to the file are dropped."""
    image = ImageOps.exif_transpose(image) or image
    output = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=90, optimize=True)
    elif image_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(output, "WEBP", quality=90)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            image = image.convert("RGBA")
        image.save(output, "PNG", optimize=True)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{LOGO_FORMATS[image_format]}")


# Organisations, locations, contact people ----------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kvk_number: str,
    home_region: Region,
    website: str = "",
    branches: Any = (),
) -> Organisation:
    """A new employer organisation, onboarded by the contact point of `home_region`."""
    if Organisation.objects.filter(kvk_number=kvk_number).exists():
        raise OnboardingError(_("An organisation with this KvK number is already registered."), field="kvk_number")
    organisation = Organisation.objects.create(
        name=name, kvk_number=kvk_number, home_region=home_region, website=website
    )
    if branches:
        organisation.branches.set(branches)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, details: dict[str, Any], logo: ContentFile | None = None, remove_logo: bool = False
) -> Organisation:
    """Save the details an employer keeps: name, website, branches and logo (already checked)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old_logo = organisation.logo.name if organisation.logo else ""
    organisation.name = details["name"]
    organisation.website = details.get("website", "")
    fields = ["name", "website", "updated_at"]
    if logo is not None:
        organisation.logo.save(logo.name, logo, save=False)
        fields.append("logo")
    elif remove_logo and old_logo:
        organisation.logo = ""
        fields.append("logo")
    organisation.save(update_fields=fields)
    if "branches" in details:
        organisation.branches.set(details["branches"])
    if old_logo and "logo" in fields:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return organisation


def location_save(*, location: Location) -> Location:
    """Save a location; its region always follows its postcode (None: no contact point serves it)."""
    location.region = route_postcode(location.postcode)
    if not location.place:
        location.place = place_for_postcode(location.postcode)
    location.save()
    return location


@dataclass(frozen=True)
class Removal:
    deleted: bool  # False: still in use by offers, so deactivated instead


@transaction.atomic
def location_remove(*, location: Location) -> Removal:
    """Delete a location nobody uses; one that offers refer to is deactivated instead."""
    if location.offers.exists():
        Location.objects.filter(pk=location.pk).update(active=False)
        return Removal(deleted=False)
    location.delete()
    return Removal(deleted=True)


@transaction.atomic
def contact_person_remove(*, contact_person: ContactPerson) -> Removal:
    """Delete a contact person nobody uses; one that offers refer to is deactivated instead."""
    if contact_person.offers.exists():
        ContactPerson.objects.filter(pk=contact_person.pk).update(active=False)
        return Removal(deleted=False)
    contact_person.delete()
    return Removal(deleted=True)


# Invitations ---------------------------------------------------------------------------------------


def invitation_url(token: str) -> str:
    return reverse("werkgevers:invitation_accept", args=[token])


def email_conflict(*, email: str, organisation: Organisation) -> str | None:
    """Why this address cannot become an employer user of `organisation`, or None when it can."""
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is None:
        return None
    if existing.is_employer and existing.organisation_id == organisation.pk:
        return None
    if existing.is_employer:
        return _("This e-mail address already belongs to a user of another organisation. Use another address.")
    return _(
        "This e-mail address already belongs to a coordinator or administrator of the portal. Use another address."
    )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    invited_by: User | None,
    base_url: str,
    access_request: AccessRequest | None = None,
) -> Invitation:
    """Invite an employer user by e-mail: a one-time link to choose a password, valid for seven days.

    Only the hash of the token is stored; the link exists in the e-mail alone. Earlier open
    invitations of the same address to the same organisation stop working.
    """
    email = email.strip().lower()
    if conflict := email_conflict(email=email, organisation=organisation):
        raise OnboardingError(conflict, field="email")
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    token, token_hash = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        first_name=first_name,
        last_name=last_name,
        token_hash=token_hash,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + Invitation.VALID_FOR,
    )
    queue_mail(
        to=email,
        template="werkgevers/email/invitation",
        context={
            "invitation": invitation,
            "organisation": organisation,
            "link": base_url.rstrip("/") + invitation_url(token),
            "invited_by": invited_by,
            "region": organisation.home_region,
            "access_request": access_request,
            "valid_days": Invitation.VALID_FOR.days,
        },
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link belongs to (used or not), or None for a token nobody issued."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()


class InvitationUnusable(Exception):
    """The invitation was used already or has expired."""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Claim the invitation once and give the person an employer account with the chosen password.

    An employer user of the same organisation with this address gets the new password; any
    other user with the address is refused.
    """
    now = timezone.now()
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=now).update(
        accepted_at=now
    )
    if claimed != 1:
        raise InvitationUnusable
    invitation.refresh_from_db()
    organisation = invitation.organisation
    if conflict := email_conflict(email=invitation.email, organisation=organisation):
        raise OnboardingError(conflict)
    user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(
            email=invitation.email.lower(),
            first_name=invitation.first_name,
            last_name=invitation.last_name,
            role=User.Role.EMPLOYER,
            organisation=organisation,
        )
    else:
        # Invited again by the contact point: the account works again with the new password.
        user.is_active = True
        user.first_name = user.first_name or invitation.first_name
        user.last_name = user.last_name or invitation.last_name
    user.set_password(password)
    user.save()
    Invitation.objects.filter(pk=invitation.pk).update(user=user)
    invitation.user = user
    return user


# Access requests -----------------------------------------------------------------------------------


def _region_coordinators(region: Region | None):
    if region is None:
        return User.objects.filter(Q(role=User.Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True)
    return User.objects.coordinators().filter(regions=region)


@transaction.atomic
def access_request_submit(*, details: dict[str, Any], base_url: str) -> AccessRequest:
    """Save a request for access, routed to the region of the postcode; tell the region and the requester."""
    access_request = AccessRequest.objects.create(
        organisation_name=details["organisation_name"],
        kvk_number=details["kvk_number"],
        contact_name=details["contact_name"],
        email=details["email"].strip().lower(),
        phone=details["phone"],
        postcode=details["postcode"],
        message=details.get("message", ""),
        region=route_postcode(details["postcode"]),
    )
    link = base_url.rstrip("/") + reverse("werkgevers:access_requests")
    for recipient in _region_coordinators(access_request.region).order_by("email"):
        queue_mail(
            to=recipient.email,
            template="werkgevers/email/access_request_new",
            context={"access_request": access_request, "recipient": recipient, "link": link},
        )
    queue_mail(
        to=access_request.email,
        template="werkgevers/email/access_request_received",
        context={"access_request": access_request, "region": access_request.region},
    )
    return access_request


class AlreadyDecided(Exception):
    """Someone decided on the access request already."""


def _claim_access_request(access_request: AccessRequest, *, status: str, actor: User, **fields: Any) -> None:
    """Exactly one decision per request: a conditional update, so a second click or a colleague loses."""
    now = timezone.now()
    claimed = AccessRequest.objects.filter(pk=access_request.pk, status=AccessRequest.Status.PENDING).update(
        status=status, decided_by=actor, decided_at=now, **fields
    )
    if claimed != 1:
        raise AlreadyDecided
    access_request.refresh_from_db()


def _first_and_last_name(name: str) -> tuple[str, str]:
    first, _space, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


@transaction.atomic
def access_request_approve(
    *, access_request: AccessRequest, actor: User, base_url: str, region: Region | None = None
) -> Invitation:
    """Approve: create the organisation (or link the registered one with this KvK number, if the
    approver may see it) with a first location at the postcode, and invite the requester.

    Raises AlreadyDecided or OnboardingError (an address of another organisation or of staff, an
    organisation of another contact point); nothing is saved then.
    """
    _claim_access_request(access_request, status=AccessRequest.Status.APPROVED, actor=actor)
    home_region = access_request.region or region
    if home_region is None:
        raise OnboardingError(_("Choose the contact point the organisation belongs to."), field="region")
    organisation = Organisation.objects.filter(kvk_number=access_request.kvk_number).first()
    if organisation is not None and not Organisation.objects.visible_to(actor).filter(pk=organisation.pk).exists():
        raise OnboardingError(
            _(
                "An organisation with this KvK number is registered with another contact point. "
                "Ask an administrator to help."
            )
        )
    if organisation is None:
        organisation = Organisation.objects.create(
            name=access_request.organisation_name, kvk_number=access_request.kvk_number, home_region=home_region
        )
        location_save(
            location=Location(
                organisation=organisation,
                name=access_request.organisation_name[:200],
                street="",
                postcode=access_request.postcode,
                place="",
            )
        )
    AccessRequest.objects.filter(pk=access_request.pk).update(organisation=organisation)
    access_request.organisation = organisation
    first_name, last_name = _first_and_last_name(access_request.contact_name)
    return invitation_create(
        organisation=organisation,
        email=access_request.email,
        first_name=first_name,
        last_name=last_name,
        invited_by=actor,
        base_url=base_url,
        access_request=access_request,
    )


@transaction.atomic
def access_request_decline(*, access_request: AccessRequest, actor: User, reason: str) -> None:
    """Decline with a reason; the requester gets an e-mail with it."""
    if not reason.strip():
        raise OnboardingError(_("Write why you decline the request; the requester reads it."), field="reason")
    _claim_access_request(access_request, status=AccessRequest.Status.DECLINED, actor=actor, decline_reason=reason)
    queue_mail(
        to=access_request.email,
        template="werkgevers/email/access_request_declined",
        context={"access_request": access_request, "region": access_request.region},
    )
