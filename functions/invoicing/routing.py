"""What the invoicing routes share: the router they are declared on, the roles, and the answers made
once per idempotency key or shown as a PDF."""

import hashlib
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel

from core.api import current_caller, roles
from core.idempotency import WINDOW, once
from core.identity import Caller
from core.serialization import json_dumps

router = Router()
OFFICE = roles("staff", "admin")
ADMIN = roles("admin")
TAGS = ["Invoices"]
QUOTES = ["Quotes"]
PUBLIC = ["The customer's quote page (no account: the emailed link)"]
UNKEYED_WINDOW = 120  # without one, the same caller posting the same body within 2 minutes is a double submit


def made_once(
    request: BaseModel, key: str | None, make: Callable[[Caller], BaseModel], what: str
) -> dict[str, Any]:
    """Make at most one `what` from `request` per idempotency key (or per identical body in a short
    window); the answer is what the first call made."""
    caller = current_caller(router)
    body = request.model_dump(mode="json", exclude={"idempotency_key"})
    if key is None:
        key = "body:" + hashlib.sha256(json_dumps(body).encode()).hexdigest()
    scope = "" if what == "invoice" else f"{what}:"
    return dict(
        once(
            f"{caller.subject}:{scope}{key}",
            body,
            lambda: make(caller).model_dump(mode="json"),
            lambda_context=router.lambda_context,
            expires=UNKEYED_WINDOW if key.startswith("body:") else WINDOW,
            what=what,
        )
    )


def pdf_response(document: bytes, name: str) -> Response[bytes]:
    """A PDF to show in the browser, named for saving."""
    return Response(
        200,
        "application/pdf",
        document,
        headers={"content-disposition": f'inline; filename="{name}.pdf"'},
        compress=False,
    )
