"""Intake against moto: filing, duplicates, quarantine, retries, corrections and email."""

import hashlib
import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.audit import history
from core.dynamo import Table
from core.errors import Conflict
from core.events import EventBus
from core.identity import Caller
from core.storage import ObjectStore
from infra.localcloud.provision import Clients
from infra.template import Template
from intake.mailroom import Mailroom
from intake.model import DocumentType, Reason, Status, Upload
from intake.service import Filing, FirstCopyPending
from intake.store import DocumentRegister
from tests import files

NOW = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
STAFF = Caller(subject="u-1", groups=frozenset({"staff"}))


@dataclass
class Office:
    filing: Filing
    s3: Any
    sqs: Any
    bucket: str
    events_queue: str
    audit: Table

    def upload(self, key: str, data: bytes, **metadata: str) -> Upload:
        response = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, Metadata=metadata)
        return Upload(
            bucket=self.bucket,
            key=key,
            version_id=response["VersionId"],
            size=len(data),
            event_time=NOW,
            principal="AWS:AIDASTAFF",
        )

    def keys(self, prefix: str) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return [item["Key"] for item in listing.get("Contents", [])]

    def read(self, key: str) -> bytes:
        return bytes(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def events(self) -> list[dict[str, Any]]:
        messages = self.sqs.receive_message(QueueUrl=self.events_queue, MaxNumberOfMessages=10)
        return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


@pytest.fixture
def office(aws: tuple[Template, Clients]) -> Office:
    template, clients = aws
    bucket = template.physical_name("DocumentsBucket")
    bus = template.physical_name("OfficeEventBus")
    queue = clients.sqs.create_queue(QueueName="office-events")["QueueUrl"]
    arn = clients.sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    clients.events.put_rule(
        Name="all", EventBusName=bus, EventPattern=json.dumps({"source": ["backoffice.intake"]})
    )
    clients.events.put_targets(Rule="all", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    audit_name = template.physical_name("AuditTable")
    ticks = itertools.count()  # audit entries sort by time: let it pass
    filing = Filing(
        store=ObjectStore(bucket, clients.s3),
        register=DocumentRegister(
            Table(template.physical_name("DocumentsTable"), clients.dynamodb), audit_name
        ),
        bus=EventBus(bus, "backoffice.intake", clients.events),
        clock=lambda: NOW + timedelta(microseconds=next(ticks)),
        timezone=ZoneInfo("America/New_York"),
        max_bytes=1024 * 1024,
    )
    return Office(filing, clients.s3, clients.sqs, bucket, queue, Table(audit_name, clients.dynamodb))


INVOICE = files.pdf("INVOICE 2026-118", "Bill to: Back Office Ltd", "Amount due: 1,250.00 USD")


def test_a_pdf_is_filed_registered_announced_and_removed_from_the_inbox(office: Office) -> None:
    document = office.filing.intake(office.upload("inbox/Hóa đơn tháng 11.pdf", INVOICE))

    assert document is not None
    assert document.status is Status.FILED
    assert document.type.value == "vendor_invoice"
    assert document.classified_by == "filename"
    assert document.original_name == "Hóa đơn tháng 11.pdf"
    assert document.key == f"documents/vendor_invoice/2026/11/{document.id}.pdf"
    assert document.pages == 1 and "Amount due" in (document.text_excerpt or "")
    assert office.read(document.key) == INVOICE
    assert office.keys("inbox/") == []
    head = office.s3.head_object(Bucket=office.bucket, Key=document.key)
    assert head["ContentType"] == "application/pdf"
    assert "filename*=UTF-8''H%C3%B3a%20%C4%91%C6%A1n" in head["ContentDisposition"]
    assert office.filing.register.get(document.id) == document
    assert [e["action"] for e in history(office.audit, "document", document.id)] == ["filed"]
    (event,) = office.events()
    assert event["detail-type"] == "DocumentFiled"
    assert event["detail"]["key"] == document.key and event["detail"]["type"] == "vendor_invoice"


def test_a_payroll_register_is_handed_on_by_event(office: Office) -> None:
    register = files.SAMPLES.joinpath("cheque-register-2026-11-20.csv").read_bytes()
    document = office.filing.intake(office.upload("inbox/provider-drop-1120.csv", register))
    assert document and document.type.value == "payroll_register" and document.classified_by == "keywords"
    (event,) = office.events()
    assert event["detail"]["type"] == "payroll_register"
    assert event["detail"]["bucket"] == office.bucket


def test_the_same_bytes_again_are_a_duplicate_of_the_first_not_a_second_file(office: Office) -> None:
    first = office.filing.intake(office.upload("inbox/invoice-118.pdf", INVOICE))
    again = office.filing.intake(office.upload("inbox/resent/copy of invoice.pdf", INVOICE))

    assert first and again and again.id != first.id
    assert again.status is Status.DUPLICATE
    assert again.duplicate_of == first.id and again.key == first.key
    assert office.keys("documents/") == [first.key]
    assert office.keys("inbox/") == []


def test_a_redelivered_record_produces_one_entry(office: Office) -> None:
    upload = office.upload("inbox/receipts/taxi.png", files.PNG)
    first = office.filing.intake(upload)
    second = office.filing.intake(upload)
    assert first == second
    assert len(office.keys("documents/")) == 1
    assert len(history(office.audit, "document", first.id)) == 1  # type: ignore[union-attr]


def test_a_crash_before_the_inbox_delete_is_finished_by_the_retry(office: Office) -> None:
    upload = office.upload("inbox/contracts/lease.pdf", INVOICE)
    delete = office.filing.store.delete
    office.filing.store.delete = lambda *a, **k: (_ for _ in ()).throw(TimeoutError("crash"))  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        office.filing.intake(upload)
    office.filing.store.delete = delete  # type: ignore[method-assign]
    assert office.keys("inbox/") == ["inbox/contracts/lease.pdf"]

    document = office.filing.intake(upload)
    assert document and document.type.value == "contract" and document.classified_by == "folder"
    assert office.keys("inbox/") == []


def test_a_crash_after_the_copy_is_registered_by_the_retry(office: Office) -> None:
    upload = office.upload("inbox/statement.txt", "Receipt — amount paid 40.00".encode())
    record = office.filing.register.record
    office.filing.register.record = lambda *a, **k: (_ for _ in ()).throw(TimeoutError("crash"))  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        office.filing.intake(upload)
    office.filing.register.record = record  # type: ignore[method-assign]

    document = office.filing.intake(upload)
    assert document and document.status is Status.FILED and document.type.value == "receipt"
    assert office.keys("documents/") == [document.key]


def test_an_object_already_gone_is_not_an_error(office: Office) -> None:
    upload = office.upload("inbox/gone.pdf", INVOICE)
    office.s3.delete_object(Bucket=office.bucket, Key=upload.key, VersionId=upload.version_id)
    assert office.filing.intake(upload) is None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("setup.pdf", files.EXE, Reason.EXECUTABLE),
        ("page.html", files.HTML, Reason.HTML),
        ("run.sh", files.SCRIPT, Reason.SCRIPT),
        ("empty.pdf", b"", Reason.EMPTY),
        ("bundle.zip", files.plain_zip(), Reason.ARCHIVE),
        ("broken.pdf", INVOICE[:300], Reason.UNREADABLE_PDF),
    ],
)
def test_bad_files_are_quarantined_with_a_reason_and_their_original_kept(
    office: Office, name: str, data: bytes, reason: Reason
) -> None:
    document = office.filing.intake(office.upload(f"inbox/{name}", data))
    assert document and document.status is Status.QUARANTINED and document.reason_code is reason
    assert document.reason
    assert document.key == f"quarantine/2026/11/{document.id}/{name}"
    assert office.read(document.key) == data
    assert office.keys("inbox/") == [] and office.keys("documents/") == []
    (event,) = office.events()
    assert event["detail-type"] == "DocumentQuarantined"


