"""The errors of the domain: what went wrong in words a caller can act on, with no HTTP in them.

Services, stores and adapters raise these; the API layer alone turns them into problem documents
(`core.problems.problem_of`), and scheduled or event-driven functions log or retry them.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A failure the caller can act on: a sentence, a stable slug, and per-field details."""

    default_slug: ClassVar[str] = "error"

    def __init__(
        self,
        detail: str,
        *,
        slug: str = "",
        errors: list[dict[str, Any]] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.slug = slug or self.default_slug
        self.errors = errors or []
        self.extensions = extensions or {}


class Malformed(DomainError):
    """The request cannot be read at all (a cursor this API never gave, a body that is not text)."""

    default_slug = "malformed"


class Unauthenticated(DomainError):
    default_slug = "unauthenticated"


class Forbidden(DomainError):
    default_slug = "forbidden"

    def __init__(self, detail: str = "your role does not allow this", **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)


class NotFound(DomainError):
    default_slug = "not-found"


class Conflict(DomainError):
    """The record's state does not allow this (already done, issued, changed meanwhile...)."""

    default_slug = "conflict"


class ConditionFailed(Conflict):
    """A write's condition failed: someone changed the record since it was read, or it exists already.
    Reading again and retrying may succeed (`core.retry.retry_on_conflict`)."""


class Invalid(DomainError):
    """The request is understood but its content breaks a rule."""

    default_slug = "validation"


class Busy(DomainError):
    """Too many writers at once; the same request may be sent again shortly."""

    default_slug = "busy"


def not_found(what: str, ident: str) -> NotFound:
    return NotFound(f"{what} {ident} does not exist")
