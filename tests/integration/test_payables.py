"""Payables against moto: a vendor's PDF becomes a draft bill, is confirmed, approved by a second person,
reminded before it falls due and paid; the month's books then show its input VAT, and a closed month
keeps its figures."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from analysis.service import Counting
from analysis.store import AnalysisStore
from analysis.summary import build
from core.audit import history
from core.dynamo import Table
from core.errors import Conflict, Forbidden
from core.identity import Caller
from core.mailer import Mailer
from core.storage import ObjectStore
from infra.localcloud.provision import Clients
from infra.template import Template
from payables.model import BillFigures, BillPaymentRequest, BillStatus, Vendor
from payables.parties import Kind, PartyFields, PartyPatch
from payables.reading import TextLayer
from payables.service import Payables
from payables.store import PayablesStore
from tests.files import THAI_VENDOR_INVOICE, printed_pdf
from tests.integration.mail import sent_mail

BANGKOK = ZoneInfo("Asia/Bangkok")
CLERK = Caller(subject="clerk", groups=frozenset({"staff"}), name="Somchai")
OWNER = Caller(subject="owner", groups=frozenset({"admin"}), name="Malee")
KEY = "documents/vendor_invoice/2026/11/siam-paper.pdf"


@dataclass
class Office:
    service: Payables
    moment: list[datetime]
    table: Table
    audit: Table
    counting: Counting
    files: ObjectStore

    def on(self, day: date) -> None:
        self.moment[0] = datetime(day.year, day.month, day.day, 8, tzinfo=BANGKOK).astimezone(UTC)


@pytest.fixture
def office(aws: tuple[Template, Clients]) -> Office:
    template, clients = aws
    moment = [datetime(2026, 11, 5, 2, tzinfo=UTC)]
    ticks = itertools.count()

    def clock() -> datetime:
        return moment[0] + timedelta(microseconds=next(ticks))

    table = Table(template.physical_name("PayablesTable"), clients.dynamodb)
    audit = template.physical_name("AuditTable")
    files = ObjectStore(template.physical_name("DocumentsBucket"), clients.s3)
    service = Payables(
        store=PayablesStore(table, audit, 3),
        files=files,
        readers=[TextLayer("0994000165421", "THB")],
        mailer=Mailer("backoffice@example.com", "Back Office", clients.sesv2),
        clock=clock,
        limits={"THB": Decimal(5000)},
        payer=["payer@example.com"],
        timezone=BANGKOK,
        language="th",
    )
    analysis = AnalysisStore(Table(template.physical_name("AnalysisTable"), clients.dynamodb))
    return Office(
        service, moment, table, Table(audit, clients.dynamodb), Counting(analysis, clock, BANGKOK), files
    )


def figures(bill: Any) -> BillFigures:
    read = bill.reading
    return BillFigures(
        vendor=Vendor(name=read.vendor_name, tax_id=read.vendor_tax_id),
        invoice_number=read.invoice_number,
        issue_date=read.issue_date,
        due_date=read.due_date,
        currency=read.currency,
        net=read.net,
        vat=read.vat,
        total=read.total,
    )


def changed(office: Office, bill_id: str, act: Any) -> Any:
    """Do `act()` and count the bill's change as the stream would deliver it."""
    before = office.table.get({"pk": f"BILL#{bill_id}", "sk": "BILL"})
    result = act()
    after = office.table.get({"pk": f"BILL#{bill_id}", "sk": "BILL"})
    office.counting.record(f"{bill_id}:{after['version']}", before, after, office.moment[0])
    return result


def test_a_vendor_pdf_becomes_a_bill_approved_by_a_second_person_reminded_and_paid(office: Office) -> None:
    office.files.put(KEY, printed_pdf(*THAI_VENDOR_INVOICE), "application/pdf", {})
    provenance = {"source": "email", "by": "mail:billing@siampaper.example", "trusted": False}
    draft = changed(office, "doc-1", lambda: office.service.open_from_document("doc-1", KEY, provenance))
    assert office.service.open_from_document("doc-1", KEY, provenance) is None  # delivered twice: one bill
    assert draft.status is BillStatus.DRAFT and draft.reading.total == Decimal("10700.00")
    assert draft.provenance == provenance

    confirmed = changed(office, "doc-1", lambda: office.service.confirm("doc-1", figures(draft), CLERK))
    assert confirmed.status is BillStatus.AWAITING_APPROVAL  # 10,700 is above the 5,000 limit
    vendor = office.service.store.party_by_tax_id("0105551234567", None)
    assert (
        vendor is not None and vendor.kind is Kind.VENDOR and confirmed.figures.vendor.party_id == vendor.id
    )
    with pytest.raises(Forbidden):
        office.service.approve("doc-1", Caller(subject="clerk", groups=frozenset({"admin"})))
    approved = changed(office, "doc-1", lambda: office.service.approve("doc-1", OWNER))
    assert (approved.status, approved.approved_by) == (BillStatus.APPROVED, "user:owner")

    office.on(date(2026, 11, 29))
    assert office.service.daily() == 0
    office.on(date(2026, 11, 30))  # three days before 3 December
    assert office.service.daily() == 1
    assert office.service.daily() == 0  # told once
    told = [m for m in sent_mail() if "payer@example.com" in str(m["To"])]
    assert len(told) == 1 and "IV2026-0042" in told[0].get_body().get_content()
    assert "บริษัท สยามกระดาษ จำกัด" in told[0].get_body().get_content()

    pay = BillPaymentRequest(amount=Decimal("700.00"), date=date(2026, 12, 1), method="bank_transfer")
    part = changed(office, "doc-1", lambda: office.service.pay("doc-1", pay, CLERK))
    assert (part.status, part.owed) == (BillStatus.APPROVED, Decimal("10000.00"))
    office.on(date(2026, 12, 3))
    assert office.service.daily() == 1  # still owed on the day
    rest = pay.model_copy(update={"amount": Decimal("10000.00"), "date": date(2026, 12, 3)})
    paid = changed(office, "doc-1", lambda: office.service.pay("doc-1", rest, CLERK))
    assert paid.status is BillStatus.PAID
    assert not list(office.service.store.actions_due_by(date(2027, 1, 1)))

    actions = [e["action"] for e in history(office.audit, "bill", "doc-1")]
    assert actions == ["opened", "awaiting_approval", "approved", "reminded", "paid", "reminded", "paid"]

    november = office.counting.store.details(office.counting.store.months("2026-11")["2026-11"])
    books = build(november, "TH", closed=False)
    assert books["currencies"]["THB"]["input_vat"] == Decimal("700.00")
    assert books["return"]["boxes"]["7"] == Decimal("700.00")
    december = office.counting.store.months("2026-12")["2026-12"]
    assert build(december, "TH", closed=False)["currencies"]["THB"]["paid_to_vendors"] == Decimal("10700.00")


