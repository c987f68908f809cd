"""Reading vendors' invoices: the printed labels of Thai, Vietnamese and English invoices, a PDF's own
text, and Textract's AnalyzeExpense answer as AWS documents it."""

from datetime import date
from decimal import Decimal

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from payables.reading import TextLayer, read_bill, read_text
from payables.textract import Expense
from tests.files import THAI_VENDOR_INVOICE, pdf, printed_pdf

OWN_TAX_ID = "0994000165421"


def test_a_thai_tax_invoice_pdf_is_read_from_its_text_with_the_buyers_tax_id_passed_over() -> None:
    reading = TextLayer(OWN_TAX_ID, "THB").read(
        "documents/vendor_invoice/x.pdf",
        printed_pdf(*THAI_VENDOR_INVOICE, "เลขที่บัญชี 123-4-56789-0 ธนาคารกสิกรไทย"),
    )
    assert reading is not None
    assert reading.model_dump(exclude={"source"}) == {
        "vendor_name": "บริษัท สยามกระดาษ จำกัด",
        "vendor_tax_id": "0105551234567",
        "invoice_number": "IV2026-0042",
        "issue_date": date(2026, 11, 3),  # 2569 in the Buddhist era
        "due_date": date(2026, 12, 3),
        "currency": "THB",
        "net": Decimal("10000.00"),
        "vat": Decimal("700.00"),  # the last number of its line, not the 7 of 7%
        "total": Decimal("10700.00"),
        "bank_account": "123-4-56789-0",
    }


def test_a_vietnamese_vat_invoice_groups_thousands_with_dots_and_writes_its_date_in_words() -> None:
    text = "\n".join(
        (
            "CÔNG TY TNHH GIẤY SÀI GÒN",
            "HÓA ĐƠN GIÁ TRỊ GIA TĂNG",
            "Ngày 05 tháng 11 năm 2026",
            "Số: 0000123",
            "Mã số thuế: 0301234567",
            "Cộng tiền hàng: 20.000.000",
            "Tiền thuế GTGT (10%): 2.000.000",
            "Tổng cộng tiền thanh toán: 22.000.000 đồng",
        )
    )
    reading = read_text(text, own_tax_id="0312345678", default_currency="THB")
    assert (reading.currency, reading.invoice_number, reading.issue_date) == (
        "VND",
        "0000123",
        date(2026, 11, 5),
    )
    assert (reading.net, reading.vat, reading.total) == (
        Decimal(20000000),
        Decimal(2000000),
        Decimal(22000000),
    )
    assert reading.vendor_tax_id == "0301234567" and reading.due_date is None


def test_what_is_not_printed_stays_empty_for_a_person_to_fill_in() -> None:
    reading = TextLayer(OWN_TAX_ID, "THB").read("x.pdf", pdf("Hello", "Thank you for your business"))
    assert reading is not None
    assert (reading.total, reading.invoice_number, reading.vendor_tax_id) == (None, None, None)


def test_a_scan_has_no_text_layer_so_the_next_reader_is_asked() -> None:
    scan = b"\xff\xd8\xff\xe0" + b"\0" * 64  # a JPEG
    textract = boto3.client("textract", region_name="ap-southeast-1")
    answer = {
        "DocumentMetadata": {"Pages": 1},
        "ExpenseDocuments": [
            {
                "ExpenseIndex": 1,
                "SummaryFields": [
                    {
                        "Type": {"Text": "VENDOR_NAME", "Confidence": 99.1},
                        "ValueDetection": {"Text": "Acme Supplies Ltd", "Confidence": 98.7},
                        "PageNumber": 1,
                        "GroupProperties": [{"Types": ["VENDOR"], "Id": "g1"}],
                    },
                    {
                        "Type": {"Text": "TAX_PAYER_ID", "Confidence": 95.0},
                        "LabelDetection": {"Text": "Tax ID", "Confidence": 97.0},
                        "ValueDetection": {"Text": "0105-55123-456-7", "Confidence": 96.0},
                        "PageNumber": 1,
                    },
                    {
                        "Type": {"Text": "INVOICE_RECEIPT_ID", "Confidence": 99.0},
                        "ValueDetection": {"Text": "A-1001", "Confidence": 99.0},
                        "PageNumber": 1,
                    },
                    {
                        "Type": {"Text": "INVOICE_RECEIPT_DATE", "Confidence": 99.0},
                        "ValueDetection": {"Text": "04/11/2026", "Confidence": 99.0},
                        "PageNumber": 1,
                    },
                    {
                        "Type": {"Text": "SUBTOTAL", "Confidence": 99.0},
                        "ValueDetection": {"Text": "1,000.00", "Confidence": 99.0},
                        "Currency": {"Code": "THB", "Confidence": 90.0},
                        "PageNumber": 1,
                    },
                    {
                        "Type": {"Text": "TAX", "Confidence": 99.0},
                        "ValueDetection": {"Text": "70.00", "Confidence": 99.0},
                        "PageNumber": 1,
                    },
                    {
                        "Type": {"Text": "TOTAL", "Confidence": 99.0},
                        "LabelDetection": {"Text": "Total", "Confidence": 99.0},
                        "ValueDetection": {"Text": "฿1,070.00", "Confidence": 99.0},
                        "PageNumber": 1,
                    },
                ],
                "LineItemGroups": [],
            }
        ],
    }
    with Stubber(textract) as stub:
        expected = {"Document": {"S3Object": {"Bucket": "docs", "Name": "documents/vendor_invoice/x.jpg"}}}
        stub.add_response("analyze_expense", answer, expected)
        readers = [TextLayer(OWN_TAX_ID, "THB"), Expense("docs", "USD", textract)]
        reading = read_bill(readers, "documents/vendor_invoice/x.jpg", scan)
        stub.assert_no_pending_responses()
    assert reading is not None and reading.source == "textract"
    assert (reading.vendor_name, reading.vendor_tax_id, reading.invoice_number) == (
        "Acme Supplies Ltd",
        "0105551234567",
        "A-1001",
    )
    assert (reading.issue_date, reading.currency) == (date(2026, 11, 4), "THB")
    assert (reading.net, reading.vat, reading.total) == (
        Decimal("1000.00"),
        Decimal("70.00"),
        Decimal("1070.00"),
    )


def test_a_pdf_whose_text_gives_the_total_is_not_sent_to_textract() -> None:
    class Refusing:
        def read(self, key: str, data: bytes) -> None:
            raise AssertionError("asked although the text layer had the total")

    reading = read_bill(
        [TextLayer(OWN_TAX_ID, "THB"), Refusing()], "x.pdf", printed_pdf(*THAI_VENDOR_INVOICE)
    )
    assert reading is not None and reading.total == Decimal("10700.00")


def test_a_document_textract_cannot_read_opens_an_empty_draft_but_a_throttle_is_retried() -> None:
    textract = boto3.client("textract", region_name="ap-southeast-1")
    reader = Expense("docs", "THB", textract)
    with Stubber(textract) as stub:
        stub.add_client_error("analyze_expense", "UnsupportedDocumentException", "pages: 4")
        stub.add_client_error("analyze_expense", "ProvisionedThroughputExceededException", "slow down")
        assert reader.read("documents/vendor_invoice/x.tiff", b"II*\x00") is None
        with pytest.raises(ClientError):
            reader.read("documents/vendor_invoice/x.tiff", b"II*\x00")
