"""The HTTP API plumbing shared by every capability: resolver, roles, problem responses.

Bodies are parsed with `parse_float=Decimal` so amounts stay exact; NaN and Infinity are refused.
Each route states the roles that may call it (`roles(...)`), checked again here behind the
JWT authorizer, and every error leaves as an RFC 9457 problem document.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from pydantic import ValidationError

from core.errors import DomainError
from core.identity import Caller, caller_from_event
from core.observability import logger
from core.problems import PROBLEM_CONTENT_TYPE, Problem, problem_of
from core.serialization import json_dumps, json_loads

SECURITY_SCHEME = "cognitoJwt"


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    return Response(
        status_code=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
        body=json_dumps(problem.to_dict(instance)),
    )


def _pointer(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return "/" + "/".join(parts)


def validation_problem(error: RequestValidationError) -> Problem:
    """Turn pydantic's errors into a problem listing each field with its message."""
    errors = []
    for item in error.errors():
        loc = tuple(item.get("loc", ()))
        if item.get("type") == "json_invalid":
            return Problem(400, "the body is not valid JSON", slug="malformed-body")
        errors.append(
            {
                "pointer": _pointer(loc),
                "field": ".".join(str(p) for p in loc[1:]) or str(loc[0] if loc else ""),
                "in": str(loc[0]) if loc else "body",
                "message": _message(item, loc),
            }
        )
    return Problem(
        422, "some fields are not valid", slug="validation", title="Your request is not valid", errors=errors
    )


def _message(item: Any, loc: tuple[Any, ...]) -> str:
    """pydantic's message, in words for a person where it would show a regular expression or name a
    type: what to type instead."""
    if item.get("type") == "string_pattern_mismatch" and "email" in str(loc[-1] if loc else ""):
        return "not an email address (name@example.com)"
    if item.get("type") in ("decimal_parsing", "decimal_type"):
        return "write the number with digits and a point, without separators: 12000.50"
    return str(item.get("msg", "invalid"))


Middleware = Callable[[Any, NextMiddleware], Response]


def roles(*allowed: str) -> list[Middleware]:
    """Route middleware: only callers in one of these roles get through (403 problem otherwise)."""

    def check(app: Any, next_middleware: NextMiddleware) -> Response:
        caller = caller_from_event(app.current_event.raw_event)
        caller.require(*allowed)
        app.append_context(caller=caller)
        return next_middleware(app)

    check.allowed_roles = allowed  # type: ignore[attr-defined]
    return [check]


def _allowed_roles(route: Any) -> tuple[str, ...] | None:
    for middleware in getattr(route, "middlewares", None) or []:
        allowed = getattr(middleware, "allowed_roles", None)
        if allowed:
            return tuple(allowed)
    return None


def _roles_before_validation() -> Any:
    """Request validation that first checks the route's roles: a caller without the role gets a 403,
    never a 422 that would describe the body it may not send."""
    from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
        OpenAPIRequestValidationMiddleware,
    )

    class RolesThenValidation(OpenAPIRequestValidationMiddleware):
        def handler(self, app: Any, next_middleware: NextMiddleware) -> Response:
            allowed = _allowed_roles(app.context.get("_route"))
            if allowed:
                caller_from_event(app.current_event.raw_event).require(*allowed)
            content_type = (app.current_event.headers.get("content-type") or "").lower()
            if content_type.startswith("multipart/"):  # uploads go to S3 with a pre-signed form
                raise Problem(415, "send application/json or an HTML form", slug="unsupported-media-type")
            try:
                app.current_event.decoded_body  # noqa: B018 - decoding is the check
            except (UnicodeDecodeError, binascii.Error):
                raise Problem(400, "the body is not UTF-8 text", slug="malformed-body") from None
            return super().handler(app, next_middleware)

    return RolesThenValidation()


def current_caller(router: Router | APIGatewayHttpResolver) -> Caller:
    """The caller that the route's `roles` middleware let through."""
    caller = router.context.get("caller")
    if not isinstance(caller, Caller):
        caller = caller_from_event(router.current_event.raw_event)
    return caller


def text_body(router: Router, *accepted: str) -> str:
    """The request body of a route that takes a file (CSV) rather than JSON; 415 for other types."""
    event = router.current_event
    content_type = (event.headers.get("content-type") or "").lower()
    if not content_type.startswith(accepted):
        raise Problem(415, f"send the file as {' or '.join(accepted)}", slug="unsupported-media-type")
    return event.decoded_body or ""


BUSY_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "TransactionInProgressException",
    }
)


def _code(error: Exception) -> str:
    response = getattr(error, "response", None)
    return str(((response or {}).get("Error") or {}).get("Code", "")) if isinstance(response, dict) else ""


def _aws_busy(error: Exception) -> bool:
    """AWS still throttling after botocore's own retries: the request may be sent again."""
    return _code(error) in BUSY_CODES


def build_resolver(*routers: Router) -> APIGatewayHttpResolver:
    """A resolver with validation, exact JSON and problem responses, including the given routers."""
    app = APIGatewayHttpResolver(
        enable_validation=True, serializer=json_dumps, json_body_deserializer=json_loads
    )
    app._request_validation_middleware = _roles_before_validation()
    for router in routers:
        app.include_router(router)

    @app.exception_handler(Problem)
    def _problem(error: Problem) -> Response:
        return problem_response(error, app.current_event.path)

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response:
        return problem_response(problem_of(error), app.current_event.path)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response:
        return problem_response(validation_problem(error), app.current_event.path)

    @app.exception_handler(ValidationError)
    def _invalid_result(error: ValidationError) -> Response:
        """A change that would leave a record invalid (e.g. a PATCH that clears a required field)."""
        errors = [
            {
                "pointer": "/" + "/".join(str(p) for p in e["loc"]),
                "field": ".".join(str(p) for p in e["loc"]),
                "in": "body",
                "message": e["msg"],
            }
            for e in error.errors()
        ]
        problem = Problem(422, "the change would leave the record invalid", slug="validation", errors=errors)
        return problem_response(problem, app.current_event.path)

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(_: RequestUnsupportedContentType) -> Response:
        problem = Problem(415, "send application/json or an HTML form", slug="unsupported-media-type")
        return problem_response(problem, app.current_event.path)

    @app.not_found
    def _not_found(_: NotFoundError) -> Response:
        return problem_response(Problem(404, "no such route", slug="no-route"), app.current_event.path)

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        if _aws_busy(error):
            logger.warning(
                "AWS is throttling; the caller is asked to retry", extra={"error_type": _code(error)}
            )
            busy = Problem(503, "the back office is busy; try again in a moment", slug="busy")
            response = problem_response(busy, app.current_event.path)
            response.headers["Retry-After"] = "2"
            return response
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        problem = Problem(500, "something went wrong on our side; it has been logged", slug="internal")
        return problem_response(problem, app.current_event.path)

    return app