def test_a_file_over_the_limit_is_quarantined_without_being_kept_in_memory(office: Office) -> None:
    office.filing.max_bytes = 1000
    data = b"a,b\n" + b"1,2\n" * 1000
    document = office.filing.intake(office.upload("inbox/big.csv", data))
    assert document and document.reason_code is Reason.TOO_LARGE and document.size == len(data)
    assert "limit is 1,000" in (document.reason or "")
    assert office.read(document.key or "") == data


def test_reclassify_moves_the_file_and_audits_the_change(office: Office) -> None:
    document = office.filing.intake(office.upload("inbox/scan.png", files.PNG))
    assert document and document.type.value == "other"
    changed = office.filing.reclassify(document.id, DocumentType.RECEIPT, STAFF)
    assert changed.key == f"documents/receipt/2026/11/{document.id}.png"
    assert office.keys("documents/") == [changed.key]
    assert changed.version == document.version + 1
    entries = history(office.audit, "document", document.id)
    assert [e["action"] for e in entries] == ["filed", "reclassified"]
    assert entries[-1]["actor"] == "user:u-1" and entries[-1]["changes"]["type"] == ["other", "receipt"]


def test_release_files_a_quarantined_document_but_never_a_dangerous_one(office: Office) -> None:
    big = office.filing
    big.max_bytes = 10
    kept = big.intake(office.upload("inbox/long-contract.pdf", INVOICE))
    assert kept and kept.reason_code is Reason.TOO_LARGE
    released = big.release(kept.id, DocumentType.CONTRACT, STAFF)
    assert released.status is Status.FILED and released.key == f"documents/contract/2026/11/{kept.id}.pdf"
    assert office.read(released.key or "") == INVOICE
    assert office.keys("quarantine/") == []

    exe = big.intake(office.upload("inbox/tool.pdf", files.EXE * 10))
    assert exe and exe.reason_code is Reason.EXECUTABLE  # too large, but its first bytes still tell
    with pytest.raises(Conflict):
        big.release(exe.id, None, STAFF)


