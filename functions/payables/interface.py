"""What payables offers the other capabilities: a customer of the parties directory, as it is now."""

from __future__ import annotations

from functools import cache
from typing import Any

from core.dynamo import Table
from core.errors import Invalid, NotFound
from core.i18n import N_
from core.settings import env
from payables.store import PayablesStore


@cache
def _store() -> PayablesStore:
    return PayablesStore(Table(env("PAYABLES_TABLE")), env("AUDIT_TABLE"), 0)


def customer(party_id: str) -> dict[str, Any]:
    """The directory's customer `party_id` (name, email, address, tax id, branch, language); a 422 if
    there is none, it is archived or it is only a vendor."""
    try:
        party = _store().party(party_id)
    except NotFound:
        raise Invalid(
            N_("customer {party} is not in the directory"), slug="unknown-customer", party=party_id
        ) from None
    if party.archived or party.kind == "vendor":
        raise Invalid(
            N_("party {party} is not a customer one may invoice"), slug="unknown-customer", party=party_id
        )
    fields = ("name", "email", "address", "tax_id", "branch", "language")
    return {"party_id": party.id, **{f: getattr(party, f) for f in fields if getattr(party, f) is not None}}
