"""Errors as RFC 9457 problem details (`application/problem+json`), in the reader's language.

A problem's `type` ends in a stable code (its slug) and `params` carries the facts its words are
made of, for programs; `title`, `detail` and each field error's `message` are written in the language
the request asked for (Accept-Language: th, vi, else English) from the gettext catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from core.errors import Busy, Conflict, DomainError, Forbidden, Invalid, Malformed, NotFound, Unauthenticated
from core.i18n import N_, say

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://backoffice.example.com/problems/"

TITLES = {
    400: N_("Your request cannot be read"),
    401: N_("Sign in first"),
    403: N_("You may not do this"),
    404: N_("Not found"),
    409: N_("This cannot be done now"),
    415: N_("This kind of content is not taken"),
    422: N_("Your request is not valid"),
    500: N_("Something went wrong on our side"),
    503: N_("The back office is busy"),
}


@dataclass
class Problem(Exception):
    """A failure the caller can act on; rendered as a problem document by the API. `detail` is a text
    of the catalogues with `{name}` placeholders filled from `params`."""

    status: int
    detail: str
    slug: str = ""
    title: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(say("en", self.detail, self.params))
        phrase = HTTPStatus(self.status).phrase
        self.title = self.title or TITLES.get(self.status, phrase)
        self.slug = self.slug or phrase.lower().replace(" ", "-")

    def to_dict(self, instance: str | None = None, language: str = "en") -> dict[str, Any]:
        """The problem document, its words in `language`."""
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.slug,
            "title": say(language, self.title),
            "status": self.status,
            "detail": say(language, self.detail, self.params),
        }
        if self.params:
            body["params"] = self.params
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [
                {**error, "message": say(language, error["message"], error.get("params"))}
                if "message" in error
                else error
                for error in self.errors
            ]
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


def problem_of(error: DomainError) -> Problem:
    """The problem document that tells an HTTP caller about a domain error."""
    status = next(code for kind, code in STATUS.items() if isinstance(error, kind))
    return Problem(
        status,
        error.text,
        slug=error.slug,
        errors=error.errors,
        extensions=error.extensions,
        params=error.params,
    )


# The states and kinds problems name ("a {status} invoice cannot be credited"), as `core.i18n.say` writes
# an enum's value, so that each has its words in every language
STATES = (
    N_("draft"),
    N_("issued"),
    N_("partially paid"),
    N_("paid"),
    N_("overdue"),
    N_("void"),
    N_("sent"),
    N_("accepted"),
    N_("declined"),
    N_("invoiced"),
    N_("awaiting approval"),
    N_("approved"),
    N_("scheduled"),
    N_("rejected"),
    N_("imported"),
    N_("received"),
    N_("closed"),
    N_("unmatched"),
    N_("ready"),
    N_("mailed"),
    N_("handed over"),
    N_("stale"),
    N_("cashed"),
    N_("upcoming"),
    N_("due soon"),
    N_("completed"),
    N_("archived"),
    N_("filed"),
    N_("duplicate"),
    N_("quarantined"),
    N_("matched"),
    N_("assigned"),
    N_("ignored"),
    N_("outgoing"),
    N_("empty"),
    N_("too large"),
    N_("executable"),
    N_("archive"),
    N_("html"),
    N_("script"),
    N_("unsupported type"),
    N_("unreadable pdf"),
    N_("no attachment"),
    N_("untrusted register"),
    N_("spoofed sender"),
)
