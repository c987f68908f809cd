"""The month's books from the monthly figures (pure): income and expenses, the VAT owed or to be
refunded, per currency, and the boxes of the office's VAT return.

Rules written down:
- income: invoiced (issued totals), credited and debited (notes' totals with tax), collected; expenses:
  billed (approved bills with tax, in the month of the vendor's invoice date) and paid;
- output VAT = tax of the invoices issued (per rate) + debit notes' tax − credit notes' tax; a voided
  invoice takes its tax back in the month it was voided; input VAT = approved bills' VAT;
- VAT payable = output − input; negative, it is to be refunded or carried forward;
- Thailand (THB), form ภ.พ.30: 1 sales, 2 zero-rated sales, 3 exempt sales (none are recorded), 4 taxable
  sales (1 − 2 − 3), 5 output tax, 6 purchases with deductible tax, 7 input tax, 8 tax to pay (5 − 7
  when positive), 9 tax paid in excess (7 − 5 when positive);
- Vietnam (VND), form 01/GTGT: [23] purchases, [24] their VAT, [25] VAT deducted, [26] sales not
  subject to VAT (none recorded), [29] 0 % sales, [30] 5 % sales, [31] their VAT, [32] 10 % sales (8 %
  under the reduced rate included), [33] their VAT, [34] all sales, [35] all output VAT, [36] [35] − [25];
- a month is locked once closed: what a later change adds to it is counted in the month it happened,
  listed as carried from the closed month.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from analysis.store import Month

ZERO = Decimal(0)
CURRENCY = re.compile(r"^[A-Z]{3}$")


def _at_rate(month: Month, kind: str, currency: str) -> dict[Decimal, Decimal]:
    prefix = f"invoicing.{kind}_at_"
    found: dict[Decimal, Decimal] = {}
    for name, value in month.figures.items():
        stem, _, cur = name.rpartition(".")
        if cur == currency and stem.startswith(prefix):
            rate = Decimal(stem.removeprefix(prefix).replace("_", "."))
            found[rate] = found.get(rate, ZERO) + value
    return found


def books(month: Month, currency: str) -> dict[str, Decimal]:
    def g(name: str) -> Decimal:
        return month.get(f"{name}.{currency}")

    output = (
        sum(_at_rate(month, "vat", currency).values(), ZERO)
        + g("invoicing.debit_vat")
        - g("invoicing.credit_vat")
    )
    sales = (
        sum(_at_rate(month, "net", currency).values(), ZERO)
        + g("invoicing.debit_net")
        - g("invoicing.credit_net")
    )
    return {
        "invoiced": g("invoicing.issued_total"),
        "credited": g("invoicing.credit_net") + g("invoicing.credit_vat"),
        "debited": g("invoicing.debit_net") + g("invoicing.debit_vat"),
        "collected": g("invoicing.collected"),
        "withheld_by_customers": g("invoicing.withheld"),
        "refunded": g("invoicing.refunded"),
        "sales_without_vat": sales,
        "billed": g("payables.billed"),
        "purchases_without_vat": g("payables.net"),
        "paid_to_vendors": g("payables.paid"),
        "output_vat": output,
        "input_vat": g("payables.input_vat"),
        "vat_payable": output - g("payables.input_vat"),
    }


def pp30(month: Month, figures: dict[str, Decimal]) -> dict[str, Decimal]:
    zero_rated = _at_rate(month, "net", "THB").get(ZERO, ZERO)
    output, input_vat = figures["output_vat"], figures["input_vat"]
    sales = figures["sales_without_vat"]
    return {
        "1": sales,
        "2": zero_rated,
        "3": ZERO,
        "4": sales - zero_rated,
        "5": output,
        "6": figures["purchases_without_vat"],
        "7": input_vat,
        "8": max(output - input_vat, ZERO),
        "9": max(input_vat - output, ZERO),
    }


def gtgt01(month: Month, figures: dict[str, Decimal]) -> dict[str, Decimal]:
    net, vat = _at_rate(month, "net", "VND"), _at_rate(month, "vat", "VND")
    notes = figures["sales_without_vat"] - sum(net.values(), ZERO)  # notes' values, at no one rate

    def band(*rates: str) -> tuple[Decimal, Decimal]:
        chosen = [Decimal(r) for r in rates]
        return sum((net.get(r, ZERO) for r in chosen), ZERO), sum((vat.get(r, ZERO) for r in chosen), ZERO)

    five, ten = band("5"), band("8", "10")
    return {
        "23": figures["purchases_without_vat"],
        "24": figures["input_vat"],
        "25": figures["input_vat"],
        "26": ZERO,
        "29": net.get(ZERO, ZERO),
        "30": five[0],
        "31": five[1],
        "32": ten[0] + notes,
        "33": figures["output_vat"] - five[1],
        "34": figures["sales_without_vat"],
        "35": figures["output_vat"],
        "36": figures["output_vat"] - figures["input_vat"],
    }


def _currencies(month: Month) -> list[str]:
    return sorted(
        {
            name.rpartition(".")[2]
            for name in month.figures
            if name.startswith(("invoicing.", "payables.")) and CURRENCY.match(name.rpartition(".")[2])
        }
    )


def _moved(note: Month) -> dict[str, dict[str, Decimal]]:
    """What a note carried, in the books' own terms (only what moved)."""
    return {c: {k: v for k, v in books(note, c).items() if v} for c in _currencies(note)}


def build(month: Month, country: str, closed: bool) -> dict[str, Any]:
    """The month's books, per currency that moved, with the return of the office's country."""
    per_currency = {currency: books(month, currency) for currency in _currencies(month)}
    built: dict[str, Any] = {"month": month.month, "closed": closed, "currencies": per_currency}
    if country == "TH":
        built["return"] = {"form": "PP30", "currency": "THB", "boxes": pp30(month, books(month, "THB"))}
    elif country == "VN":
        built["return"] = {"form": "01/GTGT", "currency": "VND", "boxes": gtgt01(month, books(month, "VND"))}
    built["carried"] = [
        {
            "from": note["from"],
            "currencies": _moved(
                Month(str(note["from"]), {k: Decimal(v) for k, v in note["figures"].items()})
            ),
        }
        for note in sorted(month.notes, key=lambda n: str(n["from"]))
    ]
    return built


def to_csv(built: dict[str, Any]) -> str:
    """One row per figure: `figure,currency,value`, then the return's boxes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["figure", "currency", built["month"]])
    for currency, figures in built["currencies"].items():
        for name, value in figures.items():
            writer.writerow([name, currency, value])
    if "return" in built:
        for box, value in built["return"]["boxes"].items():
            writer.writerow([f"{built['return']['form']} {box}", built["return"]["currency"], value])
    return out.getvalue()
