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
from core.i18n import N_, reader_language
from core.identity import Caller, caller_from_event
from core.observability import logger
from core.problems import PROBLEM_CONTENT_TYPE, Problem, problem_of
from core.serialization import json_dumps, json_loads
from core.validation import field_errors

SECURITY_SCHEME = "cognitoJwt"
SEND_JSON = N_("send application/json or an HTML form")


def problem_response(problem: Problem, event: Any) -> Response:
    """The problem document, in the first language of the request's Accept-Language we write (else
    English), with its path as `instance`."""
    language = reader_language(event.headers.get("accept-language"), "")
    return Response(
        status_code=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
        body=json_dumps(problem.to_dict(event.path, language)),
        headers={"Content-Language": language},
    )


def validation_problem(error: RequestValidationError) -> Problem:
    """pydantic's errors as a problem naming each field, in our words (`core.validation`)."""
    if any(item.get("type") == "json_invalid" for item in error.errors()):
        return Problem(400, N_("the body is not valid JSON"), slug="malformed-body")
    errors = field_errors(error.errors())
    fields = [item["params"]["field"] for item in errors]
    return Problem(422, N_("Check {fields}."), slug="validation", errors=errors, params={"fields": fields})


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
                raise Problem(415, SEND_JSON, slug="unsupported-media-type")
            try:
                app.current_event.decoded_body  # noqa: B018 - decoding is the check
            except (UnicodeDecodeError, binascii.Error):
                raise Problem(400, N_("the body is not UTF-8 text"), slug="malformed-body") from None
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
        raise Problem(
            415,
            N_("send the file as {types}"),
            slug="unsupported-media-type",
            params={"types": list(accepted)},
        )
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
        return problem_response(error, app.current_event)

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response:
        return problem_response(problem_of(error), app.current_event)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response:
        return problem_response(validation_problem(error), app.current_event)

    @app.exception_handler(ValidationError)
    def _invalid_result(error: ValidationError) -> Response:
        """A change that would leave a record invalid (e.g. a PATCH that clears a required field)."""
        errors = field_errors(error.errors())
        problem = Problem(
            422, N_("the change would leave the record invalid"), slug="validation", errors=errors
        )
        return problem_response(problem, app.current_event)

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(_: RequestUnsupportedContentType) -> Response:
        problem = Problem(415, SEND_JSON, slug="unsupported-media-type")
        return problem_response(problem, app.current_event)

    @app.not_found
    def _not_found(_: NotFoundError) -> Response:
        return problem_response(Problem(404, N_("no such route"), slug="no-route"), app.current_event)

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        if _aws_busy(error):
            logger.warning(
                "AWS is throttling; the caller is asked to retry", extra={"error_type": _code(error)}
            )
            busy = Problem(503, N_("the back office is busy; try again in a moment"), slug="busy")
            response = problem_response(busy, app.current_event)
            response.headers["Retry-After"] = "2"
            return response
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        problem = Problem(500, N_("something went wrong on our side; it has been logged"), slug="internal")
        return problem_response(problem, app.current_event)

    return app
