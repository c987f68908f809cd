"""Invoicing against moto: numbering under concurrency, money flows, reminders, delivery."""

import dataclasses
import hashlib
import io
import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botocore.exceptions import ClientError
from pypdf import PdfReader

from core.audit import history
from core.dynamo import Table
from core.errors import Conflict, Invalid, NotFound
from core.events import EventBus
from core.identity import Caller
from core.mailer import Mailer
from core.storage import ObjectStore
from infra.localcloud.provision import Clients
from infra.template import Template
from invoicing.arithmetic import TaxRounding
from invoicing.delivery import Delivery
from invoicing.model import Invoice, InvoiceRequest, ItemRequest, Status
from invoicing.recurring import RecurringRequest
from invoicing.reminders import Ladder
from invoicing.requests import CreditNoteRequest, DebitNoteRequest, PaymentRequest, RefundRequest
from invoicing.service import Invoicing
from invoicing.store import InvoiceStore
from tests.integration.mail import sent_mail

STAFF = Caller(subject="u-7", groups=frozenset({"staff"}))
SELLER = {"name": "Back Office Demo Co.", "address": "1 Main Street", "tax_id": "Tax ID 00-0000000"}


@dataclass
class Office:
    service: Invoicing
    delivery: Delivery
    clients: Clients
    events_queue: str
    audit: Table
    moment: list[datetime]

    def at(self, day: date) -> None:
        self.moment[0] = datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC)

    def requested_deliveries(self) -> list[dict[str, Any]]:
        out = []
        while True:
            got = self.clients.sqs.receive_message(QueueUrl=self.events_queue, MaxNumberOfMessages=10)
            messages = got.get("Messages", [])
            if not messages:
                return out
            for m in messages:
                out.append(json.loads(m["Body"])["detail"])
                self.clients.sqs.delete_message(QueueUrl=self.events_queue, ReceiptHandle=m["ReceiptHandle"])

    def deliver_all(self) -> int:
        return sum(self.delivery.deliver(d["invoice_id"], d["delivery"]) for d in self.requested_deliveries())

    def sent(self) -> list[Any]:
        return list(sent_mail())


