"""What the functions under test emailed, read back from moto's SES."""

from email import message_from_bytes, policy
from email.message import EmailMessage

from infra.localcloud.outbox import sent_messages


def sent_mail(to: str | None = None) -> list[EmailMessage]:
    """Sent messages, oldest first; only those addressed to `to` when given."""
    parsed = [message_from_bytes(raw, policy=policy.default) for raw in sent_messages()]
    return [m for m in parsed if isinstance(m, EmailMessage) and (to is None or to in str(m["To"]))]
