"""GET /openapi.json and GET /docs: the committed API contract (`infra/openapi.py` writes it from
the routers, a test keeps it true) and a Swagger UI for it. No router is imported here."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

from core.observability import lambda_entry

HERE = Path(__file__).parent
SWAGGER = "event_handler/openapi/swagger_ui"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Back Office API</title><style>{css}</style></head>
<body><div id="swagger-ui"></div>
<script>{js}</script>
<script>
SwaggerUIBundle({{dom_id: "#swagger-ui", spec: {spec}, deepLinking: true, filter: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]}});
</script>
</body>
</html>
"""


@cache
def document() -> str:
    return (HERE / "openapi.json").read_text(encoding="utf-8")


@cache
def page() -> str:
    """Swagger UI (the copy Powertools ships) with the document inlined."""
    spec = importlib.util.find_spec("aws_lambda_powertools")
    assert spec and spec.submodule_search_locations
    assets = Path(spec.submodule_search_locations[0]) / SWAGGER
    return PAGE.format(
        css=(assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        js=(assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        spec=document().replace("</", "<\\/"),  # the JSON cannot close the script element
    )


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("rawPath") == "/docs":
        return {"statusCode": 200, "headers": {"content-type": "text/html; charset=utf-8"}, "body": page()}
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": document()}
