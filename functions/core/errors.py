"""The errors of the domain: what went wrong in words a caller can act on, with no HTTP in them.

Services, stores and adapters raise these; the API layer alone turns them into problem documents
(`core.problems.problem_of`), in the reader's language, and scheduled or event-driven functions log or
retry them. A detail is an English text of the catalogues with `{name}` placeholders, its parameters
given apart (`Invalid("that is more than the {due} {currency} due", due=..., currency=...)`), so that
the API can write it in Thai or Vietnamese; `detail` is the English, its parameters filled in.
"""

from __future__ import annotations

from typing import Any, ClassVar

from core.i18n import N_, Word, say


class DomainError(Exception):
    """A failure the caller can act on: a sentence and its parameters, a stable slug, and per-field
    details (`field_error`)."""

    default_slug: ClassVar[str] = "error"

    def __init__(
        self,
        text: str,
        *,
        slug: str = "",
        errors: list[dict[str, Any]] | None = None,
        extensions: dict[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.text = text
        self.params = params
        self.detail = say("en", text, params)
        super().__init__(self.detail)
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


def field_error(field: str, message: str, /, **params: Any) -> dict[str, Any]:
    """What is wrong with one field of the body ("customer.branch", "lines.0.unit_price"): a text of
    the catalogues and its parameters, like a `DomainError`'s."""
    return {
        "pointer": "/" + field.replace(".", "/"),
        "field": field,
        "in": "body",
        "message": message,
        **({"params": params} if params else {}),
    }


def not_found(what: str, ident: str) -> NotFound:
    """`what` is a word of the catalogues (`N_("invoice")`), written in the reader's language too."""
    return NotFound(N_("{what} {ident} does not exist"), what=Word(what), ident=ident)
