"""Outgoing email captured from the embedded SES, kept as .eml files in the state folder."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from infra.template import ACCOUNT_ID, REGION


def _ses_messages() -> list[Any]:
    from moto.ses.models import ses_backends

    return list(ses_backends[ACCOUNT_ID][REGION].sent_messages)


def _as_mime(message: Any) -> bytes:
    raw = getattr(message, "raw_data", None)
    if raw is not None:
        return raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    mime = EmailMessage()
    mime["From"] = message.source
    destinations = message.destinations or {}
    for header, key in (("To", "ToAddresses"), ("Cc", "CcAddresses")):
        if destinations.get(key):
            mime[header] = ", ".join(destinations[key])
    mime["Subject"] = getattr(message, "subject", "")
    mime.set_content(getattr(message, "body", ""))
    return mime.as_bytes()


def sent_messages() -> list[bytes]:
    """Every message the embedded SES has sent, as MIME."""
    return [_as_mime(message) for message in _ses_messages()]


def summarize(raw: bytes, message_id: str, at: str) -> dict[str, Any]:
    """What the outbox lists and shows of one message."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    text = html = None
    attachments = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename:
            attachments.append(
                {
                    "filename": filename,
                    "content_type": part.get_content_type(),
                    "size": len(part.get_payload(decode=True) or b""),
                }
            )
        elif part.get_content_type() == "text/plain" and text is None:
            text = part.get_content()
        elif part.get_content_type() == "text/html" and html is None:
            html = part.get_content()
    return {
        "id": message_id,
        "at": at,
        "from": str(parsed.get("From", "")),
        "to": [a.strip() for a in str(parsed.get("To", "")).split(",") if a.strip()],
        "cc": [a.strip() for a in str(parsed.get("Cc", "")).split(",") if a.strip()],
        "subject": str(parsed.get("Subject", "")),
        "text": text,
        "html": html,
        "attachments": attachments,
    }


class Outbox:
    """Collects what the functions sent through SES and keeps it across restarts."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / "outbox"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index_path = self.folder / "index.jsonl"
        self._seen = 0
        self._lock = threading.Lock()

    def collect(self) -> int:
        """Store messages sent since the last call; returns how many were new."""
        with self._lock:
            messages = _ses_messages()
            new = messages[self._seen :]
            self._seen = len(messages)
            with self.index_path.open("a", encoding="utf-8") as index:
                for message in new:
                    at = datetime.now(UTC).isoformat()
                    raw = _as_mime(message)
                    (self.folder / f"{message.id}.eml").write_bytes(raw)
                    entry = summarize(raw, message.id, at)
                    index.write(
                        json.dumps({k: entry[k] for k in ("id", "at", "from", "to", "cc", "subject")}) + "\n"
                    )
            return len(new)

    def list(self, to: str | None = None) -> list[dict[str, Any]]:
        """Captured messages, newest first, optionally only those sent to one address."""
        self.collect()
        if not self.index_path.exists():
            return []
        entries = [
            json.loads(line) for line in self.index_path.read_text(encoding="utf-8").splitlines() if line
        ]
        if to:
            wanted = to.lower()
            entries = [e for e in entries if any(wanted in a.lower() for a in e["to"] + e["cc"])]
        return list(reversed(entries))

    def read(self, message_id: str) -> dict[str, Any] | None:
        for entry in self.list():
            if entry["id"] == message_id:
                path = self.folder / f"{message_id}.eml"
                return summarize(path.read_bytes(), message_id, entry["at"])
        return None
