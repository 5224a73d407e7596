"""Small real files for the campaign-material tests: PDF, Office documents, archives."""

from __future__ import annotations

import io
import zipfile

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n%%EOF\n"
)

_CT = "application/vnd.openxmlformats-officedocument."
MAIN_PARTS = {
    "docx": ("word/document.xml", f"{_CT}wordprocessingml.document.main+xml"),
    "dotx": ("word/document.xml", f"{_CT}wordprocessingml.template.main+xml"),
    "xlsx": ("xl/workbook.xml", f"{_CT}spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", f"{_CT}presentationml.presentation.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def office(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    part, content_type = MAIN_PARTS[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    ).encode()
    return zip_bytes({"[Content_Types].xml": types, part: b"<document/>", **(extra or {})})


def opendocument(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()
