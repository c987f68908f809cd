"""Who may call what, for every route the template declares (the JWT authorizer and each handler)."""

import re

import pytest

from infra.template import Template
from tests.e2e.conftest import RunningCloud

pytestmark = pytest.mark.e2e


def routes() -> list[tuple[str, str, bool]]:
    """(method, path with ids filled in, public) for every HttpApi event in template.yaml."""
    found = []
    for spec in Template().functions.values():
        for event in spec.events:
            if event.type != "HttpApi":
                continue
            props = event.properties
            public = (props.get("Auth") or {}).get("Authorizer") == "NONE"
            path = re.sub(r"\{[^}]+\}", "someone-elses-id", props["Path"])
            found.append((props["Method"].upper(), path, public))
    return sorted(found)


ROUTES = routes()
PRIVATE = [(m, p) for m, p, public in ROUTES if not public]


def test_the_template_declares_the_routes_under_test() -> None:
    assert len(PRIVATE) >= 48 and any(p.startswith("/me") for _, p in PRIVATE)


@pytest.mark.parametrize(("method", "path"), PRIVATE, ids=[f"{m} {p}" for m, p in PRIVATE])
def test_no_token_is_401_before_any_function_runs(office: RunningCloud, method: str, path: str) -> None:
    status, _, _ = office.request(method, path, {} if method in ("POST", "PATCH") else None)
    assert status == 401


@pytest.mark.parametrize(("method", "path"), PRIVATE, ids=[f"{m} {p}" for m, p in PRIVATE])
def test_an_employee_reaches_only_their_own_me_routes(office: RunningCloud, method: str, path: str) -> None:
    token = office.token("employee", employee_id="E-1001")
    status, headers, _ = office.request(
        method,
        path,
        {} if method in ("POST", "PATCH") else None,
        headers={"authorization": f"Bearer {token}"},
    )
    if path.startswith("/me"):
        assert status in (200, 404), (method, path, status)  # someone else's cheque does not exist for them
    else:
        assert status == 403 and headers["content-type"] == "application/problem+json", (method, path, status)


@pytest.mark.parametrize("path", ["/me", "/me/cheques"])
def test_office_staff_have_no_me_routes(office: RunningCloud, path: str) -> None:
    status, _, _ = office.request("GET", path, headers={"authorization": f"Bearer {office.token('staff')}"})
    assert status == 403
