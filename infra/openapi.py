"""The API contract: one OpenAPI document generated from every capability's router (as
`infra.capabilities` finds them), committed as `functions/apidocs/openapi.json` and served as it is
(the ApiDocs function imports no router).

`make openapi` writes it; a test fails when the routers and the committed document differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.capabilities import OPENAPI, routers

COMMITTED = OPENAPI
TITLE = "Back Office API"
VERSION = "1.0.0"


def generate() -> str:
    """The document the routers describe today, as committed (sorted keys, two-space indent)."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    from core.api import SECURITY_SCHEME, build_resolver

    app = build_resolver(*routers().values())
    bearer = HTTPBearer(bearerFormat="JWT", description="Cognito ID token")
    security: dict[str, Any] = {SECURITY_SCHEME: bearer}
    schema = app.get_openapi_json_schema(title=TITLE, version=VERSION, security_schemes=security)
    return json.dumps(json.loads(schema), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path = COMMITTED) -> bool:
    """Write the document; True if it changed."""
    text = generate()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
