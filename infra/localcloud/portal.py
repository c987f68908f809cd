"""The staff portal (`web/portal/`) served as CloudFront serves it in AWS, at the API's origin, with
the local sign-in in place of the Cognito Hosted UI."""

from __future__ import annotations

import json
import mimetypes
import re
from pathlib import Path

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


def config_script(currency: str) -> bytes:
    """What `portal/config.js` is locally; `backoffice portal-config` writes the deployed one."""
    settings = {"api": "", "signIn": "local", "currency": currency}
    return f"window.BACKOFFICE = {json.dumps(settings)};\n".encode()


def serve(root: Path, path: str, currency: str, headers: Headers) -> HttpResponse | None:
    """The portal's answer for `path`, or None when the path is not the portal's."""
    if path in ("/", "/portal"):
        return HttpResponse(302, [("location", PREFIX)], b"")
    if not path.startswith(PREFIX):
        return None
    name = path[len(PREFIX) :] or "index.html"
    if name == "config.js":
        return HttpResponse(
            200,
            [("content-type", "text/javascript; charset=utf-8"), *headers],
            config_script(currency),
        )
    file = (root / name).resolve()
    if not file.is_file() or not file.is_relative_to(root.resolve()):
        return HttpResponse(404, [("content-type", "text/plain")], b"Not Found")
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    return HttpResponse(
        200, [("content-type", kind), ("cache-control", "no-cache"), *headers], file.read_bytes()
    )
