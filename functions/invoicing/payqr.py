"""Payment QR codes for what an invoice owes: Thai PromptPay and Vietnamese VietQR (NAPAS), both EMVCo
merchant-presented codes — tag, two-digit length, value — closed by a CRC-16/CCITT-FALSE checksum.

A bank app that scans one fills in the office's account, the amount due and the invoice number; the
payer still confirms. The account comes from template parameters only, never from a request.
"""

from __future__ import annotations

import binascii
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import segno

from invoicing.model import OPEN, Invoice

PROMPTPAY_AID = "A000000677010111"  # Bank of Thailand: PromptPay credit transfer
NAPAS_AID = "A000000727"  # NAPAS: VietQR
NAPAS_TO_ACCOUNT = "QRIBFTTA"  # inter-bank transfer 24/7 to an account


@dataclass(frozen=True)
class PaymentQr:
    scheme: str  # "promptpay" or "vietqr"
    payload: str

    @property
    def name(self) -> str:
        """The scheme as payers know it."""
        return {"promptpay": "PromptPay", "vietqr": "VietQR"}[self.scheme]

    def png(self) -> bytes:
        """The code as a PNG (quiet zone included), for the PDF and the email."""
        out = io.BytesIO()
        self._symbol().save(out, kind="png", scale=4, border=4)
        return out.getvalue()

    def svg_data_uri(self) -> str:
        """The code as an SVG `data:` URI, for the portal (whose CSP allows images from data:)."""
        return str(self._symbol().svg_data_uri(scale=4, border=4))

    def _symbol(self) -> segno.QRCode:
        return segno.make(self.payload, error="m", micro=False)


def for_invoice(invoice: Invoice, pay_to: Mapping[str, str]) -> PaymentQr | None:
    """The code that pays what the invoice owes now, in its currency's scheme, if the office has an
    account in it (`promptpay`, or `vietqr_bank` and `vietqr_account`); None otherwise."""
    if invoice.status not in OPEN or invoice.amount_due <= 0 or not invoice.number:
        return None
    if invoice.currency == "THB" and pay_to.get("promptpay"):
        return PaymentQr("promptpay", promptpay(pay_to["promptpay"], invoice.amount_due, invoice.number))
    if invoice.currency == "VND" and pay_to.get("vietqr_bank") and pay_to.get("vietqr_account"):
        code = vietqr(pay_to["vietqr_bank"], pay_to["vietqr_account"], invoice.amount_due, invoice.number)
        return PaymentQr("vietqr", code)
    return None


def field(tag: str, value: str) -> str:
    if not value or len(value) > 99:
        raise ValueError(f"EMVCo field {tag} must hold 1 to 99 characters")
    return f"{tag}{len(value):02d}{value}"


def with_crc(body: str) -> str:
    """Close a payload with its CRC field (tag 63), computed over everything before it, "6304" included."""
    unchecked = body + "6304"
    return unchecked + f"{binascii.crc_hqx(unchecked.encode('ascii'), 0xFFFF):04X}"


def promptpay(target: str, amount: Decimal | None = None, bill: str | None = None) -> str:
    """A PromptPay payload for a mobile number (0812345678) or a 13-digit tax or national id; with an
    amount it is a one-payment (dynamic) code. Fields in the order Thai banks' own codes use."""
    digits = re.sub(r"\D", "", target)
    if len(digits) >= 13:
        account = field("02", digits)
    elif 9 <= len(digits) <= 11:  # 0812345678, or +66 812345678: 0066812345678
        international = digits if digits.startswith("66") else "66" + digits.removeprefix("0")
        account = field("01", international.rjust(13, "0"))
    else:
        raise ValueError("a PromptPay id is a Thai mobile number or a 13-digit tax or national id")
    body = [
        field("00", "01"),
        field("01", "12" if amount is not None else "11"),
        field("29", field("00", PROMPTPAY_AID) + account),
        field("58", "TH"),
        field("53", "764"),
    ]
    if amount is not None:
        body.append(field("54", f"{amount:.2f}"))
    if bill:
        body.append(field("62", field("01", _ascii(bill, 25))))
    return with_crc("".join(body))


def vietqr(bank_bin: str, account: str, amount: Decimal | None = None, purpose: str | None = None) -> str:
    """A VietQR payload to a bank account (`bank_bin`, the bank's six-digit NAPAS BIN); the purpose,
    which the payer's bank shows and the statement carries, in plain ASCII."""
    if not re.fullmatch(r"\d{6}", bank_bin) or not re.fullmatch(r"[0-9A-Za-z]{1,19}", account):
        raise ValueError("VietQR needs a six-digit bank BIN and an account number of up to 19 characters")
    beneficiary = field("00", bank_bin) + field("01", account)
    body = [
        field("00", "01"),
        field("01", "12" if amount is not None else "11"),
        field("38", field("00", NAPAS_AID) + field("01", beneficiary) + field("02", NAPAS_TO_ACCOUNT)),
        field("53", "704"),
    ]
    if amount is not None:
        body.append(field("54", str(amount.quantize(Decimal(1)))))
    body.append(field("58", "VN"))
    if purpose:
        body.append(field("62", field("08", _ascii(purpose, 25))))
    return with_crc("".join(body))


def _ascii(text: str, limit: int) -> str:
    """Vietnamese or Thai text as the ASCII bank references carry ("Ủng hộ" → "Ung ho")."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -./"))[:limit].strip()
