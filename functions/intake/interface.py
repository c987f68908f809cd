"""What intake offers the other capabilities: whether a document is in the register."""

from __future__ import annotations

from functools import cache

from core.dynamo import Table
from core.settings import env
from intake.store import DocumentRegister


@cache
def _register() -> DocumentRegister:
    return DocumentRegister(Table(env("DOCUMENTS_TABLE")), env("AUDIT_TABLE"))


def document_exists(document_id: str) -> bool:
    """True if the register holds this document (in any status)."""
    return _register().get(document_id) is not None
