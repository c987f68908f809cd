"""The caller is read from the claims API Gateway passes on, in every shape it uses."""

import pytest

from core.errors import Forbidden, Unauthenticated
from core.identity import caller_from_claims, caller_from_event, parse_groups


@pytest.mark.parametrize(
    ("raw", "groups"),
    [
        ("[admin staff]", {"admin", "staff"}),
        ('["staff"]', {"staff"}),
        (["employee"], {"employee"}),
        ("staff", {"staff"}),
        ("admin,staff", {"admin", "staff"}),
        ("", set()),
        (None, set()),
    ],
)
def test_groups_claim_shapes(raw: object, groups: set[str]) -> None:
    assert parse_groups(raw) == groups


def test_caller_from_event_claims() -> None:
    event = {
        "requestContext": {
            "authorizer": {
                "jwt": {
                    "claims": {"sub": "abc", "cognito:groups": "[employee]", "custom:employee_id": "E-1001"}
                }
            }
        }
    }
    caller = caller_from_event(event)
    assert caller.employee_id == "E-1001"
    assert caller.has_any(("employee",)) and not caller.has_any(("staff", "admin"))
    assert caller.actor == "user:abc"


def test_missing_claims_are_unauthenticated_and_wrong_role_is_forbidden() -> None:
    with pytest.raises(Unauthenticated):
        caller_from_event({"requestContext": {}})
    with pytest.raises(Forbidden):
        caller_from_claims({"sub": "x", "cognito:groups": "[employee]"}).require("staff", "admin")
