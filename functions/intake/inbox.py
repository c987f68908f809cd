"""Take an inbox object to its end state — filed, duplicate or quarantined.

Crash safety: the document id is derived from bucket + key + version, so a retried delivery finds
the work of an earlier one. Each step is copy → register → publish → delete the inbox version, so
a crash between steps loses nothing and the retry finishes the job.
"""

from __future__ import annotations

import io

from core.errors import ConditionFailed
from core.observability import logger, metrics
from core.storage import Download, StoredObject
from intake.base import IntakeBase
from intake.classify import classify
from intake.content import HEAD_BYTES, Inspection, inspect, too_large
from intake.model import (
    Document,
    DocumentType,
    Reason,
    Status,
    Upload,
    document_id,
    filed_key,
    original_name,
    quarantine_key,
)
from intake.provenance import MAIL_FOLDER, MailVerdicts, provenance


class FirstCopyPending(RuntimeError):
    """The identical earlier upload is still being filed; retry this one later."""


class Inbox(IntakeBase):
    def intake(self, upload: Upload) -> Document | None:
        """File one uploaded object version; None if it is gone and was never registered."""
        doc_id = document_id(upload.processing_key)
        existing = self.register.get(doc_id)
        if existing:
            self._finish(existing, upload)
            return existing
        stored = self.store.head(upload.key, upload.version_id)
        if stored is None:
            logger.info("upload already gone", extra={"document_id": doc_id})
            return None
        name = original_name(upload.key, stored.metadata)
        if stored.size > self.max_bytes:
            download = self.store.download(upload.key, upload.version_id, keep=False)
            inspection = self._oversized(upload, stored.size, name)
        else:
            download = self.store.download(upload.key, upload.version_id)
            inspection = inspect(download.file, download.size, name)
        download.close()
        document = self._document(doc_id, upload, stored, inspection, download)
        if document.status is Status.FILED:
            owner = self.register.claim_checksum(document.sha256, doc_id)
            if owner != doc_id:
                document = self._duplicate(document, owner)
        if document.key and document.status is not Status.DUPLICATE:
            self._copy(upload.key, upload.version_id, document)
        try:
            self.register.record(document, actor=document.uploaded_by, at=self.clock())
        except ConditionFailed:
            document = self.register.get(doc_id) or document  # a parallel delivery got there first
        metrics.add_metric(name=f"Documents{document.status.value.title()}", unit="Count", value=1)
        self._finish(document, upload, present=True)
        return document

    def _oversized(self, upload: Upload, size: int, name: str) -> Inspection:
        """Too large to read whole; its first bytes still tell a program from a document."""
        head = self.store.read_head(upload.key, upload.version_id, HEAD_BYTES)
        sniffed = inspect(io.BytesIO(head), len(head), name)
        if sniffed.reason and not sniffed.reason.releasable:
            return sniffed
        return too_large(size, self.max_bytes)

    def _document(
        self, doc_id: str, upload: Upload, stored: StoredObject, inspection: Inspection, download: Download
    ) -> Document:
        name = original_name(upload.key, stored.metadata)
        uploaded_by = stored.metadata.get("uploaded-by") or f"s3:{upload.principal or 'unknown'}"
        mail = (
            MailVerdicts.from_metadata(uploaded_by.removeprefix("mail:"), stored.metadata)
            if upload.key.startswith(MAIL_FOLDER)
            else None
        )
        origin = provenance(
            upload.key,
            uploaded_by,
            upload.principal,
            mail,
            uploaders=self.register_uploaders,
            payroll_senders=self.payroll_senders,
        )
        base = Document(
            id=doc_id,
            type=DocumentType.OTHER,
            status=Status.QUARANTINED,
            original_key=upload.key,
            original_name=name,
            sha256=download.sha256,
            size=download.size,
            uploaded_by=uploaded_by,
            uploaded_at=upload.event_time,
            content_type=inspection.content_type,
            text_excerpt=inspection.excerpt,
            pages=inspection.pages,
            encoding=inspection.encoding,
            provenance=origin,
            mail=mail,
        )
        if not inspection.accepted:
            return base.model_copy(
                update={
                    "reason_code": inspection.reason,
                    "reason": inspection.detail,
                    "key": quarantine_key(doc_id, name, upload.event_time, self.timezone),
                    "content_type": stored.content_type,
                }
            )
        guess = classify(
            stated=stored.metadata.get("document-type"), key=upload.key, name=name, text=inspection.text
        )
        if guess.type is DocumentType.PAYROLL_REGISTER and not origin.trusted:
            return base.model_copy(
                update={
                    "type": guess.type,
                    "classified_by": guess.source,
                    "reason_code": Reason.UNTRUSTED_REGISTER,
                    "reason": f"a payroll register pays people, so it must come from a trusted source: "
                    f"{origin.reason}. An admin may release it.",
                    "key": quarantine_key(doc_id, name, upload.event_time, self.timezone),
                }
            )
        return base.model_copy(
            update={
                "type": guess.type,
                "classified_by": guess.source,
                "status": Status.FILED,
                "filed_at": self.clock(),
                "key": filed_key(guess.type, doc_id, inspection.extension, upload.event_time, self.timezone),
            }
        )

    def _duplicate(self, document: Document, owner_id: str) -> Document:
        owner = self.register.get(owner_id)
        if owner is None:
            raise FirstCopyPending(f"{owner_id} is still being filed")
        return document.model_copy(
            update={
                "status": Status.DUPLICATE,
                "duplicate_of": owner.id,
                "type": owner.type,
                "key": owner.key,
                "filed_at": None,
            }
        )

    def _copy(self, source_key: str, source_version: str | None, document: Document) -> None:
        assert document.key
        self.store.copy(
            source_key,
            source_version,
            document.key,
            content_type=document.content_type,
            name=document.original_name,
            metadata={"document-id": document.id, "sha256": document.sha256},
            size=document.size,
        )

    def _finish(self, document: Document, upload: Upload, present: bool = False) -> None:
        """Announce the outcome and remove the processed inbox version (both safe to repeat); a retry
        that finds the version already gone has nothing left to do."""
        if not present and self.store.head(upload.key, upload.version_id) is None:
            return
        self._announce(document)
        self.store.delete(upload.key, upload.version_id)
        logger.info(
            "document registered",
            extra={"document_id": document.id, "status": document.status.value, "type": document.type.value},
        )
