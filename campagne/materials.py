"""Campaign materials (campagnemateriaal): files coordinators share with the employers of their regions.

An upload is checked by its content, never by its name or the type the browser sends: PDF, PNG,
JPEG or WebP (images stripped of their metadata, within the pixel limit), Office Open XML
(docx/xlsx/pptx and their templates, without macros), OpenDocument, or a plain ZIP archive, at most
25 MB, and never a zip bomb. Everything else (SVG, HTML, programs) is refused. The file is stored
under a random name; the download gets the uploader's file name, cleaned up, with the extension of
what the file really is.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import unicodedata
import zipfile
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from contactpunt.models import Region, User

from .models import CampaignMaterial
from .photos import PhotoError, clean_image_bytes

logger = logging.getLogger(__name__)

MATERIAL_MAX_BYTES = 25 * 1024 * 1024
# A zip may unpack to at most this much, in at most this many files: more is a zip bomb.
ZIP_MAX_UNPACKED = 250 * 1024 * 1024
ZIP_MAX_FILES = 5000
ZIP_MAX_RATIO = 200  # unpacked size over packed size, per file
FILE_NAME_MAX_LENGTH = 120

PDF = "application/pdf"
ZIP = "application/zip"
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# The main part's content type in [Content_Types].xml → (download content type, extension).
_OOXML = "application/vnd.openxmlformats-officedocument."
OFFICE_TYPES = {
    f"{_OOXML}wordprocessingml.document.main+xml": (f"{_OOXML}wordprocessingml.document", "docx"),
    f"{_OOXML}wordprocessingml.template.main+xml": (f"{_OOXML}wordprocessingml.template", "dotx"),
    f"{_OOXML}spreadsheetml.sheet.main+xml": (f"{_OOXML}spreadsheetml.sheet", "xlsx"),
    f"{_OOXML}spreadsheetml.template.main+xml": (f"{_OOXML}spreadsheetml.template", "xltx"),
    f"{_OOXML}presentationml.presentation.main+xml": (f"{_OOXML}presentationml.presentation", "pptx"),
    f"{_OOXML}presentationml.template.main+xml": (f"{_OOXML}presentationml.template", "potx"),
    f"{_OOXML}presentationml.slideshow.main+xml": (f"{_OOXML}presentationml.slideshow", "ppsx"),
}
_ODF = "application/vnd.oasis.opendocument."
OPENDOCUMENT_TYPES = {
    f"{_ODF}text": "odt",
    f"{_ODF}spreadsheet": "ods",
    f"{_ODF}presentation": "odp",
    f"{_ODF}graphics": "odg",
    f"{_ODF}text-template": "ott",
    f"{_ODF}spreadsheet-template": "ots",
    f"{_ODF}presentation-template": "otp",
}
_CONTENT_TYPE = re.compile(rb'ContentType="([^"]{1,200})"')
_MACROS = re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$|^Basic/|^Scripts/", re.IGNORECASE)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


class MaterialError(ValueError):
    """The upload cannot be shared; the message says why, in the user's language."""


class CleanMaterial(NamedTuple):
    """A checked file: its content (random name), its real content type and the name for downloads."""

    content: ContentFile
    content_type: str
    file_name: str


def _accepted_formats() -> str:
    return _("Choose a PDF, an image (PNG, JPEG or WebP), a Word, Excel or PowerPoint file, or a ZIP file.")


def _refused() -> MaterialError:
    return MaterialError(_("This kind of file cannot be shared here.") + " " + _accepted_formats())


def clean_material(upload: UploadedFile) -> CleanMaterial:
    """Check an uploaded campaign material by its content. Raises `MaterialError` with a message for the field."""
    if upload.size is not None and upload.size > MATERIAL_MAX_BYTES:
        raise MaterialError(_("The file is larger than 25 MB. Choose a smaller file."))
    upload.seek(0)
    data = upload.read(MATERIAL_MAX_BYTES + 1)
    if len(data) > MATERIAL_MAX_BYTES:
        raise MaterialError(_("The file is larger than 25 MB. Choose a smaller file."))
    if not data:
        raise MaterialError(_("The file is empty.") + " " + _accepted_formats())
    if data.startswith(b"%PDF-"):
        content, content_type, extension = data, PDF, "pdf"
    elif data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")):
        content, content_type, extension = _clean_image(data)
    elif data.startswith(b"PK\x03\x04"):
        content = data
        content_type, extension = _check_zip(data)
    else:
        raise _refused()
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    return CleanMaterial(ContentFile(content, name=name), content_type, download_name(upload.name or "", extension))


def _clean_image(data: bytes) -> tuple[bytes, str, str]:
    try:
        image = clean_image_bytes(data, max_pixels=settings.CAMPAIGN_PHOTO_MAX_PIXELS)
    except PhotoError as error:
        if error.code == "too_many_pixels":
            raise MaterialError(error.message) from None
        if error.code == "not_image":
            raise _refused() from None
        raise MaterialError(
            _("The image is damaged or has extra data after the image. Save it again and try once more.")
        ) from None
    content_type, extension = IMAGE_TYPES[image.format]
    return image.data, content_type, extension


