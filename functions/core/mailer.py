"""Outgoing email through SES (v2), as MIME so attachments and any script travel intact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import cache
from typing import Any


@cache
def sesv2_client() -> Any:
    import boto3

    return boto3.client("sesv2")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


class Mailer:
    """Sends from one verified identity; the client is injected in tests."""

    def __init__(self, sender: str, sender_name: str | None = None, client: Any | None = None) -> None:
        self.sender = formataddr((sender_name, sender)) if sender_name else sender
        self._client = client

    def send(
        self,
        to: str,
        subject: str,
        text: str,
        *,
        html: str | None = None,
        attachments: Sequence[Attachment] = (),
        cc: Sequence[str] = (),
    ) -> str:
        """Send one message; returns SES's message id."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        if cc:
            message["Cc"] = ", ".join(cc)
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="backoffice")
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
        for attachment in attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        client = self._client or sesv2_client()
        response = client.send_email(
            FromEmailAddress=self.sender,
            Destination={"ToAddresses": [to], **({"CcAddresses": list(cc)} if cc else {})},
            Content={"Raw": {"Data": message.as_bytes()}},
        )
        return str(response["MessageId"])
