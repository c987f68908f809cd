"""Who is calling: the JWT claims that the HTTP API's authorizer put in the event."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import Forbidden, Unauthenticated
from core.i18n import N_

ROLES = ("admin", "staff", "employee")
EMPLOYEE_ID_CLAIM = "custom:employee_id"


def parse_groups(raw: Any) -> frozenset[str]:
    """`cognito:groups` as API Gateway delivers it: `[admin staff]`, a JSON list, a list or one name."""
    if raw is None or raw == "":
        return frozenset()
    if isinstance(raw, list | tuple):
        return frozenset(str(item) for item in raw)
    text = str(raw).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return frozenset(text[1:-1].replace(",", " ").split())
        return frozenset(str(item) for item in parsed)
    return frozenset(text.replace(",", " ").split())


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of a request."""

    subject: str
    groups: frozenset[str]
    employee_id: str | None = None
    email: str | None = None
    name: str | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names this caller (a stable id, never a personal name)."""
        return f"user:{self.subject}"

    @property
    def shown_as(self) -> str | None:
        """How a history the office reads names this caller: their name, else their email."""
        return self.name or self.email

    def has_any(self, roles: tuple[str, ...]) -> bool:
        return bool(self.groups.intersection(roles))

    def require(self, *roles: str) -> None:
        """Refuse the call unless the caller is in one of the roles."""
        if not self.has_any(roles):
            raise Forbidden(N_("this needs one of the roles: {roles}"), roles=list(roles))


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller:
    """Build the caller from JWT claims, or 401 if there are none."""
    if not claims or not claims.get("sub"):
        raise Unauthenticated(N_("this route needs a signed-in user"), slug="unauthenticated")
    return Caller(
        subject=str(claims["sub"]),
        groups=parse_groups(claims.get("cognito:groups")),
        employee_id=claims.get(EMPLOYEE_ID_CLAIM) or None,
        email=claims.get("email") or None,
        name=claims.get("name") or None,
    )


def caller_from_event(event: Mapping[str, Any]) -> Caller:
    """The caller of an HTTP API (payload 2.0) event."""
    context = event.get("requestContext") or {}
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims")
    return caller_from_claims(claims)


SYSTEM = Caller(subject="system", groups=frozenset({"system"}))
"""The actor of scheduled runs and pipeline steps that no person started."""
