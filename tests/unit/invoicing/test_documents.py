"""Every document the office hands out, in every form: each line comes back as text exactly as written
(the lines after a Thai or Vietnamese run included), no character lacks its glyph, and the page is
drawn; the pictures are kept in test-artifacts/documents/ for review."""

import io
import logging
from pathlib import Path

import pytest
from PIL import ImageOps
from pypdf import PdfReader

from tests.documents import Document, documents, picture

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "documents"
TITLES = {
    "quote-en": "QUOTATION",
    "quote-th": "ใบเสนอราคา / QUOTATION",
    "quote-vi": "BÁO GIÁ / QUOTATION",
    "invoice-en": "INVOICE",
    "receipt-en": "RECEIPT",
    "credit-note-en": "CREDIT NOTE",
    "debit-note-en": "DEBIT NOTE",
    "invoice-th": "ใบกำกับภาษี / TAX INVOICE",
    "receipt-th": "ใบเสร็จรับเงิน / RECEIPT",
    "tax-invoice-receipt-th": "ใบกำกับภาษี/ใบเสร็จรับเงิน / TAX INVOICE/RECEIPT",
    "credit-note-th": "ใบลดหนี้ / CREDIT NOTE",
    "debit-note-th": "ใบเพิ่มหนี้ / DEBIT NOTE",
    "invoice-vi": "HÓA ĐƠN GIÁ TRỊ GIA TĂNG / VAT INVOICE",
    "receipt-vi": "PHIẾU THU / RECEIPT",
    "credit-note-vi": "HÓA ĐƠN ĐIỀU CHỈNH GIẢM / CREDIT NOTE",
    "debit-note-vi": "HÓA ĐƠN ĐIỀU CHỈNH TĂNG / DEBIT NOTE",
}
IN_WORDS = {  # worked by hand: 1,605.00 baht; 1,620,000 đồng; a tenth of each
    "quote-th": "ตัวอักษร / In words: หนึ่งพันหกร้อยห้าบาทถ้วน",
    "invoice-th": "ตัวอักษร / In words: หนึ่งพันหกร้อยห้าบาทถ้วน",
    "credit-note-th": "ตัวอักษร / In words: หนึ่งร้อยหกสิบบาทห้าสิบสตางค์",
    "invoice-vi": "Số tiền viết bằng chữ / In words: Một triệu sáu trăm hai mươi nghìn đồng",
    "debit-note-vi": "Số tiền viết bằng chữ / In words: Một trăm sáu mươi hai nghìn đồng",
}
MADE = list(documents())


def test_there_is_one_of_each_kind_in_each_form() -> None:
    assert sorted(made.name for made in MADE) == sorted(TITLES)


@pytest.mark.parametrize("made", MADE, ids=lambda made: made.name)
def test_the_document_reads_back_line_for_line_and_is_drawn(
    made: Document, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = made.make()
    assert not [r.message for r in caplog.records if "missing" in r.message]  # every character has its glyph
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert text[0] == TITLES[made.name]
    buyer, seller = made.office.buyer, made.office.seller
    for party in ([buyer.name, buyer.address], [seller["name"], seller["address"]]):
        start = text.index(party[0])
        assert text[start : start + 2] == party  # the line after a Thai or Vietnamese name is intact
    if made.name.startswith(("invoice", "quote")):
        assert buyer.email in text and any(line.startswith(made.office.description) for line in text)
    if made.name in IN_WORDS:
        assert IN_WORDS[made.name] in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = ImageOps.invert(ImageOps.grayscale(_open(picture(pdf, ARTIFACTS / f"{made.name}.png"))))
    title_band = page.crop((0, 0, page.width, page.height // 12))
    assert title_band.getbbox() is not None and page.getbbox() is not None  # ink where the title and text are


def _open(path: Path):  # type: ignore[no-untyped-def]
    from PIL import Image

    return Image.open(path)
