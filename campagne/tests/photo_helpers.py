"""Photos for the photo tests, made on the spot: real JPEG, PNG and WebP files with and without metadata."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo

GPS_IFD = 34853  # GPSInfo
ORIENTATION = 0x0112
# Somewhere in the Netherlands, as a phone writes it: degrees, minutes, seconds.
GPS = {1: "N", 2: (52.0, 5.0, 31.5), 3: "E", 4: (5.0, 7.0, 12.25), 6: 3.5}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Groningen"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmaker"  # Make
    exif[0x0131] = "Fotobewerker 1.0"  # Software
    if orientation != 1:
        exif[ORIENTATION] = orientation
    exif[GPS_IFD] = dict(GPS)
    return exif


def marked_image(size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A picture whose top-left quarter is red and the rest blue: shows where "up" went."""
    image = Image.new("RGB", size, (20, 40, 200))
    image.paste((220, 20, 20), (0, 0, size[0] // 2, size[1] // 2))
    return image


def noise_image(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """Hard to compress: random pixels."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


def camera_like_image(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """Detail at every scale, like a camera photo, quickly: random pixels enlarged eightfold."""
    small = noise_image((max(1, size[0] // 8), max(1, size[1] // 8)), seed)
    return small.resize(size, Image.Resampling.BICUBIC)


def jpeg(image: Image.Image | None = None, **save) -> bytes:
    output = io.BytesIO()
    (image or marked_image()).save(output, "JPEG", quality=save.pop("quality", 85), **save)
    return output.getvalue()


def png(image: Image.Image | None = None, **save) -> bytes:
    output = io.BytesIO()
    (image or marked_image()).save(output, "PNG", **save)
    return output.getvalue()


def webp(image: Image.Image | None = None, **save) -> bytes:
    output = io.BytesIO()
    (image or marked_image()).save(output, "WEBP", quality=save.pop("quality", 80), **save)
    return output.getvalue()


def jpeg_with_segments(data: bytes, *segments: tuple[int, bytes]) -> bytes:
    """`data` with extra marker segments (marker, body) right after the start of image."""
    extra = b"".join(bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body for marker, body in segments)
    return data[:2] + extra + data[2:]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A few hundred bytes that claim to be a PNG of width × height pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def png_with_metadata() -> bytes:
    info = PngInfo()
    info.add_text("Location", "52.0876, 5.1196")
    info.add_text("Comment", "Gemaakt bij mevrouw Jansen thuis", zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP.decode(), zip=False)  # iTXt
    return png(info=info, exif=exif_with_gps())


def webp_with_metadata() -> bytes:
    return webp(exif=exif_with_gps(), xmp=XMP)


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def has_no_metadata(data: bytes) -> bool:
    """Pillow finds no EXIF (so no GPS), no XMP, no text chunks or comments, and no GPS bytes are left."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        exif = image.getexif()
        metadata = {key for key in image.info if key not in ("jfif", "jfif_version", "jfif_unit", "jfif_density")}
        metadata -= {"dpi", "icc_profile", "gamma", "srgb", "chromaticity", "transparency", "loop", "background"}
        metadata -= {"duration", "timestamp", "progressive", "progression", "adobe", "adobe_transform"}
        return (
            not exif
            and not exif.get_ifd(GPS_IFD)
            and not metadata
            and b"Exif\x00\x00" not in data
            and b"xmpmeta" not in data
            and b"Telefoonmaker" not in data
        )
