"""Payment QR codes: the payloads the schemes' published examples give, and what an invoice's code pays."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from invoicing import payqr
from invoicing.pdf import render
from tests.builders import invoice

# PromptPay: the examples of the promptpay-qr reference implementation the Thai banks' apps accept
PROMPTPAY = [
    ("0801234567", None, "00020101021129370016A000000677010111011300668012345675802TH530376463046197"),
    ("+66-89-123-4567", None, "00020101021129370016A000000677010111011300668912345675802TH5303764630429C1"),
    ("1111111111111", None, "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A"),
    ("0123456789012", None, "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD"),
    (
        "000-000-0000",
        Decimal("4.22"),
        "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469",
    ),
]


@pytest.mark.parametrize(("target", "amount", "expected"), PROMPTPAY)
def test_promptpay_payloads_are_the_published_ones(
    target: str, amount: Decimal | None, expected: str
) -> None:
    assert payqr.promptpay(target, amount) == expected


def test_a_vietqr_payload_is_the_published_one_with_its_purpose_in_plain_letters() -> None:
    # 120,000 VND to account 0011001932418 at VietinBank (BIN 970415), "ủng hộ lũ lụt"
    expected = (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C"
    )
    assert payqr.vietqr("970415", "0011001932418", Decimal("120000"), "ủng hộ lũ lụt") == expected


def fields(payload: str) -> dict[str, str]:
    """The top-level fields of an EMVCo payload, by tag."""
    found, at = {}, 0
    while at < len(payload):
        size = int(payload[at + 2 : at + 4])
        found[payload[at : at + 2]] = payload[at + 4 : at + 4 + size]
        at += 4 + size
    return found


def test_an_invoice_s_code_pays_what_it_owes_now_with_its_number() -> None:
    owing = invoice(price="1500.00", rate=7)  # 1,605.00 THB
    code = payqr.for_invoice(owing, {"promptpay": "0105556000017"})
    assert code is not None and code.scheme == "promptpay"
    found = fields(code.payload)
    assert found["54"] == "1605.00" and found["53"] == "764" and found["62"] == "0115INV-2026-000001"
    assert payqr.with_crc(code.payload[:-8]) == code.payload


def test_no_code_where_nothing_is_owed_or_the_office_has_no_account_in_that_currency() -> None:
    accounts = {"promptpay": "0105556000017", "vietqr_bank": "970436", "vietqr_account": "0011000000000"}
    assert payqr.for_invoice(invoice(number=None), accounts) is None  # a draft pays nothing
    assert payqr.for_invoice(invoice(currency="USD", rate=0), accounts) is None
    assert payqr.for_invoice(invoice(), {"promptpay": ""}) is None
    vnd = payqr.for_invoice(invoice(currency="VND", price="1000000", rate=10), accounts)
    assert vnd is not None and fields(vnd.payload)["54"] == "1100000"


def test_bad_accounts_are_refused() -> None:
    with pytest.raises(ValueError, match="PromptPay id"):
        payqr.promptpay("12345")
    with pytest.raises(ValueError, match="six-digit bank BIN"):
        payqr.vietqr("97043", "0011")


@pytest.mark.parametrize(
    ("currency", "price", "account", "words", "due"),
    [
        (
            "THB",
            "1500.00",
            {"promptpay": "0105556000017"},
            "pay 1,605.00 THB (PromptPay, reference",
            "1605.00",
        ),
        (
            "VND",
            "1500000",
            {"vietqr_bank": "970436", "vietqr_account": "0011000000000"},
            "pay 1,605,000 VND (VietQR, reference",
            "1605000",
        ),
    ],
)
def test_the_code_printed_on_the_invoice_scans_back_to_the_amount_due(
    tmp_path: Path, currency: str, price: str, account: dict[str, str], words: str, due: str
) -> None:
    owing = invoice(price=price, rate=7, currency=currency)
    pdf = render(owing, {"name": "Demo", "address": "Bangkok", "tax_id": "0105556000017", **account})
    assert words in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    (tmp_path / "invoice.pdf").write_bytes(pdf)
    draw = ["pdftoppm", "-r", "150", "-png", "-singlefile", "invoice.pdf", "page"]
    subprocess.run(draw, cwd=tmp_path, check=True)
    scan = ["zbarimg", "--quiet", "--raw", "page.png"]  # zbar, from Debian (`make` installs it)
    scanned = subprocess.run(scan, cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()
    code = payqr.for_invoice(owing, account)
    assert code is not None and scanned == code.payload and fields(scanned)["54"] == due
