"""The contract between each capability's records and the office analysis: a record as the
capability stores it (its own item builder), read back as its table's stream delivers it, moves the
figures it should. A change of key layout or field names fails here, loudly, not as zeros in a report."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from boto3.dynamodb.types import TypeDeserializer

from analysis.figures import Context, increments
from compliance.model import Obligation, Status
from compliance.store import obligation_item
from core.dynamo import serialize
from intake.model import Document, DocumentType
from intake.model import Status as DocumentStatus
from intake.store import document_item
from invoicing import rules
from invoicing.arithmetic import TaxRounding
from invoicing.reminders import Ladder
from invoicing.store import invoice_item
from payroll.lifecycle import move
from payroll.model import PayRun, RunStatus
from payroll.store import cheque_item, run_item
from tests.builders import cheque, invoice, payment

BANGKOK = ZoneInfo("Asia/Bangkok")
AT = datetime(2026, 11, 20, 3, tzinfo=UTC)
_deserializer = TypeDeserializer()


def streamed(item: dict[str, Any]) -> dict[str, Any]:
    """The image a DynamoDB stream delivers of a stored item (numbers as Decimal, dates as text)."""
    return {key: _deserializer.deserialize(value) for key, value in serialize(item).items()}


def moved(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, dict[str, Decimal]]:
    found = increments(streamed(old) if old else None, streamed(new) if new else None, Context(BANGKOK, AT))
    return {entry.month: entry.add for entry in found}


def test_intake_a_filed_document_counts_as_received_and_filed() -> None:
    document = Document(
        id="d1",
        type=DocumentType.VENDOR_INVOICE,
        status=DocumentStatus.FILED,
        original_key="inbox/bill.pdf",
        original_name="bill.pdf",
        sha256="0" * 64,
        size=10,
        uploaded_by="user:clerk",
        uploaded_at=datetime(2026, 10, 31, 18, tzinfo=UTC),  # 1 November in Bangkok
    )
    assert moved(None, document_item(document)) == {
        "2026-11": {
            "intake.received": 1,
            "intake.received.vendor_invoice": 1,
            "intake.filed": 1,
        }
    }


def test_invoicing_an_issued_then_paid_invoice_moves_what_is_owed() -> None:
    draft = invoice(number=None, price="1000.00")
    issued = invoice(price="1000.00")
    paid = rules.with_payment(issued, payment("1070.00", on=date(2026, 12, 2)), TaxRounding.PER_RATE)
    ladder = Ladder.parse("7")
    assert moved(invoice_item(draft, ladder), invoice_item(issued, ladder)) == {
        "2026-11": {
            "invoicing.issued": 1,
            "invoicing.issued_total.THB": Decimal("1070.00"),
            "invoicing.receivable_change.THB": Decimal("1070.00"),
            "invoicing.net_at_7.THB": Decimal("1000.00"),
            "invoicing.vat_at_7.THB": Decimal("70.00"),
        }
    }
    assert moved(invoice_item(issued, ladder), invoice_item(paid, ladder)) == {
        "2026-12": {
            "invoicing.collected.THB": Decimal("1070.00"),
            "invoicing.receivable_change.THB": Decimal("-1070.00"),
            "invoicing.paid": 1,
            "invoicing.paid_on_time": 1,  # due 30 days after 20 November
        }
    }


def test_invoicing_tax_withheld_settles_what_is_owed_but_is_not_collected_money() -> None:
    issued = invoice()
    net = payment("1560.00", withheld="45.00", on=date(2026, 11, 28))
    paid = rules.with_payment(issued, net, TaxRounding.PER_RATE)
    ladder = Ladder.parse("7")
    assert moved(invoice_item(issued, ladder), invoice_item(paid, ladder)) == {
        "2026-11": {
            "invoicing.collected.THB": Decimal("1560.00"),
            "invoicing.withheld.THB": Decimal("45.00"),
            "invoicing.receivable_change.THB": Decimal("-1605.00"),
            "invoicing.paid": 1,
            "invoicing.paid_on_time": 1,
        }
    }


def test_payroll_a_run_counts_its_cheques_and_a_hand_over_its_wait() -> None:
    run = PayRun(
        id="r1", status=RunStatus.IMPORTED, pay_date=date(2026, 11, 20), cheque_count=3, created_at=AT
    )
    assert moved(None, run_item(run)) == {"2026-11": {"payroll.runs": 1, "payroll.cheques": 3}}
    ready = cheque(ready_on=date(2026, 11, 20))
    handed = move(
        ready,
        "handover",
        by="user:clerk",
        at=datetime(2026, 11, 24, 3, tzinfo=UTC),
        received_by="Lan",
        method="photo_id",
    )
    assert moved(cheque_item(ready), cheque_item(handed)) == {
        "2026-11": {"payroll.handed_over": 1, "payroll.handed_over_within_2": 1}  # Friday to Tuesday
    }


def test_compliance_an_obligation_counts_as_due_in_its_month() -> None:
    obligation = Obligation(
        id="o1",
        series_id="o1",
        title="Thai VAT return (PP.30)",
        due_date=date(2026, 12, 15),
        effective_due_date=date(2026, 12, 15),
        owner_email="owner@example.com",
        status=Status.UPCOMING,
        created_at=AT,
        created_by="user:clerk",
    )
    assert moved(None, obligation_item(obligation, 3)) == {"2026-12": {"compliance.due": 1}}


def test_payables_an_approved_bill_counts_its_input_vat_in_the_month_of_the_vendor_s_invoice() -> None:
    from core.dynamo import Table
    from core.identity import Caller
    from payables import rules as bills
    from payables.model import BillFigures, Vendor
    from payables.store import PayablesStore

    store = PayablesStore(Table("payables"), "audit", 3)
    figures = BillFigures(
        vendor=Vendor(name="Siam Paper", tax_id="0105551234567"),
        invoice_number="IV-1",
        issue_date=date(2026, 10, 31),
        due_date=date(2026, 11, 30),
        currency="THB",
        net=Decimal("1000.00"),
        vat=Decimal("70.00"),
        total=Decimal("1070.00"),
    )
    draft = bills.opened("b1", "doc", None, datetime(2026, 11, 2, tzinfo=UTC))
    clerk = Caller(subject="c", groups=frozenset({"staff"}))
    approved = bills.confirmed(
        draft, figures, clerk, draft.created_at, pay_to=None, limit=Decimal(5000), spent=Decimal(0)
    )
    assert moved(store.bill_item(draft), store.bill_item(approved)) == {
        "2026-10": {
            "payables.bills": 1,
            "payables.billed.THB": Decimal("1070.00"),
            "payables.net.THB": Decimal("1000.00"),
            "payables.input_vat.THB": Decimal("70.00"),
        }
    }
