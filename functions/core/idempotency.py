"""`Idempotency-Key` for every POST that moves money or custody (Powertools idempotency, one table).

A repeated request with the same key and the same method, path and body gets the first answer again
for 24 hours, without doing the work twice; the same key with another request is a 422. Keys are
scoped to the caller, so two people can never collide. A request that failed is not remembered:
sending it again tries again.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from core.dynamo import dynamodb_client
from core.errors import Conflict, Invalid
from core.i18n import N_, Word
from core.identity import caller_from_event
from core.serialization import json_dumps
from core.settings import env

HEADER = "idempotency-key"
WINDOW = 24 * 3600  # an Idempotency-Key is honoured for a day

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=200,
        description="Send the same key again to get the first answer instead of doing it twice (24 h).",
    ),
]
"""The route parameter that declares the header in the OpenAPI document (the middleware acts on it)."""


@cache
def persistence() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=env("IDEMPOTENCY_TABLE"), boto3_client=dynamodb_client())


def once(
    key: str,
    request: Any,
    work: Any,
    *,
    lambda_context: Any,
    expires: int = WINDOW,
    what: str = N_("request"),
) -> Any:
    """Run `work()` at most once per key (its JSON result is remembered); the same key with another
    `request` is a 422, and one still running a 409."""
    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="request",
        expires_after_seconds=expires,
        raise_on_no_idempotency_key=True,
    )
    config.register_lambda_context(lambda_context)

    @idempotent_function(data_keyword_argument="call", persistence_store=persistence(), config=config)
    def run(call: dict[str, Any]) -> Any:
        return work()

    try:
        return run(call={"key": key, "request": request})
    except IdempotencyValidationError:
        raise Invalid(
            N_("this Idempotency-Key was used with a different {what}"),
            slug="idempotency-key-reused",
            what=Word(what),
        ) from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict(N_("the same request is still being processed"), slug="in-progress") from None


def _snapshot(response: Response) -> dict[str, Any]:
    body = response.body
    return {
        "status": response.status_code,
        "content_type": response.content_type,
        "headers": {k: v for k, v in response.headers.items() if k.lower() != "content-type"},
        "body": body if isinstance(body, str | bytes) or body is None else json_dumps(body),
    }


def idempotent(app: Any, next_middleware: NextMiddleware) -> Response:
    """Route middleware (after `roles`): honour the request's Idempotency-Key, if it has one."""
    event = app.current_event
    key = event.headers.get(HEADER)
    if not key:
        return next_middleware(app)
    caller = caller_from_event(event.raw_event)
    request = {"method": event.http_method, "path": event.path, "body": event.body or ""}
    stored = once(
        f"{caller.subject}:{key}",
        request,
        lambda: _snapshot(next_middleware(app)),
        lambda_context=app.lambda_context,
    )
    return Response(stored["status"], stored["content_type"], stored["body"], headers=stored["headers"])


IDEMPOTENT = [idempotent]
