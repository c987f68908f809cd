"""What each change adds to the monthly figures, and the report's rules."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from analysis.figures import Context, increments
from analysis.report import build, percentile, previous, share
from analysis.store import Month

BANGKOK = ZoneInfo("Asia/Bangkok")
AT = Context(BANGKOK, datetime(2026, 11, 20, 3, tzinfo=UTC))


def added(old: dict | None, new: dict | None) -> dict[str, dict[str, Decimal]]:
    return {inc.month: inc.add for inc in increments(old, new, AT)}


def invoice(**fields: object) -> dict:
    base = {
        "sk": "INV",
        "currency": "USD",
        "total": "110.00",
        "amount_due": "110.00",
        "payments": [],
        "credit_notes": [],
        "reminders": [],
        "status": "draft",
    }
    return {**base, **fields}


def test_an_invoice_counts_in_its_issue_month_and_a_late_payment_in_its_own() -> None:
    draft = invoice()
    issued = invoice(
        status="issued", number="INV-2026-000007", issue_date="2026-10-30", due_date="2026-11-13"
    )
    assert added(draft, issued) == {
        "2026-10": {
            "invoicing.issued": 1,
            "invoicing.issued_total.USD": Decimal("110.00"),
            "invoicing.receivable_change.USD": Decimal("110.00"),
        }
    }
    payment = {"id": "p1", "amount": "110.00", "date": "2026-11-20"}
    paid = {**issued, "status": "paid", "amount_due": "0.00", "payments": [payment]}
    assert added(issued, paid) == {
        "2026-11": {
            "invoicing.collected.USD": Decimal("110.00"),
            "invoicing.receivable_change.USD": Decimal("-110.00"),
            "invoicing.paid": 1,
        }  # after the due date: not on time
    }


def test_a_redelivered_image_pair_adds_nothing_new() -> None:
    same = invoice(status="issued", number="INV-2026-000008", issue_date="2026-11-02")
    assert added(same, same) == {}


def test_an_upload_counts_when_it_was_uploaded_in_the_business_timezone() -> None:
    document = {
        "sk": "DOC",
        "type": "receipt",
        "status": "filed",
        "uploaded_at": "2026-10-31T18:00:00+00:00",
        "filed_at": "2026-10-31T18:00:02.5+00:00",
    }
    (month,) = increments(None, document, AT)
    assert month.month == "2026-11"  # 01:00 on 1 November in Bangkok
    assert month.add == {"intake.received": 1, "intake.received.receipt": 1, "intake.filed": 1}
    assert month.samples == {"intake.seconds_to_file": [Decimal("2.5")]}


def test_a_hand_over_counts_business_days_since_the_cheque_was_ready() -> None:
    ready = {"sk": "CHQ", "status": "ready", "ready_on": "2026-11-20", "history": []}  # a Friday
    handed = {
        **ready,
        "status": "handed_over",
        "history": [{"status": "handed_over", "at": "2026-11-24T03:00:00+00:00", "by": "clerk"}],
    }
    (month,) = increments(ready, handed, AT)
    assert month.add == {"payroll.handed_over": 1, "payroll.handed_over_within_2": 1}
    assert month.samples == {"payroll.days_to_handover": [Decimal(2)]}  # Monday and Tuesday


def test_an_obligation_completed_late_counts_in_the_month_it_was_due() -> None:
    open_ = {"sk": "OBL", "status": "overdue", "effective_due_date": "2026-10-15", "sent": []}
    done = {**open_, "status": "completed", "completed_on": "2026-10-20"}
    assert added(None, open_) == {"2026-10": {"compliance.due": 1}}
    assert added(open_, done) == {"2026-10": {"compliance.completed_late": 1}}
    moved = {**open_, "status": "upcoming", "effective_due_date": "2026-12-01"}
    assert added(open_, moved) == {"2026-10": {"compliance.due": -1}, "2026-12": {"compliance.due": 1}}


def test_shares_percentiles_and_days_sales_outstanding() -> None:
    assert share(Decimal(2), Decimal(3)) == Decimal("0.667") and share(Decimal(1), Decimal(0)) is None
    values = [Decimal(v) for v in (9, 1, 5, 3, 7)]
    assert percentile(values, 0.5) == 5 and percentile(values, 0.95) == 9 and percentile([], 0.5) is None
    assert previous("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    months = {
        "2026-10": Month(
            "2026-10",
            {"invoicing.receivable_change.USD": Decimal("600"), "invoicing.issued_total.USD": Decimal("600")},
        ),
        "2026-11": Month(
            "2026-11",
            {
                "invoicing.receivable_change.USD": Decimal("-300"),
                "invoicing.issued_total.USD": Decimal("900"),
                "compliance.due": Decimal(3),
                "compliance.completed_on_time": Decimal(1),
            },
        ),
    }
    report = build("2026-11", months, today_month="2026-12")
    november = report["figures"][-1]
    assert november["invoicing"]["receivable_at_month_end"] == {"USD": Decimal("300")}
    assert november["invoicing"]["days_sales_outstanding"] == {"USD": Decimal("10.0")}  # 300 / 900 × 30
    assert november["compliance"]["still_overdue"] == 2
