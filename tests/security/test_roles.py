"""The permission table of docs/security.md, walked over every route the template declares: each role not
ticked is refused (403), each role ticked gets past the role check, the public routes need no token."""

import json
import re
from pathlib import Path

import pytest

from infra.template import Template
from tests.e2e.conftest import ROOT, RunningCloud

pytestmark = pytest.mark.e2e

ROLES = ("admin", "staff", "employee")


def table() -> dict[tuple[str, str], set[str]]:
    """(method, path) → the roles ticked for it in docs/security.md."""
    text = Path(ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text[text.index("**Roles**") : text.index("\n\n", text.index("| route | admin |"))]
    allowed: dict[tuple[str, str], set[str]] = {}
    for row in section.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        ticked = {role for role, cell in zip(ROLES, cells[1:], strict=True) if cell == "✓"}
        for method, path in re.findall(r"`([A-Z]+) (/[^`]*)`", cells[0]):
            allowed[(method, path)] = ticked
    return allowed


def declared() -> set[tuple[str, str]]:
    return {
        (str(e.properties["Method"]).upper(), str(e.properties["Path"]))
        for spec in Template().functions.values()
        for e in spec.events
        if e.type == "HttpApi"
    }


TABLE = table()
CASES = sorted((method, path, role) for (method, path), _ in TABLE.items() for role in ROLES)


def test_the_table_names_every_route_the_template_declares_and_no_other() -> None:
    assert set(TABLE) == declared()


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=[" ".join(c) for c in CASES])
def test_each_role_gets_exactly_what_the_table_says(
    office: RunningCloud, method: str, path: str, role: str
) -> None:
    token = office.token(role, subject=f"roles-{role}", employee_id="E-1001")
    target = re.sub(r"\{[^}]+\}", "not-a-real-id", path)
    if path == "/obligations/calendar.ics":  # calendar programs hold a feed link, not a sign-in
        staff = {"authorization": f"Bearer {office.token('staff')}"}
        _, _, link = office.request("POST", "/obligations/calendar-tokens", headers=staff)
        target = json.loads(link)["url"]
    status, _, _ = office.request(
        method,
        target,
        {} if method in ("POST", "PATCH") else None,
        headers={"authorization": f"Bearer {token}"},
    )
    if role in TABLE[(method, path)]:
        assert status not in (401, 403), (method, path, role, status)
    else:
        assert status == 403, (method, path, role, status)