def _check_zip(data: bytes) -> tuple[str, str]:
    """What the archive is (Office, OpenDocument or plain ZIP), after checking it is no zip bomb."""
    damaged = MaterialError(_("The file is damaged and cannot be opened. Save it again and try once more."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    too_big = MaterialError(
        _("The ZIP file unpacks to more than %(size)d MB or holds too many files. Share a smaller file.")
        % {"size": ZIP_MAX_UNPACKED // (1024 * 1024)}
    )
    if not members:
        raise damaged
    if len(members) > ZIP_MAX_FILES or sum(member.file_size for member in members) > ZIP_MAX_UNPACKED:
        raise too_big
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
            raise too_big
        if member.flag_bits & 0x1:  # encrypted: nobody can check what is inside
            raise MaterialError(_("The ZIP file is protected with a password. Share it without a password."))
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        return _office_type(archive, names, damaged)
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100].decode("ascii").strip()
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError, ValueError, RuntimeError):
            raise damaged from None
        if mimetype in OPENDOCUMENT_TYPES:
            if any(_MACROS.search(name) for name in names):
                raise MaterialError(_("Files with macros cannot be shared here. Save the file without macros."))
            return mimetype, OPENDOCUMENT_TYPES[mimetype]
    return ZIP, "zip"


def _office_type(archive: zipfile.ZipFile, names: set[str], damaged: MaterialError) -> tuple[str, str]:
    if any(_MACROS.search(name) for name in names):
        raise MaterialError(_("Files with macros cannot be shared here. Save the file without macros."))
    try:
        with archive.open("[Content_Types].xml") as part:
            declared = part.read(1024 * 1024)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        raise damaged from None
    content_types = {match.decode("ascii", "replace") for match in _CONTENT_TYPE.findall(declared)}
    if any("macroenabled" in content_type.lower() for content_type in content_types):
        raise MaterialError(_("Files with macros cannot be shared here. Save the file without macros."))
    for content_type in content_types:
        if content_type in OFFICE_TYPES:
            return OFFICE_TYPES[content_type]
    raise _refused()


def download_name(original: str, extension: str) -> str:
    """The uploader's file name without folders or odd characters, ending in the real extension."""
    name = unicodedata.normalize("NFKC", original.replace("\\", "/").rsplit("/", 1)[-1])
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = " ".join(_UNSAFE_NAME.sub(" ", stem).split()).strip(" .-_")
    stem = stem[: FILE_NAME_MAX_LENGTH - len(extension) - 1].rstrip(" .") or _("campaign material")
    return f"{stem}.{extension}"


# Services ---------------------------------------------------------------------------------------------


def may_manage(user: User, region: Region | None) -> bool:
    """Administrators manage every material; coordinators those of their own regions (not the national ones)."""
    if not user.is_active:
        return False
    if user.is_administrator:
        return True
    return user.is_coordinator and region is not None and user.regions.filter(pk=region.pk).exists()


def manageable_by(user: User):
    """The materials `user` may delete."""
    if user.is_active and user.is_administrator:
        return CampaignMaterial.objects.all()
    if user.is_active and user.is_coordinator:
        return CampaignMaterial.objects.filter(region__in=user.regions.all())
    return CampaignMaterial.objects.none()


@transaction.atomic
def material_upload(
    *,
    title: str,
    description: str,
    kind: str,
    region: Region | None,
    cleaned: CleanMaterial,
    actor: User,
) -> CampaignMaterial:
    """Share a checked file (`clean_material`) with the employers of `region` (None: every region)."""
    if not may_manage(actor, region):
        raise PermissionDenied
    material = CampaignMaterial(
        title=title,
        description=description,
        kind=kind,
        region=region,
        file_name=cleaned.file_name,
        content_type=cleaned.content_type,
        size=cleaned.content.size,
        uploaded_by=actor,
    )
    material.file.save(cleaned.content.name, cleaned.content, save=False)
    try:
        material.save()
    except Exception:
        material.file.storage.delete(material.file.name)  # the row was not written: neither is the file
        raise
    logger.info("Campaign material %s shared by user %s", material.pk, actor.pk)
    return material


@transaction.atomic
def material_delete(*, material: CampaignMaterial, actor: User) -> None:
    """Remove a material; its file is deleted once the transaction commits."""
    if not may_manage(actor, material.region):
        raise PermissionDenied
    storage, name, pk = material.file.storage, material.file.name, material.pk
    material.delete()
    logger.info("Campaign material %s deleted by user %s", pk, actor.pk)

    def delete_file() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("A campaign material file could not be deleted; it is left behind")

    transaction.on_commit(delete_file)
