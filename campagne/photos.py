"""Story photos: checked and stripped in the upload request, turned into WebP variants in Celery.

In the request (`clean_photo`) nothing is decoded: the file type is read from the first bytes, the
pixel count from the header, and the metadata (EXIF with GPS, XMP, IPTC, comments, PNG text chunks,
WebP EXIF/XMP chunks) is cut out segment by segment. The pixels stay exactly as uploaded, so a
25-megapixel camera photo passes in a few milliseconds. A file with anything after the image (a
polyglot: a PNG with a web page behind IEND, data after a JPEG's end marker, a WebP whose RIFF size
does not match) is refused.

In Celery (`process_story_photo`) the cleaned original is decoded once, turned upright (the EXIF
orientation was kept in `Story.photo_orientation` before the EXIF went), and saved as three WebP
variants without any metadata: a gallery tile of at most 60 kB, a medium and a large picture.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import struct
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from contactpunt.jobs import enqueue_on_commit

from .models import Story

logger = logging.getLogger(__name__)

# The sizes of the variants: (width, height) of the gallery tile, cover-cropped; the other two fit
# in their box and are never made larger than the original.
TILE_SIZE = (480, 360)
TILE_MAX_BYTES = 60 * 1024
MEDIUM_BOX = (960, 1440)
LARGE_BOX = (1600, 2400)
VARIANT_QUALITY = 82
TILE_QUALITIES = (80, 70, 60, 50, 42, 35, 28, 20, 12)
VARIANT_FIELDS = ("tile", "medium", "large")
STALE_AFTER = timedelta(minutes=5)
STALE_BATCH = 500

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Orientation (EXIF tag 0x0112) → what turns the stored pixels upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
ORIENTATION_TAG = 0x0112


class PhotoError(ValueError):
    """The upload is not an acceptable photo; the message says why, in the user's language.

    `code` names the reason for code that shows its own message (campaign materials):
    "empty", "too_large", "not_image", "too_many_pixels" or "damaged".
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class CleanPhoto:
    """A checked photo without metadata. `width` and `height` are the photo as people see it (after
    the orientation is applied); `orientation` is the EXIF orientation of the stored pixels (1–8)."""

    content: ContentFile
    width: int
    height: int
    orientation: int


@dataclass(frozen=True)
class CleanImage:
    """What `clean_image_bytes` found: the stripped bytes, the format and the stored size."""

    data: bytes
    format: str  # "JPEG", "PNG" or "WEBP"
    width: int  # as stored, before the orientation
    height: int
    orientation: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def upright_size(self) -> tuple[int, int]:
        return (self.height, self.width) if self.orientation in (5, 6, 7, 8) else (self.width, self.height)


# Messages ------------------------------------------------------------------------------------------


def _too_large() -> PhotoError:
    megabytes = settings.CAMPAIGN_PHOTO_MAX_BYTES // (1024 * 1024)
    return PhotoError(
        _("The photo is larger than %(size)d MB. Choose a smaller file or make the photo smaller first.")
        % {"size": megabytes},
        code="too_large",
    )


def _empty() -> PhotoError:
    return PhotoError(_("The file is empty. Choose a photo (JPEG, PNG or WebP)."), code="empty")


def _not_an_image() -> PhotoError:
    return PhotoError(
        _("This file is not a JPEG, PNG or WebP photo. Choose a photo in one of those formats."), code="not_image"
    )


