"""A file's kind comes from its bytes; refusals say why."""

import io

import pytest

from intake.content import inspect
from intake.model import Reason
from tests import files


def look(data: bytes, name: str = "upload.bin"):  # type: ignore[no-untyped-def]
    return inspect(io.BytesIO(data), len(data), name)


@pytest.mark.parametrize(
    ("data", "kind", "content_type"),
    [
        (files.PNG, "png", "image/png"),
        (files.JPEG, "jpeg", "image/jpeg"),
        (files.TIFF, "tiff", "image/tiff"),
        (
            files.office("xl/workbook.xml"),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            files.office("word/document.xml"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_kinds_are_recognised_whatever_the_name(data: bytes, kind: str, content_type: str) -> None:
    result = look(data, "misleading-name.exe")
    assert result.accepted and result.kind == kind and result.content_type == content_type


def test_a_pdf_gives_its_page_count_and_text() -> None:
    result = look(files.pdf("Invoice 77", "Amount due 12.00", pages=3), "scan")
    assert result.kind == "pdf" and result.pages == 3
    assert "Amount due 12.00" in result.text and result.extension == ".pdf"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "Hóa đơn,Số tiền\nHD-118,1250000\n"),
        ("utf-16", "Hóa đơn,Số tiền\nHD-118,1250000\n"),
        ("cp1252", "Café Olé,Straße\nTotal,€12.50\n"),
        ("tis-620", "ใบแจ้งหนี้,ยอดที่ต้องชำระ\nINV-9,4500\n"),
    ],
)
def test_text_in_any_common_encoding_is_accepted_and_decoded(encoding: str, text: str) -> None:
    result = look(text.encode(encoding), "register.csv")
    assert result.accepted and result.kind == "csv" and result.content_type == "text/csv"
    assert result.text.strip() == text.strip()


def test_text_without_a_csv_name_is_plain_text() -> None:
    assert look(b"remit to: ACME", "notes").content_type == "text/plain"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", Reason.EMPTY),
        (files.EXE, Reason.EXECUTABLE),
        (files.ELF, Reason.EXECUTABLE),
        (files.GZIP, Reason.ARCHIVE),
        (files.plain_zip(), Reason.ARCHIVE),
        (files.HTML, Reason.HTML),
        (b"\xef\xbb\xbf  <html><body>pay here</body></html>", Reason.HTML),
        (files.SCRIPT, Reason.SCRIPT),
        (b"<?php system($_GET['c']); ?>", Reason.SCRIPT),
        (files.pdf("Invoice")[:250], Reason.UNREADABLE_PDF),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, Reason.UNREADABLE_PDF),
        (bytes(range(256)) * 16, Reason.UNSUPPORTED),
    ],
)
def test_everything_else_is_refused_with_a_reason(data: bytes, reason: Reason) -> None:
    result = look(data, "invoice.pdf")
    assert not result.accepted and result.reason is reason and result.detail


def test_dangerous_reasons_are_not_releasable() -> None:
    assert not Reason.EXECUTABLE.releasable and not Reason.SCRIPT.releasable and not Reason.HTML.releasable
    assert Reason.TOO_LARGE.releasable and Reason.UNREADABLE_PDF.releasable


@pytest.mark.parametrize(
    ("sample", "content_type", "extension"),
    [("camt053.xml", "application/xml", ".xml"), ("statement.ofx", "application/x-ofx", ".ofx")],
)
def test_a_bank_statement_in_xml_or_ofx_is_accepted(sample: str, content_type: str, extension: str) -> None:
    result = look((files.SAMPLES / "bank" / sample).read_bytes(), "statement")
    assert result.accepted and (result.content_type, result.extension) == (content_type, extension)


def test_other_xml_is_still_refused_as_markup() -> None:
    result = look(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "x.xml")
    assert result.reason is Reason.HTML
