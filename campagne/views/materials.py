"""Campaign materials: coordinators share files (a quick guide, logos, templates) on the dashboard;
employers download them from their portal.

Who shares what where: a coordinator shares with the employers of one of their own regions and may
delete the materials of those regions; materials for every region ("alle regio's") are shared and
deleted by administrators only, so no coordinator puts a file in front of another region's
employers. Everybody downloads what `CampaignMaterial.objects.visible_to` gives them; any other
material is a 404. Files are served through Django as attachments, never from the media folder.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from contactpunt.access import dashboard_view, employer_view
from contactpunt.models import Region, User
from kandidaten.forms import reject_markup

from ..materials import MaterialError, clean_material, manageable_by, material_delete, material_upload
from ..models import CampaignMaterial

ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.webp,.docx,.dotx,.xlsx,.xltx,.pptx,.potx,.ppsx,.odt,.ods,.odp,.odg,.zip,"
    "application/pdf,image/png,image/jpeg,image/webp,application/zip"
)


class MaterialFileField(forms.FileField):
    """The uploaded file, checked by its content (`campagne.materials.clean_material`)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        try:
            return clean_material(upload)
        except MaterialError as error:
            raise ValidationError(str(error), code="material") from None


class MaterialForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, validators=[reject_markup])
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_markup],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CampaignMaterial.Kind.choices)
    region = forms.ModelChoiceField(
        label=gettext_lazy("For employers in"), queryset=Region.objects.none(), required=True
    )
    file = MaterialFileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "PDF, PNG, JPEG or WebP, Word, Excel or PowerPoint (also templates), OpenDocument or ZIP; at most 25 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": gettext_lazy("Choose the file to share."),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose the file to share."),
        },
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        if user.is_administrator:
            region.queryset = Region.objects.order_by("name")
            region.required = False
            region.empty_label = _("All regions")
            region.help_text = _("All regions: every employer sees it.")
        else:
            region.queryset = user.regions.order_by("name")
            region.empty_label = None
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")


def _kind_order(material: CampaignMaterial) -> tuple[int, str, int]:
    return (CampaignMaterial.Kind.values.index(material.kind), material.title.lower(), material.pk)


def _materials_for(user: User) -> QuerySet[CampaignMaterial]:
    return CampaignMaterial.objects.visible_to(user).select_related("region", "uploaded_by").order_by("title", "pk")


def _render_coordinator_page(request: HttpRequest, form: MaterialForm, status: int = 200) -> HttpResponse:
    materials = sorted(_materials_for(request.user), key=_kind_order)
    if request.user.is_administrator:
        deletable = {material.pk for material in materials}
    else:
        own = set(request.user.regions.values_list("pk", flat=True))
        deletable = {material.pk for material in materials if material.region_id in own}
    return render(
        request,
        "campagne/materials/coordinator_materials.html",
        {"materials": materials, "deletable": deletable, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@dashboard_view
def coordinator_materials(request: HttpRequest) -> HttpResponse:
    """The materials coordinators share, and the form to share another."""
    if request.method == "POST":
        form = MaterialForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            material = material_upload(
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                region=data["region"],
                cleaned=data["file"],
                actor=request.user,
            )
            messages.success(request, _("“%(title)s” is now available to employers.") % {"title": material.title})
            return redirect("campagne:coordinator_materials")
        return _render_coordinator_page(request, form, status=400)
    return _render_coordinator_page(request, MaterialForm(user=request.user))


@require_http_methods(["GET", "POST"])
@dashboard_view
def material_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then delete the material and its file (POST)."""
    material = get_object_or_404(manageable_by(request.user).select_related("region"), pk=pk)
    if request.method == "POST":
        title = material.title
        material_delete(material=material, actor=request.user)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": title})
        return redirect("campagne:coordinator_materials")
    return render(request, "campagne/materials/material_delete.html", {"material": material})


@require_GET
@employer_view
def employer_materials(request: HttpRequest) -> HttpResponse:
    """What the contact points share with this employer, by kind."""
    materials = sorted(_materials_for(request.user), key=_kind_order)
    groups: list[tuple[str, list[CampaignMaterial]]] = []
    for material in materials:
        if not groups or groups[-1][0] != material.get_kind_display():
            groups.append((material.get_kind_display(), []))
        groups[-1][1].append(material)
    return render(request, "campagne/materials/employer_materials.html", {"groups": groups})


@require_GET
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, as an attachment with its original name, for whoever may see the material."""
    material = get_object_or_404(CampaignMaterial.objects.visible_to(request.user), pk=pk)
    try:
        file = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        file, as_attachment=True, filename=material.file_name, content_type=material.content_type or None
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("dashboard/campagnemateriaal/", coordinator_materials, name="coordinator_materials"),
    path("dashboard/campagnemateriaal/<int:pk>/verwijderen/", material_delete_view, name="material_delete"),
    path("werkgever/campagnemateriaal/", employer_materials, name="employer_materials"),
    path("campagnemateriaal/<int:pk>/download/", material_download, name="material_download"),
]