@pytest.fixture
def office(aws: tuple[Template, Clients]) -> Office:
    template, clients = aws
    bus = template.physical_name("OfficeEventBus")
    queue = clients.sqs.create_queue(QueueName="deliveries")["QueueUrl"]
    arn = clients.sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    clients.events.put_rule(
        Name="d", EventBusName=bus, EventPattern=json.dumps({"source": ["backoffice.invoicing"]})
    )
    clients.events.put_targets(Rule="d", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    moment = [datetime(2026, 11, 20, 14, 0, tzinfo=UTC)]
    ticks = itertools.count()

    def clock() -> datetime:
        return moment[0] + timedelta(microseconds=next(ticks))

    audit_name = template.physical_name("AuditTable")
    ladder = Ladder.parse("-3,1,7,14,30", "14=25.00")
    store = InvoiceStore(Table(template.physical_name("InvoicesTable"), clients.dynamodb), audit_name, ladder)
    service = Invoicing(
        store=store,
        bus=EventBus(bus, "backoffice.invoicing", clients.events),
        clock=clock,
        timezone=ZoneInfo("America/New_York"),
        default_currency="USD",
        rounding=TaxRounding.PER_RATE,
        ladder=ladder,
    )
    delivery = Delivery(
        store=store,
        files=ObjectStore(template.physical_name("DocumentsBucket"), clients.s3),
        mailer=Mailer("backoffice@example.com", SELLER["name"], clients.sesv2),
        seller=SELLER,
        clock=clock,
    )
    return Office(service, delivery, clients, queue, Table(audit_name, clients.dynamodb), moment)


def new(**changes: Any) -> InvoiceRequest:
    body: dict[str, Any] = {
        "customer": {
            "name": "Công ty TNHH Ánh Dương",
            "email": "ketoan@anhduong.example",
            "address": "12 Lê Lợi",
        },
        "issue_date": "2026-11-20",
        "due_days": 10,
        "lines": [
            {
                "description": "Dịch vụ kế toán tháng 11",
                "quantity": "1",
                "unit_price": "1000.00",
                "tax_rate": "10",
            },
            {"description": "ค่าบริการ payroll", "quantity": "4", "unit_price": "12.50", "tax_rate": "10"},
        ],
    }
    body.update(changes)
    return InvoiceRequest.model_validate(body)


def pay(amount: str, day: str = "2026-11-25") -> PaymentRequest:
    return PaymentRequest(amount=Decimal(amount), date=date.fromisoformat(day), method="bank_transfer")


class Serialised:
    """A client whose calls each run alone, as each DynamoDB request is atomic (moto is not thread-safe)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        call = getattr(self.client, name)

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                return call(*args, **kwargs)

        return locked


def test_issued_invoices_get_gap_free_numbers_even_when_fifty_arrive_at_once(office: Office) -> None:
    office.service.store.table._client = Serialised(office.clients.dynamodb)
    with ThreadPoolExecutor(max_workers=16) as pool:
        invoices = list(pool.map(lambda _: office.service.create(new(), STAFF), range(50)))
    numbers = sorted(invoice.number or "" for invoice in invoices)
    assert numbers == [f"INV-2026-{n:06d}" for n in range(1, 51)]
    next_year = office.service.create(new(issue_date="2027-01-02"), STAFF)
    assert next_year.number == "INV-2027-000001"


def test_a_draft_has_no_number_until_issued_and_can_be_edited_or_deleted(office: Office) -> None:
    first = office.service.create(new(draft=True), STAFF)
    assert first.status is Status.DRAFT and first.number is None
    edited = office.service.edit(first.id, new(draft=True, notes="Thanks"), STAFF)
    assert edited.notes == "Thanks" and edited.version == 2
    throwaway = office.service.create(new(draft=True), STAFF)
    office.service.delete(throwaway.id, STAFF)
    with pytest.raises(NotFound):
        office.service.store.get(throwaway.id)

    issued = office.service.issue(first.id, STAFF)
    assert issued.number == "INV-2026-000001" and issued.due_date == date(2026, 11, 30)
    with pytest.raises(Conflict):
        office.service.delete(issued.id, STAFF)
    assert [e["action"] for e in history(office.audit, "invoice", first.id)] == [
        "drafted",
        "edited",
        "issued",
    ]


def test_payments_partial_then_full_and_overpayment_refused(office: Office) -> None:
    invoice = office.service.create(new(), STAFF)
    assert invoice.total == Decimal("1155.00") and invoice.amount_due == Decimal("1155.00")
    partly = office.service.pay(invoice.id, pay("155.00"), STAFF)
    assert partly.status is Status.PARTIALLY_PAID and partly.amount_due == Decimal("1000.00")
    with pytest.raises(Invalid) as over:
        office.service.pay(invoice.id, pay("1000.01"), STAFF)
    assert "1,000.00 USD due" in over.value.detail
    with pytest.raises(Invalid):
        office.service.pay(invoice.id, pay("0.001"), STAFF)
    paid = office.service.pay(invoice.id, pay("1000.00"), STAFF)
    assert paid.status is Status.PAID and paid.amount_due == 0 and len(paid.payments) == 2


def test_invoices_are_found_by_number_or_customer_and_listed_in_number_order(office: Office) -> None:
    siam = {"name": "บริษัท สยามบัญชี จำกัด", "email": "Account@SiamBanchee.example"}
    first = office.service.create(new(customer=siam), STAFF)
    second = office.service.create(new(), STAFF)
    third = office.service.create(new(customer=siam), STAFF)
    listed, _ = office.service.search(
        start=None, end=None, status=None, customer_email=None, cursor=None, limit=10
    )
    assert [i.number for i in listed] == [third.number, second.number, first.number]

    def found(text: str) -> list[str | None]:
        page, _ = office.service.search(
            start=None, end=None, status=None, customer_email=None, cursor=None, limit=10, text=text
        )
        return [i.number for i in page]

    assert found(str(second.number)) == [second.number]
    assert found("สยามบัญชี") == [third.number, first.number]
    assert found("siambanchee") == [third.number, first.number]  # any case
    assert found("nobody") == []


def test_racing_payments_both_count(office: Office) -> None:
    office.service.store.table._client = Serialised(office.clients.dynamodb)
    invoice = office.service.create(new(), STAFF)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: office.service.pay(invoice.id, pay("100.00"), STAFF), range(2)))
    assert len(results) == 2
    final = office.service.store.get(invoice.id)
    assert final.amount_paid == Decimal("200.00") and len(final.payments) == 2
    assert sorted(p.receipt_number for p in final.payments) == ["RC-2026-000001", "RC-2026-000002"]


def test_each_payment_gets_a_numbered_receipt_emailed_once_to_the_customer(office: Office) -> None:
    invoice = office.service.create(new(), STAFF)
    office.deliver_all()
    office.service.pay(invoice.id, pay("155.00"), STAFF)
    paid = office.service.pay(invoice.id, pay("1000.00"), STAFF)
    assert [p.receipt_number for p in paid.payments] == ["RC-2026-000001", "RC-2026-000002"]
    requests = office.requested_deliveries()
    assert [r["delivery"] for r in requests] == [f"receipt:{p.id}" for p in paid.payments]
    for request in requests:
        assert office.delivery.deliver(request["invoice_id"], request["delivery"]) is True
        assert office.delivery.deliver(request["invoice_id"], request["delivery"]) is False
    receipts = office.sent()[1:]
    assert [m["Subject"] for m in receipts] == [
        "Receipt RC-2026-000001 from Back Office Demo Co.",
        "Receipt RC-2026-000002 from Back Office Demo Co.",
    ]
    (attachment,) = list(receipts[1].iter_attachments())
    assert attachment.get_filename() == "RC-2026-000002.pdf"
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "Payment for invoice INV-2026-000001" in text and "Balance due 0.00 USD" in text
    stored = office.clients.s3.list_objects_v2(Bucket=office.delivery.files.bucket, Prefix="receipts/")
    assert [o["Key"] for o in stored["Contents"]] == [
        "receipts/2026/RC-2026-000001.pdf",
        "receipts/2026/RC-2026-000002.pdf",
    ]
    assert office.service.store.get(invoice.id).pdf_key == "invoices/2026/INV-2026-000001.pdf"


def test_an_office_that_issues_no_receipts_records_the_payment_alone(office: Office) -> None:
    service = dataclasses.replace(office.service, receipts="none")
    invoice = service.create(new(), STAFF)
    office.requested_deliveries()
    paid = service.pay(invoice.id, pay("155.00"), STAFF)
    assert paid.payments[0].receipt_number is None and office.requested_deliveries() == []


def test_a_vietnamese_office_gives_a_phieu_thu_for_cash_only(office: Office) -> None:
    service = dataclasses.replace(office.service, country="VN", office_tax_id="0100233488")
    invoice = service.create(new(), STAFF)
    office.requested_deliveries()
    by_bank = service.pay(invoice.id, pay("155.00"), STAFF)  # the bank's record is the proof
    assert by_bank.payments[0].receipt_number is None and office.requested_deliveries() == []
    cash = PaymentRequest(amount=Decimal("100.00"), date=date(2026, 11, 26), method="cash")
    in_cash = service.pay(invoice.id, cash, STAFF).payments[-1]
    assert in_cash.receipt_number == "RC-2026-000001"
    assert office.requested_deliveries() == [{"invoice_id": invoice.id, "delivery": f"receipt:{in_cash.id}"}]


def test_a_vietnamese_office_refuses_a_vat_rate_the_law_does_not_know(office: Office) -> None:
    service = dataclasses.replace(office.service, country="VN", office_tax_id="0100233488")
    with pytest.raises(Invalid) as refused:
        service.create(
            new(lines=[{"description": "Tư vấn", "quantity": "1", "unit_price": "100", "tax_rate": "7"}]),
            STAFF,
        )
    assert refused.value.errors[0]["field"] == "lines.0.tax_rate"
    assert service.create(new(), STAFF).number == "INV-2026-000001"  # 10 % is one of the rates


def test_a_vietnamese_draft_at_8_per_cent_is_not_issued_once_the_reduction_has_ended(office: Office) -> None:
    service = dataclasses.replace(office.service, country="VN", office_tax_id="0100233488")
    eight = [{"description": "Tư vấn", "quantity": "1", "unit_price": "1000000", "tax_rate": "8"}]
    office.at(date(2026, 12, 31))
    draft = service.create(new(issue_date=None, lines=eight, draft=True, currency="VND"), STAFF)
    office.at(date(2027, 1, 4))
    with pytest.raises(Invalid) as refused:
        service.issue(draft.id, STAFF)
    assert refused.value.errors[0]["field"] == "lines.0.tax_rate"
    assert service.get(draft.id).number is None


@pytest.mark.parametrize(("country", "placeholder"), [("TH", "0105556000011"), ("VN", "Tax ID 00-0000000")])
def test_no_tax_document_is_issued_while_the_office_s_own_tax_id_is_wrong(
    office: Office, country: str, placeholder: str
) -> None:
    service = dataclasses.replace(office.service, country=country, office_tax_id=placeholder)
    draft = service.create(new(draft=True), STAFF)
    with pytest.raises(Conflict) as refused:
        service.issue(draft.id, STAFF)
    assert refused.value.slug == "office-tax-id" and "BusinessTaxId" in str(refused.value)
    assert service.get(draft.id).number is None and office.requested_deliveries() == []  # nothing half-done


def test_void_only_while_nothing_is_paid_and_the_number_stays_used(office: Office) -> None:
    invoice = office.service.create(new(), STAFF)
    void = office.service.void(invoice.id, "Duplicate of another order", STAFF)
    assert void.status is Status.VOID and void.number == invoice.number
    with pytest.raises(Conflict):
        office.service.pay(invoice.id, pay("1.00"), STAFF)
    assert office.service.create(new(), STAFF).number == "INV-2026-000002"
    paid = office.service.create(new(), STAFF)
    office.service.pay(paid.id, pay("1.00"), STAFF)
    with pytest.raises(Conflict):
        office.service.void(paid.id, "changed my mind", STAFF)


def test_a_void_invoice_owes_nothing_and_the_customer_can_be_told_with_the_pdf_marked_void(
    office: Office,
) -> None:
    invoice = office.service.create(new(), STAFF)
    office.deliver_all()
    void = office.service.void(invoice.id, "Entered twice", STAFF, notify=True)
    assert void.amount_due == 0 and void.total == invoice.total  # what it was for stays readable
    assert office.deliver_all() == 1
    notice = office.sent()[-1]
    assert notice["Subject"] == f"Invoice {invoice.number} from Back Office Demo Co. is void"
    assert "voided (Entered twice); nothing is owed on it" in notice.get_body(("plain",)).get_content()
    (attachment,) = list(notice.iter_attachments())
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text().splitlines()
    assert text[:2] == ["INVOICE", "VOID: Entered twice"] and "Amount due 0.00 USD" in text
    quiet = office.service.create(new(), STAFF)
    office.deliver_all()
    office.service.void(quiet.id, "Entered twice", STAFF)
    assert office.deliver_all() == 0  # not told unless asked


def test_credit_notes_have_their_own_series_and_reduce_what_is_due(office: Office) -> None:
    invoice = office.service.create(new(), STAFF)
    credited = office.service.credit(
        invoice.id, CreditNoteRequest(reason="Discount agreed", amount=Decimal("55.00")), STAFF
    )
    assert credited.credit_notes[0].number == "CN-2026-000001"
    assert credited.amount_due == Decimal("1100.00") and credited.amount_credited == Decimal("55.00")
    by_lines = CreditNoteRequest.model_validate(
        {
            "reason": "Returned hours",
            "lines": [{"description": "2 h", "quantity": "2", "unit_price": "50", "tax_rate": "10"}],
        }
    )
    again = office.service.credit(invoice.id, by_lines, STAFF)
    assert again.credit_notes[1].number == "CN-2026-000002" and again.credit_notes[1].amount == Decimal(
        "110.00"
    )
    with pytest.raises(Invalid):
        office.service.credit(invoice.id, CreditNoteRequest(reason="Too much", amount=Decimal("5000")), STAFF)


def test_a_debit_note_raises_what_is_due_even_on_a_paid_invoice_and_each_note_is_emailed(
    office: Office,
) -> None:
    invoice = office.service.create(new(), STAFF)
    paid = office.service.pay(invoice.id, pay("1155.00"), STAFF)
    assert paid.status is Status.PAID
    office.requested_deliveries()
    extra = DebitNoteRequest(reason="Two more hours agreed", amount=Decimal("110.00"))
    debited = office.service.debit(invoice.id, extra, STAFF)
    assert debited.debit_notes[0].number == "DN-2026-000001" and debited.amount_debited == Decimal("110.00")
    assert debited.amount_due == Decimal("110.00") and debited.status is Status.PARTIALLY_PAID
    assert office.deliver_all() == 1
    body = office.sent()[0].get_body(("plain",)).get_content()
    assert "110.00 USD added to invoice INV-2026-000001; 110.00 USD is now due" in body
    goodwill = CreditNoteRequest(reason="Goodwill", amount=Decimal("10.00"))
    assert office.service.credit(invoice.id, goodwill, STAFF).amount_due == Decimal("100.00")
    assert office.deliver_all() == 1
    (debit_mail, credit_mail) = office.sent()
    assert debit_mail["Subject"] == "Debit note DN-2026-000001 from Back Office Demo Co."
    assert credit_mail["Subject"] == "Credit note CN-2026-000001 from Back Office Demo Co."
    (attachment,) = list(credit_mail.iter_attachments())
    assert "CREDIT NOTE" in PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    void = office.service.create(new(), STAFF)
    office.service.void(void.id, "Entered twice", STAFF)
    with pytest.raises(Conflict):
        office.service.debit(void.id, extra, STAFF)


def test_issuing_emails_the_customer_the_pdf_once_even_if_the_request_is_delivered_twice(
    office: Office,
) -> None:
    invoice = office.service.create(new(), STAFF)
    (request,) = office.requested_deliveries()
    assert office.delivery.deliver(request["invoice_id"], request["delivery"]) is True
    assert office.delivery.deliver(request["invoice_id"], request["delivery"]) is False
    (mail,) = office.sent()
    assert mail["To"] == "ketoan@anhduong.example" and invoice.number in mail["Subject"]
    assert "Dear Công ty TNHH Ánh Dương" in mail.get_body(("plain",)).get_content()
    (attachment,) = list(mail.iter_attachments())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(attachment.get_content())).pages)
    for expected in (
        "Công ty TNHH Ánh Dương",
        "Dịch vụ kế toán tháng 11",
        "ค่าบริการ",
        "1,155.00",
        invoice.number,
    ):
        assert expected in text
    stored = office.service.store.get(invoice.id)
    assert stored.deliveries == ["issue"] and stored.pdf_key == f"invoices/2026/{invoice.number}.pdf"


def test_the_reminder_run_marks_overdue_adds_the_fee_once_and_never_chases_paid_invoices(
    office: Office,
) -> None:
    late = office.service.create(new(), STAFF)  # due 2026-11-30
    settled = office.service.create(new(), STAFF)
    office.service.pay(settled.id, pay("1155.00"), STAFF)
    office.requested_deliveries()

    office.at(date(2026, 11, 27))
    assert office.service.remind()["reminders"] == 1  # 3 days before due
    assert office.deliver_all() == 1
    office.at(date(2026, 12, 14))
    counts = office.service.remind()
    assert counts == {"overdue": 1, "reminders": 1, "resent": 0}
    assert office.service.remind()["reminders"] == 0  # the job ran twice
    chased = office.service.store.get(late.id)
    assert chased.status is Status.OVERDUE
    assert [r.stage for r in chased.reminders] == [-3, 14]
    assert {line.kind for line in chased.lines} == {"item"}  # the issued invoice itself never changes
    (fee,) = chased.debit_notes  # the fee is a debit note of its own, emailed with the reminder
    assert fee.amount == Decimal("25.00") and fee.lines[0].kind == "late_fee" and fee.number.startswith("DN-")
    assert chased.total == Decimal("1155.00") and chased.amount_due == Decimal("1180.00")
    assert [d["delivery"] for d in office.requested_deliveries()] == ["reminder:14", f"note:{fee.number}"]
    assert office.service.store.get(settled.id).reminders == []


def test_a_claimed_reminder_whose_email_never_went_is_sent_by_the_next_run(office: Office) -> None:
    late = office.service.create(new(), STAFF)
    office.at(date(2026, 12, 1))
    office.service.remind()
    office.requested_deliveries()  # the run died: the delivery request was lost
    office.at(date(2026, 12, 2))
    assert office.service.remind()["resent"] == 1
    assert office.deliver_all() == 1
    assert office.service.store.get(late.id).reminders[0].sent_at is not None
    office.at(date(2026, 12, 3))
    assert office.service.remind()["resent"] == 0


def test_receivables_age_what_is_owed_per_customer_and_currency(office: Office) -> None:
    office.service.create(new(issue_date="2026-08-01", due_days=0), STAFF)  # 121 days late on 30 Nov
    partly = office.service.create(new(issue_date="2026-10-20", due_days=10), STAFF)  # 31 days late
    office.service.pay(partly.id, pay("155.00", "2026-11-01"), STAFF)
    office.service.pay(partly.id, pay("100.00", "2026-12-05"), STAFF)  # after the report date
    office.service.create(new(issue_date="2026-11-25", currency="THB"), STAFF)  # current
    office.service.create(new(issue_date="2026-12-10"), STAFF)  # after the report date

    rows, totals = office.service.receivables(date(2026, 11, 30))
    usd = next(t for t in totals if t.currency == "USD").as_dict()
    assert usd["over_90"] == "1155.00" and usd["days_31_60"] == "1000.00" and usd["total"] == "2155.00"
    thb = next(t for t in totals if t.currency == "THB").as_dict()
    assert thb["current"] == "1155.00"
    assert {r.customer for r in rows} == {"Công ty TNHH Ánh Dương"}


def test_a_line_names_a_catalogue_item_that_is_offered_and_an_item_code_is_taken_once(office: Office) -> None:
    retainer = ItemRequest.model_validate(
        {
            "code": "BOOK-M",
            "names": {"en": "Monthly bookkeeping", "vi": "Dịch vụ kế toán hằng tháng"},
            "unit_price": "1000.00",
            "currency": "VND",
            "tax_rate": "10",
        }
    )
    office.service.add_item(retainer, STAFF)
    with pytest.raises(Conflict, match="BOOK-M exists"):
        office.service.add_item(retainer, STAFF)
    lines = [
        {"item": "BOOK-M", "description": "Dịch vụ kế toán hằng tháng", "quantity": "1", "unit_price": "1000"}
    ]
    invoice = office.service.create(new(lines=lines), STAFF)
    assert invoice.lines[0].item == "BOOK-M"  # kept, for what sells
    # a line may name the item alone: its name in the customer's language, its price and its rate follow
    vietnamese = new(lines=[{"item": "BOOK-M", "quantity": "2"}], currency="VND")
    vietnamese.customer.language = "vi"
    (line,) = office.service.create(vietnamese, STAFF).lines
    assert (line.description, line.unit_price, line.tax_rate) == ("Dịch vụ kế toán hằng tháng", 1000, 10)
    assert line.line_net == 2000 and line.tax_amount == 200
    with pytest.raises(Invalid, match="is in VND, the invoice in USD"):
        office.service.create(new(lines=[{"item": "BOOK-M", "quantity": "1"}], currency="USD"), STAFF)
    with pytest.raises(Invalid) as unknown:
        office.service.create(new(lines=[{**lines[0], "item": "NOPE"}]), STAFF)
    assert unknown.value.errors[0]["field"] == "lines.0.item"
    office.service.change_item("BOOK-M", retainer.model_copy(update={"archived": True}), STAFF)
    with pytest.raises(Invalid):  # archived: offered no more, kept for the invoices that name it
        office.service.create(new(lines=lines), STAFF)
    assert [i.archived for i in office.service.items()] == [True]


def test_a_series_that_cannot_issue_stays_due_while_the_others_are_issued(office: Office) -> None:
    office.service.add_item(
        ItemRequest.model_validate(
            {"code": "AUDIT", "names": {"en": "Audit"}, "unit_price": "500.00", "currency": "USD"}
        ),
        STAFF,
    )
    starts = {"rule": "FREQ=MONTHLY;BYMONTHDAY=1", "start": "2026-12-01"}
    customer = {"name": "Harbor Books LLC", "email": "ap@harborbooks.example"}
    plain = {"description": "Retainer", "quantity": "1", "unit_price": "100.00"}
    kept = office.service.start_series(
        RecurringRequest.model_validate({**starts, "customer": customer, "lines": [plain]}), STAFF
    )
    audit = RecurringRequest.model_validate(
        {**starts, "customer": customer, "lines": [{"item": "AUDIT", "quantity": "1"}]}
    )
    stuck = office.service.start_series(audit, STAFF)
    assert stuck.lines[0].unit_price == Decimal("500.00")  # copied from the catalogue when started
    item = office.service.item("AUDIT")
    office.service.change_item(
        "AUDIT", ItemRequest(**item.model_dump(exclude={"version"}) | {"archived": True}), STAFF
    )

    office.at(date(2026, 12, 1))
    assert office.service.issue_recurring() == {"issued": 1, "found": 0, "failed": 1}
    assert office.service.series(kept.id).next_date == date(2027, 1, 1)
    assert office.service.series(stuck.id).next_date == date(
        2026, 12, 1
    )  # still due: the next run tries again


def test_the_stored_original_never_changes_after_it_is_issued(office: Office) -> None:
    bucket = office.delivery.files

    def original(invoice: Invoice) -> str:
        key = f"invoices/2026/{invoice.number}.pdf"
        return hashlib.sha256(bucket.read_bytes(key)).hexdigest()

    invoice = office.service.create(new(), STAFF)  # due 2026-11-30
    assert office.deliver_all() == 1
    issued = original(invoice)
    office.at(date(2026, 11, 27))
    office.service.remind()  # three days before: a reminder
    office.service.pay(invoice.id, pay("155.00"), STAFF)
    office.service.credit(
        invoice.id, CreditNoteRequest(reason="Discount agreed", amount=Decimal("55.00")), STAFF
    )
    office.service.debit(invoice.id, DebitNoteRequest(reason="Extra hours", amount=Decimal("110.00")), STAFF)
    office.at(date(2026, 12, 14))
    office.service.remind()  # fourteen days late: a reminder and its late fee
    office.service.send(invoice.id, STAFF)
    office.deliver_all()
    chased = office.service.store.get(invoice.id)
    assert len(chased.debit_notes) == 2 and chased.amount_due == Decimal("1080.00")  # 1155-155-55+110+25
    assert original(invoice) == issued
    attached = [
        a.get_content()
        for m in office.sent()
        for a in m.iter_attachments()
        if a.get_filename() == f"{invoice.number}.pdf"
    ]
    assert len(attached) == 4 and {hashlib.sha256(a).hexdigest() for a in attached} == {issued}  # each send

    wrong = office.service.create(new(), STAFF)
    office.deliver_all()
    before = original(wrong)
    office.service.void(wrong.id, "Entered twice", STAFF, notify=True)
    office.deliver_all()
    assert original(wrong) == before  # the notice is a document of its own
    notice = bucket.read_bytes(f"invoices/2026/{wrong.number}-void.pdf")
    assert "VOID: Entered twice" in PdfReader(io.BytesIO(notice)).pages[0].extract_text()


def test_a_paid_invoice_credited_owes_the_customer_a_refund_until_it_is_paid_back(office: Office) -> None:
    invoice = office.service.create(new(), STAFF)  # 1,155.00 USD
    office.service.pay(invoice.id, pay("1155.00"), STAFF)
    returned = CreditNoteRequest(reason="Goods returned", amount=Decimal("220.00"))
    credited = office.service.credit(invoice.id, returned, STAFF)  # the ใบลดหนี้ is due, paid or not
    assert (
        credited.status is Status.PAID
        and credited.amount_due == 0
        and credited.refund_due == Decimal("220.00")
    )
    _, totals = office.service.receivables(date(2026, 11, 30))
    (usd,) = (t.as_dict() for t in totals if t.currency == "USD")
    assert usd["current"] == "-220.00" and usd["total"] == "-220.00"  # the customer's credit
    with pytest.raises(Invalid) as too_much:
        office.service.credit(invoice.id, CreditNoteRequest(reason="Again", amount=Decimal("935.01")), STAFF)
    assert too_much.value.slug == "over-credit"  # 1,155.00 - 220.00 is all it still charges
    back = RefundRequest(amount=Decimal("220.01"), date=date(2026, 11, 28), method="bank_transfer")
    with pytest.raises(Invalid) as over:
        office.service.refund(invoice.id, back, STAFF)
    assert over.value.slug == "over-refund"
    settled = office.service.refund(invoice.id, back.model_copy(update={"amount": Decimal("220.00")}), STAFF)
    assert (
        settled.refund_due == 0 and settled.amount_refunded == Decimal("220.00") and settled.amount_due == 0
    )
    _, totals = office.service.receivables(date(2026, 11, 30))
    assert all(t.currency != "USD" for t in totals)  # nothing owed either way


def test_an_issued_invoice_is_locked_for_the_statutory_years_and_cannot_be_deleted(office: Office) -> None:
    locked = dataclasses.replace(office.delivery, retention_years=7)
    invoice = office.service.create(new(), STAFF)
    (requested,) = office.requested_deliveries()
    assert locked.deliver(requested["invoice_id"], requested["delivery"])
    s3, bucket, key = office.clients.s3, office.delivery.files.bucket, f"invoices/2026/{invoice.number}.pdf"
    head = s3.head_object(Bucket=bucket, Key=key)  # (moto answers GetObjectRetention with a 500)
    version = head["VersionId"]
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockRetainUntilDate"].date() == date(2034, 7, 1)  # 2026's end + 7 years + half a year
    with pytest.raises(ClientError, match="AccessDenied"):
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version)
    assert s3.get_object(Bucket=bucket, Key=key, VersionId=version)["Body"].read().startswith(b"%PDF")
