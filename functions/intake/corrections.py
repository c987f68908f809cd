"""People correct the filing: a wrong guess reclassified, a quarantined document released."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from core.errors import Conflict, Forbidden
from core.i18n import N_
from core.identity import Caller
from intake.base import IntakeBase
from intake.model import (
    Document,
    DocumentType,
    Reason,
    Status,
    filed_key,
)
from intake.provenance import Provenance, released

ADMIN = "admin"


class Corrections(IntakeBase):
    def reclassify(self, doc_id: str, new_type: DocumentType, caller: Caller) -> Document:
        """A person fixes a wrong guess: the file moves to its new folder; the change is audited."""
        document = self.get(doc_id)
        if document.status is not Status.FILED:
            raise Conflict(
                N_("only filed documents can be reclassified; this one is {status}"), status=document.status
            )
        if document.type is new_type:
            return document
        vouched = document.provenance
        if new_type is DocumentType.PAYROLL_REGISTER and not (vouched and vouched.trusted):
            if ADMIN not in caller.groups:
                raise Forbidden(
                    N_(
                        "this document did not come from a trusted source; only an admin may make it a "
                        "payroll register"
                    ),
                    slug="untrusted-register",
                )
            vouched = released(caller.actor)
        assert document.key
        extension = PurePosixPath(document.key).suffix
        target = filed_key(new_type, document.id, extension, document.uploaded_at, self.timezone)
        return self._move(
            document, target, new_type, action="reclassified", caller=caller, provenance=vouched
        )

    def release(self, doc_id: str, new_type: DocumentType | None, caller: Caller) -> Document:
        """A person releases a quarantined document into filing (never an executable, script or page)."""
        document = self.get(doc_id)
        if document.status is not Status.QUARANTINED:
            raise Conflict(
                N_("only quarantined documents can be released; this one is {status}"), status=document.status
            )
        if document.reason_code and not document.reason_code.releasable:
            raise Conflict(
                N_("a document quarantined as {reason} cannot be released"),
                reason=document.reason_code,
                slug="unsafe",
            )
        owner = self.register.claim_checksum(document.sha256, document.id)
        if owner != document.id:
            raise Conflict(N_("the same file is already filed as {owner}"), owner=owner)
        doc_type = new_type or (
            document.type if document.reason_code is Reason.UNTRUSTED_REGISTER else DocumentType.OTHER
        )
        extension = PurePosixPath(document.original_name).suffix.lower()
        target = filed_key(doc_type, document.id, extension, document.uploaded_at, self.timezone)
        return self._move(
            document, target, doc_type, action="released", caller=caller, provenance=released(caller.actor)
        )

    def _move(
        self,
        document: Document,
        target: str,
        doc_type: DocumentType,
        *,
        action: str,
        caller: Caller,
        provenance: Provenance | None,
    ) -> Document:
        assert document.key
        source = document.key
        self.store.copy(
            source,
            None,
            target,
            content_type=document.content_type,
            name=document.original_name,
            metadata={"document-id": document.id, "sha256": document.sha256},
            size=document.size,
        )
        now = self.clock()
        changed = document.model_copy(
            update={
                "key": target,
                "type": doc_type,
                "status": Status.FILED,
                "classified_by": "person",
                "filed_at": document.filed_at or now,
                "provenance": provenance,
                "reason_code": None,
                "reason": None,
            }
        )
        changes: dict[str, Any] = {"type": [document.type.value, doc_type.value], "key": [source, target]}
        if provenance != document.provenance:
            changes["provenance"] = provenance.model_dump(mode="json") if provenance else None
        saved = self.register.replace(changed, action=action, actor=caller.actor, at=now, changes=changes)
        self.store.delete(source)
        self._announce(saved)
        return saved
