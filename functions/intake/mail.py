"""Read an emailed message (as SES stores it) into its sender and its attached files."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class Mail:
    sender: str
    subject: str
    attachments: list[Attachment] = field(default_factory=list)
    virus: bool = False


def parse_mail(raw: bytes) -> Mail:
    """The sender, subject and every named, non-empty attachment (inline or not)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    _, sender = parseaddr(str(message.get("from", "")))
    mail = Mail(
        sender=sender.lower() or "unknown",
        subject=str(message.get("subject", "")),
        virus=str(message.get("x-ses-virus-verdict", "")).upper() == "FAIL",
    )
    for part in message.walk():
        name = part.get_filename()
        if not name or part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            clean = name.replace("/", "_").replace("\\", "_").strip() or "attachment"
            mail.attachments.append(Attachment(clean, part.get_content_type(), data))
    return mail
