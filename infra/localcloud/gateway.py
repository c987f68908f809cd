"""The HTTP API as API Gateway runs it: routes, JWT authorizer, CORS and payload format 2.0 events."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from infra.localcloud.tokens import Signer, TokenError, api_gateway_claims
from infra.template import ACCOUNT_ID, Template

# A synchronous Lambda invocation carries at most 6 MB; API Gateway answers 413 for more.
MAX_PAYLOAD = 6 * 1024 * 1024
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/x-www-form-urlencoded",
    "application/xml",
    "application/javascript",
    "application/csv",
)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    authorizer: str | None
    pattern: re.Pattern[str]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def specificity(self) -> tuple[int, int]:
        """Literal routes win over parameterised ones, greedy ones lose to all."""
        return (int("+}" in self.path), self.path.count("{"))


@dataclass
class HttpRequest:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _compile(path: str) -> re.Pattern[str]:
    regex = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{") and part.endswith("+}"):
            regex += f"(?P<{part[1:-2]}>.+)"
        elif part.startswith("{"):
            regex += f"(?P<{part[1:-1]}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


def routes_from_template(template: Template) -> list[Route]:
    """Every HttpApi event of every function, as API Gateway would route them."""
    default = (template.http_api().get("Auth") or {}).get("DefaultAuthorizer")
    routes = []
    for spec in template.functions.values():
        for event in spec.events:
            if event.type != "HttpApi":
                continue
            props = event.properties
            method = str(props.get("Method", "ANY")).upper()
            path = str(props.get("Path", "/{proxy+}"))
            auth = (props.get("Auth") or {}).get("Authorizer", default)
            routes.append(
                Route(method, path, spec.logical_id, None if auth in (None, "NONE") else auth, _compile(path))
            )
    return sorted(routes, key=lambda r: r.specificity)


def cors_configuration(api: dict[str, Any]) -> dict[str, Any]:
    """The API's CORS settings as SAM hands them to API Gateway: when `AllowOrigins` is an intrinsic
    (here already resolved, to a mapping), it is the whole configuration."""
    cors = api.get("CorsConfiguration") or {}
    origins = cors.get("AllowOrigins")
    return dict(origins) if isinstance(origins, dict) else dict(cors)


def _utf8(body: bytes) -> bool:
    """Text that is not valid UTF-8 is passed on base64-encoded, like any other binary body."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def json_response(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    return HttpResponse(
        status,
        [("content-type", "application/json"), *(headers or [])],
        json.dumps(body, ensure_ascii=False).encode(),
    )


