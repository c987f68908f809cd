"""moto with IAM enforced per function: each function's role from the SAM-translated template,
assumed through STS, with resource-level checks where moto checks only the action.

moto authorises DynamoDB, SES and EventBridge calls against the resource "*", so a policy naming a
table, an identity or a bus would never match; these patches give it the resources IAM itself
evaluates (a transaction's items each as PutItem/UpdateItem/DeleteItem/ConditionCheckItem on its
table, a query on its index, an email on its sending identity, an event on its bus)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.exceptions import ClientError

from infra.iam import Role
from infra.template import ACCOUNT_ID, REGION

TRANSACT = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
DENIED = {"AccessDenied", "AccessDeniedException"}


def table_arn(table: str, index: str | None = None) -> str:
    arn = table if table.startswith("arn:") else f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{table}"
    return f"{arn}/index/{index}" if index else arn


def dynamodb_checks(action: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    """(IAM action, resource) pairs that IAM evaluates for one DynamoDB request."""
    if action == "TransactWriteItems":
        return [
            (TRANSACT[kind], table_arn(op["TableName"]))
            for item in body["TransactItems"]
            for kind, op in item.items()
        ]
    if action == "TransactGetItems":
        return [("GetItem", table_arn(item["Get"]["TableName"])) for item in body["TransactItems"]]
    if action in ("BatchGetItem", "BatchWriteItem"):
        return [(action, table_arn(table)) for table in body["RequestItems"]]
    if "TableName" in body:
        return [(action, table_arn(body["TableName"], body.get("IndexName")))]
    return [(action, "*")]


def _json(response: Any) -> dict[str, Any]:
    body = response.body
    return dict(body) if isinstance(body, dict) else dict(json.loads(body or "{}"))


@contextmanager
def resource_level_checks() -> Iterator[None]:
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.dynamodb.responses import DynamoHandler
    from moto.events.responses import EventsHandler
    from moto.iam.access_control import IAMRequest
    from moto.sesv2.responses import SESV2Response

    def dynamodb(self: Any, resource: str = "*") -> None:
        if ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
            ActionAuthenticatorMixin.request_count += 1
            return
        for action, arn in dynamodb_checks(self._get_action(), _json(self)):
            request = IAMRequest(
                account_id=self.current_account,
                method=self.method,
                path=self.raw_path,
                data=self.data,
                body=self.raw_body,
                headers=self.headers,
                action=action,
            )
            request.check_signature()
            request.check_action_permitted(arn)

    def identity(self: Any) -> str:
        sender = _json(self).get("FromEmailAddress", "")
        domain = sender.rpartition("@")[2].rstrip(">") or "*"
        return f"arn:aws:ses:{REGION}:{ACCOUNT_ID}:identity/{domain}"

    def bus(self: Any) -> str:
        entries = _json(self).get("Entries") or [{}]
        name = entries[0].get("EventBusName") or "default"
        return name if name.startswith("arn:") else f"arn:aws:events:{REGION}:{ACCOUNT_ID}:event-bus/{name}"

    saved = DynamoHandler._authenticate_and_authorize_normal_action
    DynamoHandler._authenticate_and_authorize_normal_action = dynamodb  # type: ignore[method-assign]
    SESV2Response._determine_resource = identity  # type: ignore[attr-defined]
    EventsHandler._determine_resource = bus  # type: ignore[attr-defined]
    try:
        yield
    finally:
        DynamoHandler._authenticate_and_authorize_normal_action = saved  # type: ignore[method-assign]
        del SESV2Response._determine_resource  # type: ignore[attr-defined]
        del EventsHandler._determine_resource  # type: ignore[attr-defined]


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def assume(iam: Any, sts: Any, role: Role) -> dict[str, str]:
    """Create the function's role with its inline policies and assume it: the keys a Lambda gets."""
    arn = iam.create_role(RoleName=role.function, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    for name, document in role.policies.items():
        # IAM reads a policy without Version as 2008-10-17, moto refuses it; without policy variables
        # (these have none) both versions mean the same
        versioned = {"Version": "2012-10-17", **document}
        iam.put_role_policy(RoleName=role.function, PolicyName=name, PolicyDocument=json.dumps(versioned))
    keys = sts.assume_role(RoleArn=arn, RoleSessionName=role.function)["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": keys["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": keys["SecretAccessKey"],
        "AWS_SESSION_TOKEN": keys["SessionToken"],
    }


class Denials:
    """Every AccessDenied answer a function's clients get (whatever the function then does with it)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if _is_denial(parsed):
            self.seen.append(f"{model.service_model.service_name}:{model.name}")


@contextmanager
def acting_as(keys: dict[str, str]) -> Iterator[Denials]:
    """Run code as a function: its role's keys in the environment, fresh clients, IAM enforced."""
    from moto.core.authorization import enable_iam_authentication

    from infra.capabilities import reset_cached

    saved = {name: os.environ.get(name) for name in keys}
    os.environ.update(keys)
    boto3.DEFAULT_SESSION = None
    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    denials = Denials()
    boto3.DEFAULT_SESSION.events.register("after-call", denials)
    reset_cached()
    try:
        with enable_iam_authentication():
            yield denials
    finally:
        boto3.DEFAULT_SESSION.events.unregister("after-call", denials)
        boto3.DEFAULT_SESSION = None
        reset_cached()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def denied(call: Any, *args: Any, **kwargs: Any) -> bool:
    """Whether an AWS call is refused for lack of permission."""
    try:
        call(*args, **kwargs)
    except ClientError as error:
        return _is_denial(error.response)
    return False


def _is_denial(response: dict[str, Any]) -> bool:
    """moto answers a JSON-protocol service's denial in XML, which botocore reads only as a 403."""
    code = (response.get("Error") or {}).get("Code")
    return code in DENIED or (code == "403" and "AccessDenied" in str(response))
