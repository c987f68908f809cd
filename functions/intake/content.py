"""What a file really is, judged from its bytes (never its name), and the text to classify it by.

Binary formats are recognised by their signatures (`puremagic`), Office files by the parts inside
the ZIP container, text by decoding it (`charset-normalizer` finds non-UTF-8 encodings), and a PDF
must open with `pypdf`. Everything not on the accepted list is refused with a reason.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

import puremagic
from charset_normalizer import from_bytes

from intake.model import Reason

HEAD_BYTES = 64 * 1024
TEXT_BYTES = 256 * 1024
PDF_TEXT_PAGES = 3
EXCERPT_CHARS = 500

BINARY_KINDS = {  # puremagic's extension → (kind, content type, filed extension)
    ".pdf": ("pdf", "application/pdf", ".pdf"),
    ".png": ("png", "image/png", ".png"),
    ".jpeg": ("jpeg", "image/jpeg", ".jpg"),
    ".jpg": ("jpeg", "image/jpeg", ".jpg"),
    ".jfif": ("jpeg", "image/jpeg", ".jpg"),
    ".tif": ("tiff", "image/tiff", ".tiff"),
    ".tiff": ("tiff", "image/tiff", ".tiff"),
}
OFFICE_KINDS = {  # the part that makes a ZIP an Office document
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
}
ACCEPTED_CONTENT_TYPES = frozenset(
    {ct for _, ct, _ in BINARY_KINDS.values()}
    | {ct for _, ct, _ in OFFICE_KINDS.values()}
    | {"text/csv", "text/plain", "application/x-ofx", "application/xml"}
)
STATEMENT_MARKS = ("urn:iso:std:iso:20022:tech:xsd:camt.053", "<?ofx", "<ofx>")  # bank statements in XML
# Encodings a back office in the US, Thailand or Vietnam meets; limiting the guess to these keeps
# short Thai text from being read as Chinese.
TEXT_ENCODINGS = ["utf_8", "utf_16", "utf_32", "ascii", "cp1252", "latin_1", "cp874", "tis_620", "cp1258"]
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
EXECUTABLES = {".exe", ".dll", ".msi", ".com", ".scr", ".sys", ".class", ".dex", ".jar", ".apk"}
EXECUTABLE_NAMES = ("executable", "mach-o", "java class", "shared object", "shared library")
ARCHIVES = {".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst", ".cab", ".iso"}
MARKUP_STARTS = ("<!doctype html", "<html", "<head", "<body", "<script", "<svg", "<?xml")
SCRIPT_STARTS = ("#!", "<?php", "@echo off", "<%", "powershell")


@dataclass(frozen=True)
class Inspection:
    """An accepted file (kind set) or a refused one (reason set)."""

    kind: str | None = None
    content_type: str | None = None
    extension: str = ""
    text: str = ""
    pages: int | None = None
    encoding: str | None = None
    reason: Reason | None = None
    detail: str | None = None

    @property
    def accepted(self) -> bool:
        return self.reason is None

    @property
    def excerpt(self) -> str | None:
        text = " ".join(self.text.split())
        return text[:EXCERPT_CHARS] or None


def refuse(reason: Reason, detail: str) -> Inspection:
    return Inspection(reason=reason, detail=detail)


def too_large(size: int, limit: int) -> Inspection:
    return refuse(Reason.TOO_LARGE, f"the file is {size:,} bytes; the limit is {limit:,}")


def inspect(source: IO[bytes], size: int, name: str) -> Inspection:
    """Decide what the file in `source` (seekable, `size` bytes) is; `name` only picks CSV vs text."""
    if size == 0:
        return refuse(Reason.EMPTY, "the file is empty")
    source.seek(0)
    head = source.read(HEAD_BYTES)
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        matches = []
    found = [(m.extension.lower(), m.name) for m in matches]
    for extension, _ in found:
        if extension in BINARY_KINDS:
            kind, content_type, filed_ext = BINARY_KINDS[extension]
            if kind == "pdf":
                return _pdf(source)
            return Inspection(kind=kind, content_type=content_type, extension=filed_ext)
    if head.startswith(TEXT_BOMS):
        return _text(source, name)
    if any(extension in {".docx", ".xlsx", ".pptx", ".zip"} for extension, _ in found):
        return _zip(source)
    for extension, label in found:
        if extension in EXECUTABLES or any(word in label.lower() for word in EXECUTABLE_NAMES):
            return refuse(Reason.EXECUTABLE, f"an executable program ({label}), not a document")
    for extension, label in found:
        if extension in ARCHIVES or "archive" in label.lower():
            return refuse(Reason.ARCHIVE, f"an archive ({label}); upload the documents inside it instead")
    text = _text(source, name)
    if text.reason is Reason.UNSUPPORTED and found:
        return refuse(Reason.UNSUPPORTED, f"{found[0][1]} is not an accepted document type")
    return text


def _text(source: IO[bytes], name: str) -> Inspection:
    source.seek(0)
    raw = source.read(TEXT_BYTES)
    if b"\x00" in raw and not raw.startswith(TEXT_BOMS):
        return refuse(Reason.UNSUPPORTED, "binary data of an unknown type")
    match = from_bytes(raw, cp_isolation=TEXT_ENCODINGS).best()
    if match is None:
        return refuse(Reason.UNSUPPORTED, "binary data of an unknown type")
    text = str(match)
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("ofxheader"):
        return Inspection(kind="statement", content_type="application/x-ofx", extension=".ofx", text=text)
    if start.startswith("<?xml") and any(mark in start[:HEAD_BYTES] for mark in STATEMENT_MARKS):
        return Inspection(kind="statement", content_type="application/xml", extension=".xml", text=text)
    if start.startswith(MARKUP_STARTS):
        return refuse(Reason.HTML, "web page or markup — not a document")
    if start.startswith(SCRIPT_STARTS):
        return refuse(Reason.SCRIPT, "a script — not a document")
    is_csv = name.lower().endswith((".csv", ".tsv"))
    return Inspection(
        kind="csv" if is_csv else "text",
        content_type="text/csv" if is_csv else "text/plain",
        extension=".csv" if is_csv else ".txt",
        text=text,
        encoding=match.encoding,
    )


def _zip(source: IO[bytes]) -> Inspection:
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return refuse(Reason.ARCHIVE, "a damaged ZIP archive")
    for part, (kind, content_type, extension) in OFFICE_KINDS.items():
        if part in names:
            return Inspection(kind=kind, content_type=content_type, extension=extension)
    return refuse(Reason.ARCHIVE, "a ZIP archive; upload the documents inside it instead")


def _pdf(source: IO[bytes]) -> Inspection:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    source.seek(0)
    try:
        reader = PdfReader(source, strict=True)
        if reader.is_encrypted and not reader.decrypt(""):
            return Inspection(kind="pdf", content_type="application/pdf", extension=".pdf")
        pages = len(reader.pages)
        text = "\n".join(page.extract_text() or "" for page in reader.pages[:PDF_TEXT_PAGES])
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        return refuse(Reason.UNREADABLE_PDF, f"the PDF does not open ({type(error).__name__})")
    return Inspection(kind="pdf", content_type="application/pdf", extension=".pdf", text=text, pages=pages)
