"""GET /openapi.json and GET /docs, generated from the capability routers' pydantic models."""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from core.api import SECURITY_SCHEME, build_resolver
from core.observability import lambda_entry

TITLE = "Back Office API"
VERSION = "1.0.0"
SECURITY: dict[str, Any] = {SECURITY_SCHEME: HTTPBearer(bearerFormat="JWT", description="Cognito ID token")}


def capability_routers() -> list[Any]:
    """The routers of every capability, in the order they are documented."""
    from analysis.api import router as analysis
    from compliance.api import router as obligations
    from intake.api import router as documents
    from invoicing.api import router as invoices
    from payroll.api import router as cheques

    return [documents, invoices, cheques, obligations, analysis]


def build_app() -> APIGatewayHttpResolver:
    app = build_resolver(*capability_routers())
    app.enable_swagger(path="/docs", title=TITLE, version=VERSION, security_schemes=SECURITY)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_document() -> Response[str]:
        schema = app.get_openapi_json_schema(title=TITLE, version=VERSION, security_schemes=SECURITY)
        return Response(status_code=200, content_type="application/json", body=schema)

    return app


app = build_app()


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
