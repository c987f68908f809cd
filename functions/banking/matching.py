"""Which open invoice a bank credit pays: the rules, in order, and nothing else.

1. `invoice_number`: the line's text names an open invoice's number (INV-2026-000012, also written
   INV2026000012 or "inv 2026 12") in the line's currency, and the money is not more than it owes;
2. `payer_amount`: the payer is known — assigned to a customer before, or written as a customer's
   name — and exactly one of that customer's open invoices owes exactly this amount.
Anything else waits for a person, whose choice (`assigned`) is remembered for the payer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.statements import StatementLine
from invoicing.interface import OpenInvoice, invoice_number

NUMBER = re.compile(r"\bINV[\s_-]*(\d{4})[\s_-]*(\d{1,6})\b", re.IGNORECASE)


class Rule(StrEnum):
    INVOICE_NUMBER = "invoice_number"
    PAYER_AMOUNT = "payer_amount"
    ASSIGNED = "assigned"


@dataclass(frozen=True)
class Match:
    invoice: OpenInvoice
    rule: Rule


def invoice_numbers(text: str) -> set[str]:
    return {invoice_number(int(year), int(sequence)) for year, sequence in NUMBER.findall(text)}


def _plain(text: str) -> str:
    """Letters and digits only, casefolded, accents and Thai marks kept as the bank wrote them."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


def payer_key(payer: str | None) -> str | None:
    """Who paid, as remembered: the payer's words without those holding digits (account tails such as
    X5521, invoice numbers, dates), casefolded."""
    if not payer:
        return None
    words = [
        w for w in unicodedata.normalize("NFC", payer).casefold().split() if not any(c.isdigit() for c in w)
    ]
    return " ".join(words) or None


def match(
    line: StatementLine, open_invoices: Sequence[OpenInvoice], payers: Mapping[str, str]
) -> Match | None:
    """The invoice a credit pays and the rule that found it, or None. `payers`: payer key → email."""
    if line.amount <= 0:
        return None
    same_currency = [i for i in open_invoices if i.currency == line.currency]
    named = invoice_numbers(f"{line.reference} {line.payer or ''}")
    by_number = [i for i in same_currency if i.number in named and line.amount <= i.amount_due]
    if len(by_number) == 1:
        return Match(by_number[0], Rule.INVOICE_NUMBER)
    key = payer_key(line.payer)
    remembered = payers.get(key) if key else None
    text = _plain(line.payer or line.reference)
    customers = (
        {remembered}
        if remembered
        else {
            i.customer_email
            for i in same_currency
            if len(_plain(i.customer_name)) >= 4 and _plain(i.customer_name) in text
        }
    )
    exact = [i for i in same_currency if i.customer_email in customers and i.amount_due == line.amount]
    return Match(exact[0], Rule.PAYER_AMOUNT) if len(exact) == 1 else None