def test_the_same_vendor_invoice_twice_is_refused_naming_the_first_bill(office: Office) -> None:
    office.files.put(KEY, printed_pdf(*THAI_VENDOR_INVOICE), "application/pdf", {})
    first = office.service.open_from_document("doc-1", KEY, None)
    second = office.service.open_from_document("doc-2", KEY, None)
    office.service.confirm("doc-1", figures(first), CLERK)
    with pytest.raises(Conflict) as refused:
        office.service.confirm("doc-2", figures(second), CLERK)
    assert refused.value.slug == "duplicate-vendor-invoice" and refused.value.extensions == {"first": "doc-1"}
    office.service.reject("doc-1", "sent to us by mistake", OWNER)
    assert office.service.confirm("doc-2", figures(second), CLERK).status is BillStatus.AWAITING_APPROVAL


def test_a_closed_month_keeps_its_figures_and_a_late_approval_is_carried_into_the_next(
    office: Office,
) -> None:
    office.files.put(KEY, printed_pdf(*THAI_VENDOR_INVOICE), "application/pdf", {})
    office.service.open_from_document("doc-1", KEY, None)
    bill = office.service.bill("doc-1")
    changed(office, "doc-1", lambda: office.service.confirm("doc-1", figures(bill), CLERK))
    store = office.counting.store
    store.save_snapshot("2026-11", {"overdue_by_bucket": {}})
    store.claim_sending("2026-11", office.moment[0])  # the monthly run closed November
    office.on(date(2026, 12, 2))
    changed(office, "doc-1", lambda: office.service.approve("doc-1", OWNER))

    assert "2026-11" not in store.months("2026-11")  # nothing was approved when it was closed
    december = store.details(store.months("2026-12")["2026-12"])
    books = build(december, "TH", closed=False)
    assert books["currencies"]["THB"]["input_vat"] == Decimal("700.00")
    assert books["carried"] == [
        {
            "from": "2026-11",
            "currencies": {
                "THB": {
                    "billed": Decimal("10700.00"),
                    "purchases_without_vat": Decimal("10000.00"),
                    "input_vat": Decimal("700.00"),
                    "vat_payable": Decimal("-700.00"),
                }
            },
        }
    ]


def test_parties_import_all_or_nothing_and_are_found_by_name_or_tax_id(office: Office) -> None:
    rows = [
        PartyFields(kind=Kind.CUSTOMER, name="Công ty TNHH Ánh Dương", tax_id="0301234567", language="vi"),
        PartyFields(kind=Kind.VENDOR, name="บริษัท สยามกระดาษ จำกัด", tax_id="0105551234567"),
    ]
    office.service.import_parties(rows[1:], CLERK)
    with pytest.raises(Conflict) as refused:
        office.service.import_parties(rows, CLERK)
    assert [(e["line"], e["field"]) for e in refused.value.errors] == [(3, "tax_id")]
    assert "already in the directory" in refused.value.errors[0]["detail"]
    assert [p.name for p in office.service.parties(None, None, False)] == ["บริษัท สยามกระดาษ จำกัด"]
    office.service.import_parties(rows[:1], CLERK)
    assert [p.name for p in office.service.parties("ánh", None, False)] == ["Công ty TNHH Ánh Dương"]
    assert [p.kind for p in office.service.parties("0105551234567", "vendor", False)] == [Kind.VENDOR]
    vendor = office.service.parties("สยาม", None, False)[0]
    office.service.edit_party(vendor.id, PartyPatch(archived=True), OWNER)
    assert office.service.parties("สยาม", None, False) == []
    assert office.service.parties("สยาม", None, True)[0].archived is True


def test_a_bill_typed_in_by_hand_under_the_limit_is_approved_by_the_one_who_enters_it(office: Office) -> None:
    typed = BillFigures(
        vendor=Vendor(name="ร้านน้ำดื่มสะอาด", tax_id="3100500123456"),
        invoice_number="W-118",
        issue_date=date(2026, 11, 20),
        due_date=date(2026, 11, 30),
        currency="THB",
        net=Decimal("1000.00"),
        vat=Decimal("70.00"),
        total=Decimal("1070.00"),
    )
    bill = office.service.enter(typed, CLERK)
    assert (bill.status, bill.document_id, bill.approved_by) == (BillStatus.APPROVED, None, "user:clerk")
    assert office.service.store.party_by_tax_id("3100500123456", None) is not None
    with pytest.raises(Conflict):
        office.service.enter(typed, CLERK)  # typed twice: the vendor's number is taken
