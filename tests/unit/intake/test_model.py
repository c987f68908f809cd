"""S3 notifications, ids and where files go."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from intake.mail import parse_mail
from intake.model import DocumentType, document_id, filed_key, original_name, uploads_from_notification


def record(key: str) -> dict:  # type: ignore[type-arg]
    return {
        "eventName": "ObjectCreated:Put",
        "eventTime": "2026-11-20T14:03:11.482Z",
        "userIdentity": {"principalId": "AWS:AIDASTAFF"},
        "s3": {"bucket": {"name": "docs"}, "object": {"key": key, "size": 10, "versionId": "v1"}},
    }


def test_keys_in_event_records_are_url_decoded() -> None:
    (upload,) = uploads_from_notification(
        {"Records": [record("inbox/H%C3%B3a+%C4%91%C6%A1n+th%C3%A1ng+11.pdf")]}
    )
    assert upload.key == "inbox/Hóa đơn tháng 11.pdf"
    (upload,) = uploads_from_notification({"Records": [record("inbox%2Fpayroll%2Fa+b%2B.csv")]})
    assert upload.key == "inbox/payroll/a b+.csv"


def test_the_s3_test_event_names_no_upload() -> None:
    assert uploads_from_notification({"Service": "Amazon S3", "Event": "s3:TestEvent"}) == []


def test_the_document_id_is_stable_per_object_version() -> None:
    (a,) = uploads_from_notification({"Records": [record("inbox/a.pdf")]})
    assert document_id(a.processing_key) == document_id(a.processing_key)
    other = a.model_copy(update={"version_id": "v2"})
    assert document_id(other.processing_key) != document_id(a.processing_key)


def test_files_are_filed_by_type_and_business_month() -> None:
    late_evening = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # still 30 November in New York
    key = filed_key(DocumentType.RECEIPT, "doc_x", ".pdf", late_evening, ZoneInfo("America/New_York"))
    assert key == "documents/receipt/2026/11/doc_x.pdf"


def test_the_original_name_comes_from_metadata_or_the_key() -> None:
    assert (
        original_name("inbox/web/123/x", {"original-name": "H%C3%B3a%20%C4%91%C6%A1n.pdf"}) == "Hóa đơn.pdf"
    )
    assert original_name("inbox/payroll/register.csv", {}) == "register.csv"


def test_a_mail_gives_its_sender_and_named_attachments() -> None:
    raw = (
        b"From: =?utf-8?q?C=C3=B4ng_ty_ABC?= <Ketoan@ABC.example>\r\nTo: docs@office.example\r\n"
        b"Subject: Invoice\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n"
        b"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n.pdf\r\n"
        b"\r\nJVBERi0xLjQK\r\n"
        b"--b--\r\n"
    )
    mail = parse_mail(raw)
    assert mail.sender == "ketoan@abc.example"
    (attachment,) = mail.attachments
    assert attachment.name == "Hóa đơn.pdf" and attachment.data == b"%PDF-1.4\n"