class Gateway:
    """Turns HTTP requests into function invocations, exactly as an HTTP API with a JWT authorizer."""

    def __init__(self, template: Template, signer: Signer, invoke: Any, api_id: str = "local") -> None:
        self.routes = routes_from_template(template)
        api = template.http_api()
        self.cors = cors_configuration(api)
        authorizers = (api.get("Auth") or {}).get("Authorizers") or {}
        self.audiences = {
            name: list((config.get("JwtConfiguration") or {}).get("audience") or [])
            for name, config in authorizers.items()
        }
        self.signer = signer
        self.invoke = invoke
        self.api_id = api_id

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method not in (method, "ANY"):
                continue
            found = route.pattern.match(path)
            if found:
                return route, {name: unquote(value) for name, value in found.groupdict().items()}
        return None

    # ---------------------------------------------------------------- CORS
    def _allowed_origin(self, origin: str | None) -> str | None:
        allowed = self.cors.get("AllowOrigins") or []
        if origin and (origin in allowed or "*" in allowed):
            return origin
        return None

    def cors_headers(self, request_headers: dict[str, str]) -> list[tuple[str, str]]:
        origin = self._allowed_origin(request_headers.get("origin"))
        if not origin:
            return []
        headers = [("access-control-allow-origin", origin), ("vary", "origin")]
        if self.cors.get("ExposeHeaders"):
            headers.append(("access-control-expose-headers", ",".join(self.cors["ExposeHeaders"])))
        if self.cors.get("AllowCredentials"):
            headers.append(("access-control-allow-credentials", "true"))
        return headers

    def preflight(self, request_headers: dict[str, str]) -> HttpResponse:
        headers = self.cors_headers(request_headers)
        method = request_headers.get("access-control-request-method", "").upper()
        if headers and method in [m.upper() for m in self.cors.get("AllowMethods", [])] + ["*"]:
            headers += [
                ("access-control-allow-methods", ",".join(self.cors.get("AllowMethods", []))),
                ("access-control-allow-headers", ",".join(self.cors.get("AllowHeaders", []))),
                ("access-control-max-age", str(self.cors.get("MaxAge", 0))),
            ]
        else:
            headers = []
        return HttpResponse(204, headers, b"")

    # --------------------------------------------------------------- events
    def build_event(
        self, request: HttpRequest, route: Route, params: dict[str, str], claims: dict[str, Any] | None
    ) -> dict[str, Any]:
        url = urlsplit(request.target)
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for name, value in request.headers:
            lower = name.lower()
            if lower == "cookie":
                cookies += [c.strip() for c in value.split(";") if c.strip()]
                continue
            headers[lower] = f"{headers[lower]},{value}" if lower in headers else value
        query: dict[str, str] = {}
        for name, value in parse_qsl(url.query, keep_blank_values=True):
            query[name] = f"{query[name]},{value}" if name in query else value
        content_type = headers.get("content-type", "")
        is_text = not request.body or (
            any(content_type.startswith(t) for t in TEXT_TYPES) and _utf8(request.body)
        )
        now = datetime.now(UTC)
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route.key,
            "rawPath": url.path,
            "rawQueryString": url.query,
            "headers": headers,
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": self.api_id,
                "domainName": headers.get("host", "127.0.0.1"),
                "domainPrefix": headers.get("host", "127.0.0.1").split(".")[0],
                "http": {
                    "method": request.method,
                    "path": url.path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": request.source_ip,
                    "userAgent": headers.get("user-agent", ""),
                },
                "requestId": uuid.uuid4().hex[:16],
                "routeKey": route.key,
                "stage": "$default",
                "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "timeEpoch": int(time.time() * 1000),
            },
            "isBase64Encoded": not is_text,
        }
        if cookies:
            event["cookies"] = cookies
        if query:
            event["queryStringParameters"] = query
        if params:
            event["pathParameters"] = params
        if claims is not None:
            event["requestContext"]["authorizer"] = {
                "jwt": {"claims": api_gateway_claims(claims), "scopes": None}
            }
        if request.body:
            event["body"] = (
                request.body.decode("utf-8") if is_text else base64.b64encode(request.body).decode()
            )
        return event

    @staticmethod
    def to_http(result: Any) -> HttpResponse:
        """Map a payload 2.0 function result to an HTTP response, as API Gateway does."""
        if not isinstance(result, dict) or "statusCode" not in result:
            return json_response(200, result)
        headers = [(k.lower(), str(v)) for k, v in (result.get("headers") or {}).items()]
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers += [(name.lower(), str(v)) for v in values]
        headers += [("set-cookie", cookie) for cookie in result.get("cookies") or []]
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
        return HttpResponse(int(result["statusCode"]), headers, raw)

    def handle(self, request: HttpRequest) -> tuple[HttpResponse, str | None]:
        """Answer one request; also returns the function that served it, for the console line."""
        headers = {name.lower(): value for name, value in request.headers}
        path = urlsplit(request.target).path
        if request.method == "OPTIONS" and "access-control-request-method" in headers and self.cors:
            return self.preflight(headers), None
        matched = self.match(request.method, path)
        if matched is None:
            return json_response(404, {"message": "Not Found"}), None
        route, params = matched
        if len(request.body) > MAX_PAYLOAD:
            return json_response(413, {"message": "Request Entity Too Large"}), None
        claims = None
        if route.authorizer:
            try:
                claims = self.signer.verify(
                    headers.get("authorization"), self.audiences.get(route.authorizer, [])
                )
            except TokenError:
                response = json_response(401, {"message": "Unauthorized"}, [("www-authenticate", "Bearer")])
                response.headers += self.cors_headers(headers)
                return response, None
        outcome = self.invoke(route.function, self.build_event(request, route, params, claims))
        if outcome.ok:
            response = self.to_http(outcome.result)
        elif outcome.error and outcome.error.get("errorType") == "TooManyRequestsException":
            response = json_response(429, {"message": "Too Many Requests"})
        elif outcome.error and outcome.error.get("errorType") == "Timeout":
            response = json_response(503, {"message": "Service Unavailable"})
        else:
            response = json_response(500, {"message": "Internal Server Error"})
        response.headers += self.cors_headers(headers)
        return response, route.function
