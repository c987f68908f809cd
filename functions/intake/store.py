"""The document register in DynamoDB.

Access patterns (DocumentsTable):
- a document by id:               pk=DOC#{id},            sk=DOC
- the first document of a SHA-256: pk=SHA256#{hex},        sk=CLAIM
- all documents by upload time:    gsi1pk=DOCS,             gsi1sk={uploaded_at}#{id}
- documents of a status by time:   gsi2pk=DOCS#{status},    gsi2sk={uploaded_at}#{id}
(a type filter is applied to either index's page).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.audit import Change, changed_meanwhile, save_with_audit
from core.dynamo import Page, Table, attributes, next_version, put_new, put_versioned
from core.i18n import N_
from intake.model import Document, DocumentType, Status

ENTITY = "document"


def document_item(document: Document) -> dict[str, Any]:
    sort = f"{document.uploaded_at.isoformat()}#{document.id}"
    return {
        **document.model_dump(mode="json", exclude_none=True),
        "pk": f"DOC#{document.id}",
        "sk": "DOC",
        "gsi1pk": "DOCS",
        "gsi1sk": sort,
        "gsi2pk": f"DOCS#{document.status.value}",
        "gsi2sk": sort,
    }


def from_item(item: dict[str, Any]) -> Document:
    return Document.model_validate(attributes(item))


class DocumentRegister:
    def __init__(self, table: Table, audit_table: str) -> None:
        self.table = table
        self.audit_table = audit_table

    def get(self, document_id: str) -> Document | None:
        item = self.table.get({"pk": f"DOC#{document_id}", "sk": "DOC"})
        return from_item(item) if item else None

    def claim_checksum(self, sha256: str, document_id: str) -> str:
        """Make this document the first with these bytes, unless another already is: the owner's id."""
        key = {"pk": f"SHA256#{sha256}", "sk": "CLAIM"}
        if self.table.claim(key, "document_id", document_id):
            return document_id
        owner = self.table.get(key)
        return str(owner["document_id"]) if owner else document_id

    def record(self, document: Document, *, actor: str, at: datetime) -> None:
        """Register a new document and its audit entry together (`ConditionFailed` if it is already
        registered)."""
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_new(self.table.name, document_item(document)), ENTITY, document.id)],
            Change(
                document.status.value,
                actor,
                at,
                {"type": document.type.value, "key": document.key, "reason": document.reason},
            ),
            conflict=changed_meanwhile(N_("document")),
        )

    def replace(
        self, document: Document, *, action: str, actor: str, at: datetime, changes: dict[str, Any]
    ) -> Document:
        """Write a changed document if nobody else changed it since it was read (else `ConditionFailed`)."""
        updated = next_version(document, document.version)
        save_with_audit(
            self.table,
            self.audit_table,
            [(put_versioned(self.table.name, document_item(updated), document.version), ENTITY, document.id)],
            Change(action, actor, at, changes),
            conflict=changed_meanwhile(N_("document")),
        )
        return updated

    def search(
        self,
        *,
        doc_type: DocumentType | None = None,
        status: Status | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> tuple[list[Document], str | None]:
        """Newest first, by status (gsi2) or all (gsi1), between two instants, optionally of one type."""
        index, pk_name, sk_name = ("gsi2", "gsi2pk", "gsi2sk") if status else ("gsi1", "gsi1pk", "gsi1sk")
        values: dict[str, Any] = {
            ":pk": f"DOCS#{status.value}" if status else "DOCS",
            ":from": start.isoformat() if start else "0",
            ":to": (end.isoformat() if end else "9") + "~",
        }
        names = {"#pk": pk_name, "#sk": sk_name}
        filter_expression = None
        if doc_type:
            filter_expression = "#type = :type"
            names["#type"] = "type"
            values[":type"] = doc_type.value
        page: Page = self.table.query(
            "#pk = :pk AND #sk BETWEEN :from AND :to",
            index=index,
            names=names,
            values=values,
            filter_expression=filter_expression,
            limit=limit,
            cursor=cursor,
            forward=False,
        )
        return [from_item(item) for item in page.items], page.cursor
