"""The staff portal (`web/portal/`) served as CloudFront serves it in AWS, at the API's origin, with
the local sign-in in place of the Cognito Hosted UI."""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from pathlib import Path
from typing import Any

import quickjs

from infra.localcloud.gateway import HttpResponse
from infra.template import Template

PREFIX = "/portal/"
Headers = list[tuple[str, str]]


def security_headers(template: Template, aws_endpoint: str) -> Headers:
    """The headers of the template's CloudFront response-headers policies, as CloudFront adds them.
    Only `connect-src` differs: here the API is the portal's own origin and AWS is the embedded one."""
    headers: Headers = []
    for logical_id in template.of_type("AWS::CloudFront::ResponseHeadersPolicy"):
        config = template.properties(logical_id)["ResponseHeadersPolicyConfig"].get(
            "SecurityHeadersConfig", {}
        )
        if "ContentSecurityPolicy" in config:
            policy = str(config["ContentSecurityPolicy"]["ContentSecurityPolicy"])
            policy = re.sub(r"connect-src [^;]*", f"connect-src 'self' {aws_endpoint}", policy)
            headers.append(("content-security-policy", policy))
        if "ContentTypeOptions" in config:
            headers.append(("x-content-type-options", "nosniff"))
        if "FrameOptions" in config:
            headers.append(("x-frame-options", str(config["FrameOptions"]["FrameOption"])))
        if "ReferrerPolicy" in config:
            headers.append(("referrer-policy", str(config["ReferrerPolicy"]["ReferrerPolicy"])))
    return headers


def config_script(office: dict[str, str]) -> bytes:
    """What `portal/config.js` is locally; `backoffice portal-config` writes the deployed one."""
    settings = {"api": "", "signIn": "local", **office}
    return f"window.BACKOFFICE = {json.dumps(settings)};\n".encode()


class ViewerRequest:
    """The template's viewer-request CloudFront Function of the portal, run in a JavaScript engine as
    CloudFront runs it: a request's URI in, a rewritten URI or an answer out."""

    def __init__(self, resources: dict[str, dict[str, Any]]) -> None:
        """`resources`: the template's, before or after the SAM transform."""
        (distribution,) = [r for r in resources.values() if r["Type"] == "AWS::CloudFront::Distribution"]
        behaviour = distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
        (association,) = [
            a for a in behaviour.get("FunctionAssociations", []) if a["EventType"] == "viewer-request"
        ]
        function = resources[association["FunctionARN"]["Fn::GetAtt"][0]]["Properties"]
        self.context = quickjs.Context()
        self.context.eval(str(function["FunctionCode"]))
        self.context.eval("function viewerRequest(e) { return JSON.stringify(handler(JSON.parse(e))); }")
        self._lock = threading.Lock()  # one engine, one request at a time

    def __call__(self, uri: str) -> dict[str, Any]:
        event = {
            "version": "1.0",
            "context": {"eventType": "viewer-request"},
            "request": {"method": "GET", "uri": uri, "querystring": {}, "headers": {}, "cookies": {}},
        }
        with self._lock:
            return dict(json.loads(self.context.get("viewerRequest")(json.dumps(event))))


def viewer_request(resources: dict[str, dict[str, Any]]) -> ViewerRequest | None:
    """The portal's viewer-request function, or None for a template without a distribution."""
    if not any(r["Type"] == "AWS::CloudFront::Distribution" for r in resources.values()):
        return None
    return ViewerRequest(resources)


def serve(
    root: Path, path: str, office: dict[str, str], headers: Headers, viewer: ViewerRequest | None
) -> HttpResponse | None:
    """The portal's answer for `path`, or None when the path is not the portal's (or the template
    has no portal). The portal's files are the keys `make publish-portal` writes (`portal/<file>`);
    anything else is refused as CloudFront refuses a key its origin access cannot read."""
    if viewer is None or (path not in ("/", "/portal") and not path.startswith(PREFIX)):
        return None
    outcome = viewer(path)
    if "statusCode" in outcome:
        answer = [(name, value["value"]) for name, value in outcome.get("headers", {}).items()]
        return HttpResponse(int(outcome["statusCode"]), answer, b"")
    key = str(outcome["uri"]).lstrip("/")
    name = key[len(PREFIX) - 1 :] if key.startswith(PREFIX[1:]) else ""
    if name == "config.js":
        return HttpResponse(
            200,
            [("content-type", "text/javascript; charset=utf-8"), *headers],
            config_script(office),
        )
    file = (root / name).resolve()
    if not name or not file.is_file() or not file.is_relative_to(root.resolve()):
        return HttpResponse(403, [("content-type", "text/plain"), *headers], b"AccessDenied")
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    return HttpResponse(
        200, [("content-type", kind), ("cache-control", "no-cache"), *headers], file.read_bytes()
    )
