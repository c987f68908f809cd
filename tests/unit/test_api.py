"""The shared API plumbing: problem documents, exact JSON, role checks."""

import json
from decimal import Decimal
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel

from core.api import build_resolver, current_caller, roles
from core.errors import Busy, ConditionFailed, Invalid, NotFound
from core.problems import Problem

router = Router()


class Item(BaseModel):
    name: str
    amount: Decimal


@router.post("/items", middlewares=roles("staff", "admin"))
def create_item(item: Item) -> dict[str, Any]:
    return {"name": item.name, "amount": item.amount, "by": current_caller(router).actor}


@router.get("/boom", middlewares=roles("staff"))
def boom() -> dict[str, Any]:
    raise Problem(409, "already done", slug="already-done")


@router.get("/refused/<kind>", middlewares=roles("staff"))
def refused(kind: str) -> dict[str, Any]:
    errors = {"missing": NotFound, "stale": ConditionFailed, "invalid": Invalid, "busy": Busy}
    raise errors[kind]("not today", slug=f"slug-{kind}")


@router.get("/throttled", middlewares=roles("staff"))
def throttled() -> dict[str, Any]:
    from botocore.exceptions import ClientError

    error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}
    raise ClientError(error, "TransactWriteItems")


app = build_resolver(router)


def event(
    method: str,
    path: str,
    body: str | None = None,
    groups: str = "[staff]",
    content_type: str = "application/json",
) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": content_type},
        "body": body,
        "isBase64Encoded": False,
        "requestContext": {
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "1.1.1.1",
                "userAgent": "t",
            },
            "authorizer": {"jwt": {"claims": {"sub": "u1", "cognito:groups": groups}, "scopes": None}},
            "stage": "$default",
            "requestId": "r",
            "routeKey": f"{method} {path}",
            "accountId": "1",
            "apiId": "a",
            "domainName": "d",
            "domainPrefix": "d",
            "time": "t",
            "timeEpoch": 0,
        },
    }


def call(*args: Any, **kwargs: Any) -> tuple[int, str, dict[str, Any]]:
    response = app.resolve(event(*args, **kwargs), None)
    return response["statusCode"], response["headers"].get("Content-Type", ""), json.loads(response["body"])


def test_amounts_stay_exact() -> None:
    status, _, body = call("POST", "/items", '{"name": "Bánh mì", "amount": 0.1}')
    assert status == 200
    assert body == {"name": "Bánh mì", "amount": "0.1", "by": "user:u1"}


def test_validation_errors_are_problem_documents_naming_each_field() -> None:
    status, content_type, body = call("POST", "/items", '{"amount": "x"}')
    assert status == 422
    assert content_type == "application/problem+json"
    assert body["status"] == 422 and body["type"].endswith("/validation")
    assert {e["pointer"] for e in body["errors"]} == {"/name", "/amount"}


def test_malformed_json_and_nan_are_400() -> None:
    assert call("POST", "/items", '{"name": ')[0] == 400
    assert call("POST", "/items", '{"name": "x", "amount": NaN}')[0] == 400


def test_wrong_role_is_403_problem() -> None:
    status, content_type, _body = call("POST", "/items", '{"name": "x", "amount": 1}', groups="[employee]")
    assert status == 403
    assert content_type == "application/problem+json"


def test_problems_raised_by_routes_keep_their_status() -> None:
    status, _, body = call("GET", "/boom")
    assert status == 409 and body["detail"] == "already done" and body["instance"] == "/boom"


def test_domain_errors_leave_as_problems_with_their_status() -> None:
    statuses = {"missing": 404, "stale": 409, "invalid": 422, "busy": 503}
    for kind, expected in statuses.items():
        status, content_type, body = call("GET", f"/refused/{kind}")
        assert (status, content_type) == (expected, "application/problem+json")
        assert body["type"].endswith(f"/slug-{kind}") and body["detail"] == "not today"


def test_unknown_route_is_404_problem() -> None:
    status, content_type, _ = call("GET", "/nothing")
    assert status == 404 and content_type == "application/problem+json"


def test_the_role_is_checked_before_the_body_so_outsiders_learn_nothing_of_its_shape() -> None:
    status, _, body = call("POST", "/items", '{"amount": "x"}', groups="[employee]")
    assert status == 403 and "errors" not in body


def test_an_unsupported_content_type_is_415_and_deep_nesting_is_400() -> None:
    assert call("POST", "/items", "<item/>", content_type="application/xml")[0] == 415
    assert call("POST", "/items", "[" * 50_000 + "]" * 50_000)[0] == 400


def test_aws_throttling_that_outlasts_the_retries_is_a_503_to_retry_not_a_500() -> None:
    response = app.resolve(event("GET", "/throttled"), None)
    assert response["statusCode"] == 503 and response["headers"]["Retry-After"] == "2"
    assert json.loads(response["body"])["type"].endswith("/busy")
