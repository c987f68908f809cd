"""Classification follows the documented order: stated type, folder, file name, keywords."""

import pytest

from intake.classify import Rules, classify, default_rules
from intake.model import DocumentType


def kind(key: str, text: str = "", stated: str | None = None) -> tuple[str, str]:
    name = key.rsplit("/", 1)[-1]
    result = classify(stated=stated, key=key, name=name, text=text)
    return result.type.value, result.source


def test_the_uploader_s_stated_type_wins() -> None:
    assert kind("inbox/payroll/invoice.pdf", "invoice", stated="Contract") == ("contract", "explicit")


def test_an_unknown_stated_type_is_ignored() -> None:
    assert kind("inbox/payroll/x.csv", stated="banana") == ("payroll_register", "folder")


def test_the_inbox_folder_comes_before_the_name() -> None:
    assert kind("inbox/contracts/invoice-12.pdf") == ("contract", "folder")
    assert kind("inbox/Receipts/scan.png") == ("receipt", "folder")
    assert kind("inbox/bank/export-0001.csv") == ("bank_statement", "folder")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hóa đơn tháng 11.pdf", "vendor_invoice"),
        ("INV-2026-118.pdf", "vendor_invoice"),
        ("ใบแจ้งหนี้ พฤศจิกายน.pdf", "vendor_invoice"),
        ("cheque-register-2026-11-20.csv", "payroll_register"),
        ("Biên lai taxi.jpg", "receipt"),
        ("Hợp đồng thuê nhà.docx", "contract"),
        ("W-9 ACME.pdf", "tax_form"),
        ("passport scan.tiff", "identity"),
        ("หนังสือรับรองการหักภาษี ณ ที่จ่าย 50 ทวิ.pdf", "withholding_certificate"),
        ("Chứng từ khấu trừ thuế TNCN.pdf", "withholding_certificate"),
        ("ใบกำกับภาษี_พฤศจิกายน.pdf", "vendor_invoice"),  # a keyword in the name
        ("Tờ-khai-thuế-GTGT.pdf", "tax_form"),
        ("Sao kê tài khoản 11-2026.csv", "bank_statement"),
        ("kbank bank-statement 2026-11.csv", "bank_statement"),
        ("export.ofx", "bank_statement"),
    ],
)
def test_file_name_patterns_in_three_languages(name: str, expected: str) -> None:
    assert kind(f"inbox/{name}") == (expected, "filename")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cheque_number,employee_id,net_amount,pay_date", "payroll_register"),
        ("Số hóa đơn: 0001182\nTổng tiền thanh toán: 1.250.000 đ", "vendor_invoice"),
        ("ใบเสร็จรับเงิน ได้รับเงินเรียบร้อยแล้ว", "receipt"),
        ("THIS AGREEMENT between the parties hereinafter", "contract"),
        ("Department of the Treasury Internal Revenue Service Form W-9", "tax_form"),
        ("กรมสรรพากร แบบ ภ.พ.30", "tax_form"),
        (
            "หนังสือรับรองการหักภาษี ณ ที่จ่าย ตามมาตรา 50 ทวิ แห่งประมวลรัษฎากร กรมสรรพากร ภ.ง.ด.53",
            "withholding_certificate",
        ),
        ("CHỨNG TỪ KHẤU TRỪ THUẾ THU NHẬP CÁ NHÂN", "withholding_certificate"),
        ("Date,Time,Description,Withdrawal,Deposit,Outstanding Balance", "bank_statement"),
        ("Ngày giao dịch,Số tiền ghi nợ,Số tiền ghi có,Số dư", "bank_statement"),
    ],
)
def test_keywords_in_the_text(text: str, expected: str) -> None:
    assert kind("inbox/scan-0001.pdf", text) == (expected, "keywords")


def test_keywords_are_matched_whatever_the_unicode_form() -> None:
    decomposed = "ho\u0301a đơn"  # "hóa đơn" with a combining accent, as some PDFs extract it
    assert kind("inbox/scan.pdf", decomposed) == ("vendor_invoice", "keywords")


def test_nothing_recognisable_is_other() -> None:
    assert kind("inbox/IMG_2231.jpg") == ("other", "default")


def test_ties_go_to_the_type_listed_first() -> None:
    rules = Rules(keywords={"receipt": ["paid"], "contract": ["signed"]})  # type: ignore[dict-item]
    result = classify(stated=None, key="inbox/x.txt", name="x.txt", text="signed and paid", rules=rules)
    assert result.type.value == "receipt"


def test_the_shipped_rules_cover_every_type_but_other() -> None:
    rules = default_rules()
    assert set(rules.keywords) == set(DocumentType) - {DocumentType.OTHER}
