"""What every part of intake shares: the bucket, the register, the bus — and the reads people make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.errors import not_found
from core.events import EventBus
from core.i18n import N_
from core.storage import ObjectStore
from intake.model import (
    Document,
    DocumentType,
    Status,
)
from intake.store import DocumentRegister


@dataclass
class IntakeBase:
    store: ObjectStore
    register: DocumentRegister
    bus: EventBus
    clock: Clock
    timezone: ZoneInfo
    max_bytes: int
    register_uploaders: tuple[str, ...] = ("*",)
    payroll_senders: tuple[str, ...] = ()

    def get(self, doc_id: str) -> Document:
        document = self.register.get(doc_id)
        if document is None:
            raise not_found(N_("document"), doc_id)
        return document

    def search(
        self,
        *,
        doc_type: DocumentType | None,
        status: Status | None,
        start: datetime | None,
        end: datetime | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Document], str | None]:
        return self.register.search(
            doc_type=doc_type, status=status, start=start, end=end, cursor=cursor, limit=limit
        )

    def upload_form(self, key: str, fields: dict[str, str], seconds: int) -> dict[str, Any]:
        """A pre-signed browser form that puts one file of at most `max_bytes` at `key`."""
        return self.store.upload_form(key, fields, self.max_bytes, seconds)

    def download_url(self, document: Document, seconds: int) -> str | None:
        return self.store.download_url(document.key, seconds) if document.key else None

    def _announce(self, document: Document) -> None:
        detail = {
            "document_id": document.id,
            "type": document.type.value,
            "status": document.status.value,
            "bucket": self.store.bucket,
            "key": document.key,
            "content_type": document.content_type,
            "sha256": document.sha256,
            "size": document.size,
            "provenance": document.provenance.model_dump(mode="json") if document.provenance else None,
        }
        if document.status is Status.FILED:
            self.bus.publish("DocumentFiled", detail)
        elif document.status is Status.QUARANTINED:
            self.bus.publish("DocumentQuarantined", {**detail, "reason": document.reason_code})
