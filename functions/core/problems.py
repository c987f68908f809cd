"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from core.errors import Busy, Conflict, DomainError, Forbidden, Invalid, Malformed, NotFound, Unauthenticated

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://backoffice.example.com/problems/"


@dataclass
class Problem(Exception):
    """A failure the caller can act on; rendered as a problem document by the API."""

    status: int
    detail: str
    slug: str = ""
    title: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.detail)
        phrase = HTTPStatus(self.status).phrase
        self.title = self.title or phrase
        self.slug = self.slug or phrase.lower().replace(" ", "-")

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        """The problem document."""
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extensions)
        return body


STATUS: dict[type[DomainError], int] = {
    Malformed: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    Busy: 503,
}
TITLES = {422: "Your request is not valid"}


def problem_of(error: DomainError) -> Problem:
    """The problem document that tells an HTTP caller about a domain error."""
    status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
    return Problem(
        status,
        error.detail,
        slug=error.slug,
        title=TITLES.get(status, ""),
        errors=error.errors,
        extensions=error.extensions,
    )
