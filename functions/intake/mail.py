"""Read an emailed message (as SES stores it) into its sender and its attached files."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from core.text import file_name
from intake.provenance import MailVerdicts

SES = "amazonses.com"


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class Mail:
    sender: str
    subject: str
    verdicts: MailVerdicts
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def virus(self) -> bool:
        return self.verdicts.virus == "FAIL"

    @property
    def spoofed(self) -> bool:
        return self.verdicts.dmarc == "FAIL"


def verdicts(message: EmailMessage, sender: str) -> MailVerdicts:
    """SES's verdicts, from the headers SES puts on top of a stored message. Only the first of each
    header counts (SES adds its own above whatever the sender wrote), and Authentication-Results only
    when SES (`amazonses.com`) wrote it."""
    found = {
        "spam": str(message.get("x-ses-spam-verdict", "NONE")).strip().upper(),
        "virus": str(message.get("x-ses-virus-verdict", "NONE")).strip().upper(),
    }
    results = str(message.get("authentication-results", ""))
    authserv, _, rest = results.partition(";")
    if authserv.strip().lower() == SES:
        for clause in rest.split(";"):
            method, _, outcome = clause.strip().partition("=")
            if method.strip().lower() in ("spf", "dkim", "dmarc"):
                found[method.strip().lower()] = outcome.split()[0].upper() if outcome.split() else "NONE"
    return MailVerdicts(sender=sender, **found)


def parse_mail(raw: bytes) -> Mail:
    """The sender, subject and every named, non-empty attachment (inline or not)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    _, sender = parseaddr(str(message.get("from", "")))
    sender = sender.lower() or "unknown"
    mail = Mail(sender=sender, subject=str(message.get("subject", "")), verdicts=verdicts(message, sender))
    for part in message.walk():
        name = part.get_filename()
        if not name or part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            mail.attachments.append(Attachment(file_name(name, "attachment"), part.get_content_type(), data))
    return mail
