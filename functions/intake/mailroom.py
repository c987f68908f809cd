"""Emailed documents: each attachment goes into the inbox with its sender, then follows the pipeline."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from urllib.parse import quote

from core.errors import ConditionFailed
from core.observability import logger
from core.text import file_name
from intake.mail import Mail, parse_mail
from intake.model import INBOX, Document, DocumentType, Reason, Status, Upload, document_id
from intake.provenance import Provenance, Source
from intake.service import Filing

MARKER = "MAIL"
SES_SETUP = "AMAZON_SES_SETUP_NOTIFICATION"  # what SES writes under the prefix when the rule is made


@dataclass
class Mailroom:
    filing: Filing

    def receive(self, upload: Upload) -> list[str]:
        """Unpack one stored message into inbox keys (none when it was unpacked before or is unusable)."""
        if upload.key.rsplit("/", 1)[-1] == SES_SETUP:
            logger.info("SES's receipt rule setup notification, not mail")
            return []
        mail_id = document_id(upload.processing_key)
        register = self.filing.register
        if register.table.get({"pk": f"{MARKER}#{mail_id}", "sk": MARKER}):
            return []
        if self.filing.store.head(upload.key, upload.version_id) is None:
            logger.info("stored mail already gone", extra={"mail_id": mail_id})
            return []
        download = self.filing.store.download(upload.key, upload.version_id)
        raw = download.file.read()
        download.close()
        mail = parse_mail(raw)
        if mail.virus or mail.spoofed or not mail.attachments:
            self._report(upload, mail, mail_id, download.sha256, len(raw))
            return []
        keys = []
        for number, attachment in enumerate(mail.attachments, start=1):
            key = f"{INBOX}mail/{mail_id}/{number}-{attachment.name}"
            metadata = {
                "uploaded-by": f"mail:{mail.sender}",
                "original-name": quote(attachment.name, safe=""),
                **mail.verdicts.to_metadata(),
            }
            self.filing.store.put(key, attachment.data, attachment.content_type, metadata)
            keys.append(key)
        register.table.client.put_item(
            TableName=register.table.name,
            Item={
                "pk": {"S": f"{MARKER}#{mail_id}"},
                "sk": {"S": MARKER},
                "key": {"S": upload.key},
                "attachments": {"N": str(len(keys))},
            },
        )
        logger.info("mail unpacked", extra={"mail_id": mail_id, "attachments": len(keys)})
        return keys

    def _report(self, upload: Upload, mail: Mail, mail_id: str, sha256: str, size: int) -> None:
        """Keep the message where it is and put it in the quarantine list with the reason."""
        if mail.virus:
            reason, detail = Reason.EXECUTABLE, "the mail scanner found a virus"
        elif mail.spoofed:
            reason, detail = Reason.SPOOFED_SENDER, f"the message failed DMARC: it is not from {mail.sender}"
        else:
            reason, detail = Reason.NO_ATTACHMENT, "the email has no attached document"
        document = Document(
            id=mail_id,
            type=DocumentType.OTHER,
            status=Status.QUARANTINED,
            original_key=upload.key,
            original_name=file_name(mail.subject or "email")[:120] + ".eml",
            key=upload.key,
            sha256=sha256,
            size=size,
            content_type="message/rfc822",
            uploaded_by=f"mail:{mail.sender}",
            uploaded_at=upload.event_time,
            reason_code=reason,
            reason=detail,
            mail=mail.verdicts,
            provenance=Provenance(
                source=Source.EMAIL, by=f"mail:{mail.sender}", trusted=False, reason=detail
            ),
        )
        with contextlib.suppress(ConditionFailed):  # a redelivered email: registered the first time
            self.filing.register.record(document, actor=document.uploaded_by, at=self.filing.clock())
        self.filing.bus.publish("DocumentQuarantined", {"document_id": mail_id, "reason": reason.value})
