"""The month's books: output VAT from invoices and notes, input VAT from bills, the VAT return's boxes."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from analysis.figures import Context, increments
from analysis.store import Month
from analysis.summary import build, to_csv

BANGKOK = ZoneInfo("Asia/Bangkok")
AT = Context(BANGKOK, datetime(2026, 11, 20, 3, tzinfo=UTC))


def month_of(*changes: tuple[dict, dict]) -> Month:
    month = Month("2026-11")
    for old, new in changes:
        for inc in increments(old, new, AT):
            assert inc.month == "2026-11"
            for name, value in inc.add.items():
                month.figures[name] = month.figures.get(name, Decimal(0)) + value
    return month


def invoice(total: str, breakdown: list[tuple[str, str, str]], **fields: object) -> dict:
    base = {
        "sk": "INV",
        "currency": "THB",
        "status": "issued",
        "number": "INV-2026-000001",
        "issue_date": "2026-11-02",
        "total": total,
        "tax_total": str(sum(Decimal(t) for _, _, t in breakdown)),
        "amount_due": total,
        "tax_breakdown": [{"rate": r, "taxable_amount": n, "tax_amount": t} for r, n, t in breakdown],
    }
    return {**base, **fields}


def bill(status: str, total: str, vat: str) -> dict:
    figures = {
        "currency": "THB",
        "issue_date": "2026-11-03",
        "net": str(Decimal(total) - Decimal(vat)),
        "vat": vat,
        "total": total,
    }
    return {"sk": "BILL", "status": status, "figures": figures, "payments": []}


def test_output_vat_against_input_vat_gives_what_is_payable_and_the_pp30_boxes() -> None:
    sale = invoice("21400.00", [("7", "20000.00", "1400.00")])
    export = invoice("5000.00", [("0", "5000.00", "0.00")], number="INV-2026-000002")
    note = {"id": "n1", "amount": "1070.00", "date": "2026-11-10", "lines": []}
    credited = {**sale, "credit_notes": [note]}
    awaiting, approved = (
        bill("awaiting_approval", "10700.00", "700.00"),
        bill("approved", "10700.00", "700.00"),
    )
    month = month_of(
        ({"sk": "INV", "currency": "THB"}, sale),
        ({"sk": "INV", "currency": "THB"}, export),
        (sale, credited),
        ({"sk": "BILL"}, awaiting),
        (awaiting, approved),
    )
    built = build(month, "TH", closed=False)
    books = built["currencies"]["THB"]
    assert books["output_vat"] == Decimal("1330.00")  # 1400 less the credit note's 70
    assert books["input_vat"] == Decimal("700.00")
    assert books["vat_payable"] == Decimal("630.00")
    assert built["return"]["boxes"] == {
        "1": Decimal("24000.00"),
        "2": Decimal("5000.00"),
        "3": Decimal(0),
        "4": Decimal("19000.00"),
        "5": Decimal("1330.00"),
        "6": Decimal("10000.00"),
        "7": Decimal("700.00"),
        "8": Decimal("630.00"),
        "9": Decimal(0),
    }
    assert "PP30 8,THB,630.00" in to_csv(built)


def test_a_bill_rejected_after_approval_is_taken_back_and_a_refund_shows_negative() -> None:
    approved = bill("approved", "10700.00", "700.00")
    month = month_of(({"sk": "BILL"}, approved))
    assert build(month, "TH", closed=False)["return"]["boxes"]["9"] == Decimal("700.00")
    rejected = {**approved, "status": "rejected"}
    month = month_of(({"sk": "BILL"}, approved), (approved, rejected))
    assert build(month, "TH", closed=False)["currencies"]["THB"]["input_vat"] == Decimal(0)


def test_the_vietnamese_return_splits_sales_by_rate() -> None:
    sale = invoice(
        "33000000",
        [("10", "20000000", "2000000"), ("5", "10000000", "500000"), ("8", "1000000", "80000")],
        currency="VND",
    )
    sale["total"] = "33580000"
    month = month_of(({"sk": "INV", "currency": "VND"}, sale))
    boxes = build(month, "VN", closed=True)["return"]["boxes"]
    assert (boxes["30"], boxes["31"]) == (Decimal(10000000), Decimal(500000))
    assert (boxes["32"], boxes["33"]) == (Decimal(21000000), Decimal(2080000))
    assert (boxes["34"], boxes["35"], boxes["36"]) == (Decimal(31000000), Decimal(2580000), Decimal(2580000))