def _too_many_pixels(max_pixels: int) -> PhotoError:
    return PhotoError(
        _("The photo has too many pixels (at most %(megapixels)d megapixels). Make the photo smaller first.")
        % {"megapixels": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _damaged() -> PhotoError:
    return PhotoError(
        _(
            "The photo is damaged or has extra data after the image. Save it again as JPEG, PNG or WebP "
            "(for example with a photo editor) and try once more."
        ),
        code="damaged",
    )


# The request: checking and stripping ------------------------------------------------------------


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """Check an uploaded photo by its content and return it without metadata, under a random name.

    The file name and the content type the browser sends are never looked at. Raises `PhotoError`
    with a message for the field.
    """
    max_bytes = settings.CAMPAIGN_PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise _too_large()
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large()
    cleaned = clean_image_bytes(data, max_pixels=settings.CAMPAIGN_PHOTO_MAX_PIXELS)
    width, height = cleaned.upright_size
    name = f"{secrets.token_urlsafe(16)}.{cleaned.extension}"
    return CleanPhoto(
        content=ContentFile(cleaned.data, name=name), width=width, height=height, orientation=cleaned.orientation
    )


def clean_image_bytes(data: bytes, *, max_pixels: int) -> CleanImage:
    """Identify a JPEG, PNG or WebP by its bytes, check its pixel count from the header (nothing is
    decoded) and cut out its metadata. Raises `PhotoError`."""
    if not data:
        raise _empty()
    image_format = _sniff(data)
    if image_format is None:
        raise _not_an_image()
    width, height = _header_size(data, image_format, max_pixels)
    if image_format == "JPEG":
        stripped, exif = _strip_jpeg(data)
    elif image_format == "PNG":
        stripped, exif = _strip_png(data)
    else:
        stripped, exif = _strip_webp(data)
    return CleanImage(data=stripped, format=image_format, width=width, height=height, orientation=_orientation(exif))


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _header_size(data: bytes, image_format: str, max_pixels: int) -> tuple[int, int]:
    """The size Pillow reads from the header (lazily: no pixels are decoded), within the pixel limit."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit and refuses at twice it: both mean a bomb here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError):
        raise _damaged() from None
    if width < 1 or height < 1:
        raise _damaged()
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return width, height


def _orientation(exif: bytes | None) -> int:
    if not exif:
        return 1
    try:
        value = Image.Exif()
        value.load(exif if exif.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + exif)
        orientation = int(value.get(ORIENTATION_TAG, 1))
    except Exception:  # a broken EXIF block only loses the orientation
        return 1
    return orientation if 1 <= orientation <= 8 else 1


# JPEG: a sequence of marker segments; the entropy-coded scan data follows each SOS segment and runs
# to the next marker that is not a stuffed 0xFF00 or a restart marker.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
# The segments kept: everything needed to decode, the JFIF header, Adobe's colour transform and the
# ICC colour profile. Every other APPn (EXIF with GPS, XMP, IPTC/Photoshop, MPF, maker data) and
# every comment is left out.
_JPEG_KEEP_APP = ((0xE0, b"JFIF\x00"), (0xE2, b"ICC_PROFILE\x00"), (0xEE, b"Adobe"))


def _strip_jpeg(data: bytes) -> tuple[bytes, bytes | None]:
    out = [b"\xff\xd8"]
    exif: bytes | None = None
    multi_picture = False
    seen_frame = seen_scan = False
    position, end = 2, len(data)
    while True:
        if position >= end or data[position] != 0xFF:
            raise _damaged()
        while position < end and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= end:
            raise _damaged()
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # restart markers, TEM: no length
            out.append(bytes((0xFF, marker)))
            continue
        if position + 2 > end:
            raise _damaged()
        (length,) = struct.unpack(">H", data[position : position + 2])
        if length < 2 or position + length > end:
            raise _damaged()
        segment = data[position + 2 : position + length]
        segment_end = position + length
        if 0xE0 <= marker <= 0xEF:
            if marker == 0xE1 and segment.startswith(b"Exif\x00\x00") and exif is None:
                exif = segment
            if marker == 0xE2 and segment.startswith(b"MPF\x00"):
                multi_picture = True
            if any(marker == keep and segment.startswith(prefix) for keep, prefix in _JPEG_KEEP_APP):
                out.append(data[position - 2 : segment_end])
            position = segment_end
            continue
        if marker == 0xFE:  # comment
            position = segment_end
            continue
        if marker in _SOF_MARKERS:
            seen_frame = True
        out.append(data[position - 2 : segment_end])
        position = segment_end
        if marker == 0xDA:  # start of scan: copy the entropy-coded data up to the next marker
            if not seen_frame:
                raise _damaged()
            seen_scan = True
            found = _SCAN_END.search(data, position)
            if found is None:
                raise _damaged()
            out.append(data[position : found.start()])
            position = found.start()
    if not (seen_frame and seen_scan):
        raise _damaged()
    rest = data[position:]
    # Cameras pad with zeros, and a multi-picture file (MPF, phones) carries more JPEGs behind the
    # first one: both are dropped. Anything else behind the end marker is refused.
    if rest.strip(b"\x00") and not (multi_picture and rest.startswith(b"\xff\xd8\xff")):
        raise _damaged()
    out.append(b"\xff\xd9")
    return b"".join(out), exif


# PNG: chunks of length, type, data and CRC. Kept: what is needed to show the image and its colours.
_PNG_KEEP = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"})


def _strip_png(data: bytes) -> tuple[bytes, bytes | None]:
    out = [data[:8]]
    exif: bytes | None = None
    position, end = 8, len(data)
    first = True
    while True:
        if position + 12 > end:
            raise _damaged()
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk_end = position + 12 + length
        if chunk_end > end or (first and kind != b"IHDR"):
            raise _damaged()
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : chunk_end])
        if zlib.crc32(kind + body) != crc:
            raise _damaged()
        if kind == b"eXIf" and exif is None:
            exif = body
        if kind in _PNG_KEEP:
            out.append(data[position:chunk_end])
        position = chunk_end
        first = False
        if kind == b"IEND":
            break
    if position != end:  # a web page or an archive behind IEND
        raise _damaged()
    return b"".join(out), exif


# WebP: a RIFF container of chunks (FourCC, little-endian size, data, padding to an even length).
_WEBP_DROP = frozenset({b"EXIF", b"XMP "})
_WEBP_KNOWN = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}) | _WEBP_DROP
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _strip_webp(data: bytes) -> tuple[bytes, bytes | None]:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 != len(data) or riff_size % 2:  # data behind the image, or a truncated file
        raise _damaged()
    chunks: list[bytes] = []
    exif: bytes | None = None
    position, end = 12, len(data)
    while position < end:
        if position + 8 > end:
            raise _damaged()
        kind, size = struct.unpack("<4sI", data[position : position + 8])
        padded = size + (size & 1)
        if position + 8 + padded > end or kind not in _WEBP_KNOWN:
            raise _damaged()
        if kind == b"EXIF" and exif is None:
            exif = data[position + 8 : position + 8 + size]
        if kind not in _WEBP_DROP:
            chunk = data[position : position + 8 + padded]
            if kind == b"VP8X" and size >= 4:
                flags = chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP) & 0xFF
                chunk = chunk[:8] + bytes((flags,)) + chunk[9:]
            chunks.append(chunk)
        position += 8 + padded
    if not chunks or chunks[0][:4] not in (b"VP8 ", b"VP8L", b"VP8X"):
        raise _damaged()
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body, exif


# Decoding (Celery and the poster generator) --------------------------------------------------------


def open_upright(file: IO[bytes] | str, orientation: int, *, size_hint: tuple[int, int] | None = None) -> Image.Image:
    """Decode a stored photo, turn it upright and return it in RGB (transparency on white).

    `size_hint` (width, height) lets a JPEG decode at a smaller scale that is still at least that big.
    """
    image = Image.open(file)
    if size_hint and image.format == "JPEG":
        hint = size_hint[::-1] if orientation in (5, 6, 7, 8) else size_hint
        image.draft("RGB", hint)
    image.load()
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    return _to_srgb(image)


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            from PIL import ImageCms

            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
        except Exception:  # an odd colour profile: the colours as stored
            logger.info("Photo colour profile not applied")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.info = {}
    return image


def _webp(image: Image.Image, quality: int) -> bytes:
    output = io.BytesIO()
    image.info = {}  # no EXIF, XMP or colour profile in the variant
    image.save(output, "WEBP", quality=quality, method=4)
    return output.getvalue()


def _fit(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Within `box`, keeping the proportions, never larger than the original."""
    scale = min(box[0] / image.width, box[1] / image.height, 1.0)
    if scale >= 1.0:
        return image.copy()
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def tile_bytes(image: Image.Image) -> bytes:
    """The gallery tile: cover-cropped to TILE_SIZE, at the best quality that stays within 60 kB."""
    tile = ImageOps.fit(image, TILE_SIZE, Image.Resampling.LANCZOS)
    for quality in TILE_QUALITIES:
        data = _webp(tile, quality)
        if len(data) <= TILE_MAX_BYTES:
            return data
    # Pure noise: soften it until it fits (never reached by a real photo).
    radius = 1.0
    while len(data) > TILE_MAX_BYTES:
        data = _webp(tile.filter(ImageFilter.GaussianBlur(radius)), TILE_QUALITIES[-1])
        radius *= 2
    return data


def render_variants(image: Image.Image) -> dict[str, bytes]:
    """The three WebP variants of an upright RGB image, by field name."""
    large = _fit(image, LARGE_BOX)
    medium = _fit(large, MEDIUM_BOX)
    roomy = medium.width >= TILE_SIZE[0] * 1.5 and medium.height >= TILE_SIZE[1] * 1.5
    return {
        "tile": tile_bytes(medium if roomy else large),
        "medium": _webp(medium, VARIANT_QUALITY),
        "large": _webp(large, VARIANT_QUALITY),
    }


def variant_contents(variants: dict[str, bytes]) -> dict[str, ContentFile]:
    return {field: ContentFile(data, name=f"{field}.webp") for field, data in variants.items()}


def process_story_photo(story_id: int) -> bool:
    """Make the WebP variants of a story's photo; True when this call made them.

    Safe to repeat: a story that is gone or READY is left alone. When the photo is replaced while
    this runs, the variants made here are thrown away (the new photo's own task makes new ones).
    A photo that cannot be decoded is marked FAILED; a storage error is raised, so the task retries.
    """
    story = Story.objects.filter(pk=story_id).only("pk", "photo", "photo_orientation", "photo_status").first()
    if story is None or story.photo_status == Story.PhotoStatus.READY or not story.photo:
        return False
    photo_name = story.photo.name
    try:
        with story.photo.open("rb") as file:
            data = file.read()
    except FileNotFoundError:
        logger.warning("Story %s: photo file missing, marked as failed", story_id)
        _mark_failed(story_id, photo_name)
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = open_upright(io.BytesIO(data), story.photo_orientation, size_hint=(LARGE_BOX[0], LARGE_BOX[0]))
        variants = render_variants(image)
    except Exception as error:  # whatever Pillow raises, the photo cannot be used
        logger.warning("Story %s: photo could not be decoded (%s), marked as failed", story_id, type(error).__name__)
        _mark_failed(story_id, photo_name)
        return False
    storage = story.photo.storage
    saved = {
        field: storage.save(Story._meta.get_field(field).generate_filename(story, f"{field}.webp"), content)
        for field, content in variant_contents(variants).items()
    }
    with transaction.atomic():
        current = (
            Story.objects.select_for_update()
            .filter(pk=story_id)
            .only("pk", "photo", "photo_status", *VARIANT_FIELDS)
            .first()
        )
        if current is None or current.photo.name != photo_name or current.photo_status == Story.PhotoStatus.READY:
            # Deleted, replaced or done by another worker meanwhile: these files belong to nobody.
            _delete_on_commit(storage, saved.values())
            return False
        old = [getattr(current, field).name for field in VARIANT_FIELDS]
        for field, name in saved.items():
            getattr(current, field).name = name
        current.photo_status = Story.PhotoStatus.READY
        current.save(update_fields=[*VARIANT_FIELDS, "photo_status", "updated_at"])
        _delete_on_commit(storage, (name for name in old if name and name not in saved.values()))
    return True


def _mark_failed(story_id: int, photo_name: str) -> None:
    Story.objects.filter(pk=story_id, photo=photo_name).exclude(photo_status=Story.PhotoStatus.READY).update(
        photo_status=Story.PhotoStatus.FAILED, updated_at=timezone.now()
    )


def _delete_on_commit(storage: Storage, names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if not names:
        return

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("A campaign photo file could not be deleted; it is left behind")

    transaction.on_commit(delete)


def queue_story_photo(story: Story) -> None:
    """Mark the story's photo as being processed and queue its variants after commit."""
    from . import tasks

    story.photo_status = Story.PhotoStatus.PENDING
    story.save(update_fields=["photo_status", "updated_at"])
    enqueue_on_commit(tasks.process_story_photo, story.pk)


def delete_story_files(story: Story) -> None:
    """Delete the story's original and every variant from storage once the transaction commits.

    The names are taken now: call it before the fields get a new photo or the story is deleted.
    """
    storage = story.photo.storage
    _delete_on_commit(storage, [getattr(story, field).name for field in ("photo", *VARIANT_FIELDS)])


def stale_story_ids(now: datetime | None = None) -> list[int]:
    """Stories whose photo is still waiting five minutes after their last change (at most 500)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return list(
        Story.objects.filter(photo_status=Story.PhotoStatus.PENDING, updated_at__lt=cutoff)
        .exclude(photo="")
        .order_by("updated_at", "pk")
        .values_list("pk", flat=True)[:STALE_BATCH]
    )
