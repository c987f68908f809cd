"""Payables against moto: a vendor's PDF becomes a draft bill, is confirmed, approved by a second person,
reminded before it falls due and paid; the month's books then show its input VAT, and a closed month
keeps its figures."""

import itertools
import json
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
from core.events import EventBus
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
    clients: Clients
    bill_queue: str

    def on(self, day: date) -> None:
        self.moment[0] = datetime(day.year, day.month, day.day, 8, tzinfo=BANGKOK).astimezone(UTC)

    def deliver(self) -> list[str]:
        """What the bus put on the bill queue, handled as BillFunction does: the kinds of events."""
        got = self.clients.sqs.receive_message(QueueUrl=self.bill_queue, MaxNumberOfMessages=10)
        kinds = []
        for message in got.get("Messages", []):
            body = json.loads(message["Body"])
            kinds.append(body["detail-type"])
            if body["detail-type"] == "VendorBankAccountChange":
                self.service.tell_account_change(**body["detail"])
        return kinds


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
        bus=EventBus(template.physical_name("OfficeEventBus"), "backoffice.payables", clients.events),
        clock=clock,
        limits={"THB": Decimal(5000), "VND": Decimal(5000000)},
        currency="THB",
        payer=["payer@example.com"],
        timezone=BANGKOK,
        language="th",
    )
    analysis = AnalysisStore(Table(template.physical_name("AnalysisTable"), clients.dynamodb))
    queue = clients.sqs.get_queue_url(QueueName=template.physical_name("BillQueue"))["QueueUrl"]
    return Office(
        service,
        moment,
        table,
        Table(audit, clients.dynamodb),
        Counting(analysis, clock, BANGKOK),
        files,
        clients,
        queue,
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


def typed(
    number: str, total: str, currency: str = "THB", tax_id: str | None = "3100500123456"
) -> BillFigures:
    gross = Decimal(total)
    return BillFigures(
        vendor=Vendor(name="ร้านน้ำดื่มสะอาด", tax_id=tax_id),
        invoice_number=number,
        issue_date=date(2026, 11, 20),
        due_date=date(2026, 11, 30),
        currency=currency,
        net=gross,
        vat=Decimal(0),
        total=gross,
    )


def test_a_bill_typed_in_by_hand_is_approved_and_paid_by_someone_other_than_its_typist(
    office: Office,
) -> None:
    bill = office.service.enter(typed("W-118", "1070.00"), CLERK)
    assert (bill.status, bill.document_id, bill.approved_by) == (BillStatus.AWAITING_APPROVAL, None, None)
    assert office.service.store.party_by_tax_id("3100500123456", None) is not None
    with pytest.raises(Conflict):
        office.service.enter(typed("W-118", "1070.00"), CLERK)  # typed twice: the vendor's number is taken
    with pytest.raises(Forbidden) as refused:
        office.service.approve(bill.id, Caller(subject="clerk", groups=frozenset({"admin"})))
    assert refused.value.slug == "second-person-required"
    assert office.service.approve(bill.id, OWNER).status is BillStatus.APPROVED


def test_one_vendor_invoice_typed_with_or_without_its_dash_or_the_tax_id_is_refused_the_second_time(
    office: Office,
) -> None:
    with_tax_id = office.service.enter(typed("IV-0042", "1070.00"), CLERK)
    without = office.service.enter(typed("IV0043", "535.00", tax_id=None), CLERK)
    for number, tax_id, first in [
        ("IV0042", None, with_tax_id),
        ("iv 0042", "3100500123456", with_tax_id),
        ("IV-0043", "3100500123456", without),
    ]:
        with pytest.raises(Conflict) as refused:
            office.service.enter(typed(number, "1070.00", tax_id=tax_id), CLERK)
        assert refused.value.slug == "duplicate-vendor-invoice"
        assert refused.value.extensions == {"first": first.id}
    office.service.reject(with_tax_id.id, "entered by mistake", OWNER)
    again = office.service.enter(typed("IV0042", "1070.00", tax_id=None), CLERK)  # the number is free again
    assert again.status is BillStatus.AWAITING_APPROVAL


def documented(office: Office, bill_id: str, *lines: str) -> Any:
    key = f"documents/vendor_invoice/2026/11/{bill_id}.pdf"
    office.files.put(key, printed_pdf(*THAI_VENDOR_INVOICE, *lines), "application/pdf", {})
    return office.service.open_from_document(bill_id, key, None)


def test_within_the_limit_the_confirmer_approves_but_someone_else_pays(office: Office) -> None:
    draft = documented(office, "doc-1")
    small = figures(draft).model_copy(update={"net": Decimal("4000.00"), "vat": Decimal("280.00")})
    bill = office.service.confirm("doc-1", small.model_copy(update={"total": Decimal("4280.00")}), CLERK)
    assert (bill.status, bill.approved_by) == (BillStatus.APPROVED, "user:clerk")
    pay = BillPaymentRequest(amount=Decimal("4280.00"), date=date(2026, 12, 1), method="bank_transfer")
    with pytest.raises(Forbidden) as refused:
        office.service.pay("doc-1", pay, CLERK)
    assert refused.value.slug == "second-person-required"
    assert office.service.pay("doc-1", pay, OWNER).status is BillStatus.PAID


def test_the_limit_counts_the_vendor_s_last_30_days_and_only_the_office_s_currency(office: Office) -> None:
    totals = []
    for n in range(1, 4):  # three bills of 2,000 THB to one vendor: the limit is 5,000
        documented(office, f"doc-{n}")
        bill = office.service.confirm(f"doc-{n}", typed(f"S-{n}", "2000.00"), CLERK)
        totals.append(bill.status)
    assert totals == [BillStatus.APPROVED, BillStatus.APPROVED, BillStatus.AWAITING_APPROVAL]
    office.on(date(2026, 12, 6))  # 31 days on, the first two no longer count
    documented(office, "doc-4")
    assert office.service.confirm("doc-4", typed("S-4", "2000.00"), CLERK).status is BillStatus.APPROVED

    documented(office, "doc-5")  # a THB bill typed as VND: within the VND limit, yet not the office's money
    in_dong = typed("S-5", "2000", "VND", tax_id="0105551234567")
    assert office.service.confirm("doc-5", in_dong, CLERK).status is BillStatus.AWAITING_APPROVAL


def test_a_vendor_s_bank_account_is_asked_for_then_approved_by_another_admin_and_both_sides_are_told(
    office: Office,
) -> None:
    vendor = PartyFields(
        kind=Kind.VENDOR,
        name="บริษัท สยามกระดาษ จำกัด",
        tax_id="0105551234567",
        email="billing@siampaper.example",
        language="th",
        bank_account="111-1-11111-1",
    )
    added = office.service.add_party(vendor, CLERK)
    assert added.bank_account is None and added.pending and added.pending.bank_account == "111-1-11111-1"
    assert office.deliver() == ["VendorBankAccountChange"]
    (asked,) = sent_mail("billing@siampaper.example")
    assert asked["Subject"] == "มีการขอเปลี่ยนบัญชีธนาคารของ บริษัท สยามกระดาษ จำกัด"  # in its language
    assert "1111" in asked.get_body().get_content() and "1-11111-1" not in str(asked)
    assert sent_mail("payer@example.com")
    office.service.decide_account(added.id, True, OWNER)
    assert office.service.party(added.id).bank_account == "111-1-11111-1"

    asking = office.service.edit_party(
        added.id, PartyPatch(bank_account="999-9-99999-9", name="Siam Paper"), CLERK
    )
    assert (asking.name, asking.bank_account) == ("Siam Paper", "111-1-11111-1")  # the name at once
    with pytest.raises(Conflict):
        office.service.edit_party(added.id, PartyPatch(bank_account="888-8-88888-8"), CLERK)
    with pytest.raises(Forbidden) as refused:
        office.service.decide_account(added.id, True, Caller(subject="clerk", groups=frozenset({"admin"})))
    assert refused.value.slug == "second-person-required"
    refusal = office.service.decide_account(added.id, False, OWNER, "the vendor says it is not theirs")
    assert (refusal.bank_account, refusal.pending) == ("111-1-11111-1", None)
    office.deliver()
    told = sent_mail("billing@siampaper.example")
    assert len(told) == 4 and "9999" in told[-1].get_body().get_content()  # asked, approved, asked, refused


def test_a_document_naming_another_account_shows_both_and_is_confirmed_by_an_admin_only(
    office: Office,
) -> None:
    vendor = PartyFields(
        kind=Kind.VENDOR, name="Siam Paper", tax_id="0105551234567", bank_account="1111111111"
    )
    party = office.service.add_party(vendor, CLERK)
    office.service.decide_account(party.id, True, OWNER)

    draft = documented(office, "doc-1", "เลขที่บัญชี 999-9-99999-9")
    shown = office.service.bill("doc-1")
    assert (shown.pay_to, shown.document_account, shown.account_differs) == (
        "1111111111",
        "999-9-99999-9",
        True,
    )
    assert draft.reading.bank_account == "999-9-99999-9"
    with pytest.raises(Forbidden) as refused:
        office.service.confirm("doc-1", figures(draft), CLERK)
    assert refused.value.slug == "bank-account-differs"
    same = figures(draft).model_copy(update={"bank_account": "111-111-1111"})  # as the vendor's, typed
    assert office.service.confirm("doc-1", same, CLERK).account_differs is False
    office.service.approve("doc-1", OWNER)
    pay = BillPaymentRequest(amount=Decimal("700.00"), date=date(2026, 12, 1), method="bank_transfer")
    assert office.service.pay("doc-1", pay, CLERK).payments[0].paid_to == "1111111111"

    documented(office, "doc-2", "Bank account no. 999-9-99999-9")
    admin = office.service.confirm(
        "doc-2", figures(draft).model_copy(update={"invoice_number": "IV-2"}), OWNER
    )
    assert admin.account_differs and admin.status is BillStatus.AWAITING_APPROVAL
