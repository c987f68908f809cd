"""Reading a vendor's invoice: the figures a draft bill starts with.

One small interface, `Extractor`: given the filed document, what could be read (`Reading`), any
figure possibly missing. Two readers stand behind it:
- `TextLayer` reads the PDF's own text (pypdf), line by line, by the labels Thai, Vietnamese and
  English invoices print (below); free, exact, and enough for every PDF a vendor's software made;
- `payables.textract.Expense` asks Amazon Textract's AnalyzeExpense, for scans and photos.
`read_bill` tries the text layer first and the next reader only when the total was not found.

Rules written down: an amount is the last number on its label's line ("VAT 7% 700.00" is 700.00);
`.` groups thousands in VND, `,` elsewhere; a year above 2400 is the Buddhist era (minus 543); the
vendor's tax id is the first on the page that is not the office's own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from core.money import MoneyError, parse_amount
from payables.model import Reading

BUDDHIST_ERA = 543
LABELS = {
    "bank_account": r"bank\s*account(\s*(no\.?|number))?|account\s*(no\.?|number)|a/c(\s*no\.?)?"
    r"|เลขที่บัญชี|บัญชีเลขที่|số\s*tài\s*khoản|stk",
    "vendor_tax_id": r"tax\s*id|tin|vat\s*reg(istration)?\s*no\.?|เลขประจำตัวผู้เสียภาษี(อากร)?"
    r"|mã\s*số\s*thuế|mst",
    "invoice_number": r"(tax\s*)?invoice\s*(no\.?|number|#)|เลขที่(ใบกำกับภาษี)?|số\s*hóa\s*đơn|số",
    "due_date": r"due\s*date|payment\s*due|ครบกำหนด(ชำระ)?|วันครบกำหนด|hạn\s*thanh\s*toán",
    "issue_date": r"(invoice\s*)?date|วันที่|ngày(\s*lập)?",
    "net": r"sub\s*-?total|net\s*amount|amount\s*before\s*vat|มูลค่าสินค้า(หรือบริการ)?|รวมเงิน|cộng\s*tiền\s*hàng",
    "vat": r"vat|ภาษีมูลค่าเพิ่ม|(tiền\s*)?thuế\s*gtgt",
    "total": r"(grand\s*)?total(\s*amount)?|amount\s*due|รวมทั้งสิ้น|จำนวนเงินรวม(ทั้งสิ้น)?"
    r"|tổng\s*cộng(\s*tiền\s*thanh\s*toán)?",
    "vendor_name": r"seller|supplier|vendor|ผู้ขาย|ผู้ให้บริการ|đơn\s*vị\s*bán(\s*hàng)?",
}
PATTERNS = {
    name: re.compile(rf"^\s*(?:{label})(?=[\s:#.]|$)\s*[:#.]?\s*(?P<value>.*)$", re.IGNORECASE)
    for name, label in LABELS.items()
}
CURRENCIES = (("VND", r"\bVND\b|₫|\bđồng\b"), ("THB", r"\bTHB\b|บาท|฿"), ("USD", r"\bUSD\b|US\$"))
NUMBER = re.compile(r"\d[\d.,]*\d|\d")
DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})(?:[/.-]|\s*tháng\s*)(\d{1,2})(?:[/.-]|\s*năm\s*)(\d{4})",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d[\d\s-]{8,18}\d")
ACCOUNT = re.compile(r"\d[\d -]{4,28}\d")


class Extractor(Protocol):
    def read(self, key: str, data: bytes) -> Reading | None:
        """What this reader finds in the document at `key` (its bytes given), or None if it cannot."""


def amount(text: str, currency: str) -> Decimal | None:
    """The last number of `text` as money of `currency`."""
    found = NUMBER.findall(text)
    if not found:
        return None
    raw = found[-1]
    grouping, decimal = (".", ",") if currency == "VND" else (",", ".")
    raw = raw.replace(grouping, "").replace(decimal, ".")
    try:
        return parse_amount(Decimal(raw), currency)
    except (InvalidOperation, MoneyError):
        return None


def day(text: str) -> date | None:
    """The first date in `text`: ISO, or day/month/year (Buddhist years too)."""
    match = DATE.search(text)
    if not match:
        return None
    if match.group(1):
        year, month, dom = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        dom, month, year = int(match.group(4)), int(match.group(5)), int(match.group(6))
    if year > 2400:
        year -= BUDDHIST_ERA
    try:
        return date(year, month, dom)
    except ValueError:
        return None


def currency_of(text: str, default: str) -> str:
    for code, pattern in CURRENCIES:
        if re.search(pattern, text, re.IGNORECASE):
            return code
    return default


def parsed(source: str, found: Mapping[str, str], currency: str) -> Reading:
    """A reading from the text found for each field: amounts and dates parsed, the tax id's digits."""
    vendor = found.get("vendor_name", "").strip()
    return Reading(
        source=source,
        vendor_name=vendor[:200] or None,
        vendor_tax_id=_tax_id(found.get("vendor_tax_id", "")) or None,
        invoice_number=found.get("invoice_number", "").strip() or None,
        issue_date=day(found.get("issue_date", "")),
        due_date=day(found.get("due_date", "")),
        currency=currency,
        net=amount(found.get("net", ""), currency),
        vat=amount(found.get("vat", ""), currency),
        total=amount(found.get("total", ""), currency),
        bank_account=_account(found.get("bank_account", "")),
    )


def _account(text: str) -> str | None:
    """The account number on a "bank account" line, as printed ("123-4-56789-0")."""
    match = ACCOUNT.search(text)
    return match.group(0).strip() if match else None


def read_text(text: str, *, own_tax_id: str, default_currency: str) -> Reading:
    """The figures printed next to their labels in an invoice's text (the vendor's name, if no label
    says it, is the first line)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found: dict[str, str] = {}
    for line in lines:
        for name, pattern in PATTERNS.items():
            match = pattern.match(line)
            if match:
                value = match.group("value")
                if name not in found and not (name == "vendor_tax_id" and _tax_id(value) in ("", own_tax_id)):
                    found[name] = value
                break
    found.setdefault("vendor_name", lines[0] if lines else "")
    words = found.get("invoice_number", "").split()
    found["invoice_number"] = words[0] if words else ""  # the number, not what follows it on the line
    return parsed("pdf-text", found, currency_of(text, default_currency))


def _tax_id(text: str) -> str:
    match = DIGITS.search(text)
    return re.sub(r"\D", "", match.group(0)) if match else ""


class TextLayer:
    """A PDF's own text (none for a scan, a photo or a PDF that does not open)."""

    def __init__(self, own_tax_id: str, default_currency: str) -> None:
        self.own_tax_id = re.sub(r"\D", "", own_tax_id)
        self.default_currency = default_currency

    def read(self, key: str, data: bytes) -> Reading | None:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        if not data.startswith(b"%PDF"):
            return None
        try:
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages[:3])
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            return None
        if not text.strip():
            return None
        return read_text(text, own_tax_id=self.own_tax_id, default_currency=self.default_currency)


def read_bill(readers: Sequence[Extractor], key: str, data: bytes) -> Reading | None:
    """The first reading that found a total, else the last reading there was."""
    best = None
    for reader in readers:
        reading = reader.read(key, data)
        if reading is not None:
            best = reading
            if reading.total is not None:
                break
    return best
