"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

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


def not_found(what: str, ident: str) -> Problem:
    return Problem(404, f"{what} {ident} does not exist", slug="not-found")


def conflict(detail: str, slug: str = "conflict") -> Problem:
    return Problem(409, detail, slug=slug)


def unprocessable(
    detail: str, errors: list[dict[str, Any]] | None = None, slug: str = "validation"
) -> Problem:
    return Problem(422, detail, slug=slug, title="Your request is not valid", errors=errors or [])


def forbidden(detail: str = "your role does not allow this") -> Problem:
    return Problem(403, detail, slug="forbidden")
