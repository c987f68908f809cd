"""The permission table of docs/security.md, walked over every route the template declares: each role not
ticked is refused (403), each role ticked gets past the role check, the public routes need no token."""

import json
import re

import pytest

from infra.capabilities import ROLES, documented_roles
from tests.e2e.conftest import RunningCloud

pytestmark = pytest.mark.e2e

TABLE = documented_roles()
CASES = sorted((method, path, role) for (method, path), _ in TABLE.items() for role in ROLES)


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
