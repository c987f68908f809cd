"""The document register's vocabulary: types, statuses, reasons, ids and where files are kept."""

from __future__ import annotations

import base64
import hashlib
import posixpath
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import unquote, unquote_plus
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from core.text import file_name
from intake.provenance import MailVerdicts, Provenance


class DocumentType(StrEnum):
    VENDOR_INVOICE = "vendor_invoice"
    RECEIPT = "receipt"
    PAYROLL_REGISTER = "payroll_register"
    CONTRACT = "contract"
    TAX_FORM = "tax_form"
    WITHHOLDING_CERTIFICATE = "withholding_certificate"
    IDENTITY = "identity"
    BANK_STATEMENT = "bank_statement"
    OTHER = "other"


class Status(StrEnum):
    FILED = "filed"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


class Reason(StrEnum):
    """Why a document was quarantined. The dangerous ones can never be released into filing."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    EXECUTABLE = "executable"
    ARCHIVE = "archive"
    HTML = "html"
    SCRIPT = "script"
    UNSUPPORTED = "unsupported_type"
    UNREADABLE_PDF = "unreadable_pdf"
    NO_ATTACHMENT = "no_attachment"
    UNTRUSTED_REGISTER = "untrusted_register"
    SPOOFED_SENDER = "spoofed_sender"

    @property
    def releasable(self) -> bool:
        return self not in {
            Reason.EMPTY,
            Reason.EXECUTABLE,
            Reason.HTML,
            Reason.SCRIPT,
            Reason.NO_ATTACHMENT,
            Reason.SPOOFED_SENDER,
        }


INBOX = "inbox/"
MAIL = "mail/"


class Upload(BaseModel):
    """One object that landed in the inbox, as an S3 event record describes it."""

    bucket: str
    key: str
    version_id: str | None = None
    size: int = 0
    event_time: datetime
    principal: str | None = None

    @property
    def processing_key(self) -> str:
        return f"{self.bucket}\n{self.key}\n{self.version_id or '-'}"


def uploads_from_notification(body: dict[str, Any]) -> list[Upload]:
    """The inbox objects of an S3 event notification (S3's own s3:TestEvent yields none)."""
    uploads = []
    for record in body.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record["s3"]
        obj = s3["object"]
        uploads.append(
            Upload(
                bucket=s3["bucket"]["name"],
                key=unquote_plus(obj["key"]),
                version_id=obj.get("versionId"),
                size=int(obj.get("size") or 0),
                event_time=record["eventTime"],
                principal=(record.get("userIdentity") or {}).get("principalId"),
            )
        )
    return uploads


def document_id(processing_key: str) -> str:
    """A stable id per uploaded object version: a retry of the same upload finds its own work."""
    digest = hashlib.sha256(processing_key.encode()).digest()
    return "doc_" + base64.b32encode(digest[:15]).decode().lower()


def month_folder(at: datetime, timezone: ZoneInfo) -> str:
    local = at.astimezone(timezone)
    return f"{local:%Y}/{local:%m}"


def filed_key(doc_type: DocumentType, document: str, extension: str, at: datetime, tz: ZoneInfo) -> str:
    return f"documents/{doc_type.value}/{month_folder(at, tz)}/{document}{extension}"


def quarantine_key(document: str, original_name: str, at: datetime, tz: ZoneInfo) -> str:
    return f"quarantine/{month_folder(at, tz)}/{document}/{original_name}"


def original_name(key: str, metadata: dict[str, str]) -> str:
    """The name the uploader gave the file (metadata `original-name` is percent-encoded UTF-8)."""
    named = metadata.get("original-name")
    return file_name(unquote(named) if named else posixpath.basename(key))


def inbox_folder(key: str) -> str | None:
    """The first sub-folder under inbox/ (`inbox/payroll/x.csv` → `payroll`)."""
    if not key.startswith(INBOX):
        return None
    parts = key[len(INBOX) :].split("/")
    return parts[0].lower() if len(parts) > 1 else None


class Document(BaseModel):
    """One register entry: what was uploaded, what it is and where it is kept."""

    id: str
    type: DocumentType
    status: Status
    original_key: str
    original_name: str
    key: str | None = Field(default=None, description="Where the bytes are kept now.")
    sha256: str
    size: int
    content_type: str | None = None
    uploaded_by: str
    uploaded_at: datetime
    filed_at: datetime | None = None
    classified_by: str | None = Field(default=None, description="explicit, folder, filename, keywords.")
    reason: str | None = None
    reason_code: Reason | None = None
    duplicate_of: str | None = None
    text_excerpt: str | None = None
    pages: int | None = None
    encoding: str | None = None
    provenance: Provenance | None = Field(default=None, description="Who put it here, by which door.")
    mail: MailVerdicts | None = Field(default=None, description="SES's verdicts, for emailed documents.")
    version: int = 1

    @property
    def may_be_released(self) -> bool:
        """Quarantined for a reason a person may overrule (not a program, a script, HTML, …)."""
        return self.status is Status.QUARANTINED and (self.reason_code is None or self.reason_code.releasable)