def test_a_duplicate_of_a_first_copy_still_in_flight_is_retried_later(office: Office) -> None:
    office.filing.register.claim_checksum(hashlib.sha256(INVOICE).hexdigest(), "doc_inflight")
    with pytest.raises(FirstCopyPending):
        office.filing.intake(office.upload("inbox/invoice.pdf", INVOICE))
    assert office.keys("inbox/") == ["inbox/invoice.pdf"]


def _mail(*attachments: tuple[str, str, bytes]) -> bytes:
    message = EmailMessage()
    message["From"] = "Accounts <Billing@Vendor.example>"
    message["To"] = "documents@office.example"
    message["Subject"] = "Invoice November"
    message.set_content("Please find our invoice attached.")
    for name, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def test_an_emailed_invoice_is_unpacked_into_the_inbox_with_its_sender(office: Office) -> None:
    raw = _mail(("Hóa đơn 118.pdf", "application/pdf", INVOICE), ("logo.png", "image/png", files.PNG))
    upload = office.upload("mail/msg-0001", raw)
    mailroom = Mailroom(office.filing)

    keys = mailroom.receive(upload)
    assert len(keys) == 2 and all(k.startswith("inbox/mail/") for k in keys)
    assert mailroom.receive(upload) == []  # a redelivery unpacks nothing twice

    invoice = office.filing.intake(Upload(bucket=office.bucket, key=keys[0], event_time=NOW))
    assert invoice and invoice.uploaded_by == "mail:billing@vendor.example"
    assert invoice.original_name == "Hóa đơn 118.pdf" and invoice.type.value == "vendor_invoice"
    assert office.keys("mail/") == ["mail/msg-0001"]


def test_ses_s_setup_notice_is_not_reported_as_a_quarantined_email(office: Office) -> None:
    notice = b"This is a test message from Amazon SES to verify the receipt rule's S3 action."
    upload = office.upload("mail/AMAZON_SES_SETUP_NOTIFICATION", notice)
    assert Mailroom(office.filing).receive(upload) == []
    assert office.filing.register.search(status=Status.QUARANTINED)[0] == []


def test_an_email_without_attachments_is_kept_and_reported(office: Office) -> None:
    upload = office.upload("mail/msg-0002", _mail())
    assert Mailroom(office.filing).receive(upload) == []
    documents, _ = office.filing.register.search(status=Status.QUARANTINED)
    (reported,) = documents
    assert reported.reason_code is Reason.NO_ATTACHMENT and reported.key == "mail/msg-0002"
    assert reported.uploaded_by == "mail:billing@vendor.example"
    assert office.keys("mail/") == ["mail/msg-0002"]
