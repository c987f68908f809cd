"""The staff portal (`web/portal/`) served as CloudFront serves it in AWS, at the API's origin, with
the local sign-in in place of the Cognito Hosted UI."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from infra.localcloud.gateway import HttpResponse

PREFIX = "/portal/"
SECURITY_HEADERS = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
]


def config_script(currency: str) -> bytes:
    """What `portal/config.js` is locally; `backoffice portal-config` writes the deployed one."""
    settings = {"api": "", "signIn": "local", "currency": currency}
    return f"window.BACKOFFICE = {json.dumps(settings)};\n".encode()


def serve(root: Path, path: str, currency: str) -> HttpResponse | None:
    """The portal's answer for `path`, or None when the path is not the portal's."""
    if path in ("/", "/portal"):
        return HttpResponse(302, [("location", PREFIX)], b"")
    if not path.startswith(PREFIX):
        return None
    name = path[len(PREFIX) :] or "index.html"
    if name == "config.js":
        return HttpResponse(
            200,
            [("content-type", "text/javascript; charset=utf-8"), *SECURITY_HEADERS],
            config_script(currency),
        )
    file = (root / name).resolve()
    if not file.is_file() or not file.is_relative_to(root.resolve()):
        return HttpResponse(404, [("content-type", "text/plain")], b"Not Found")
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    return HttpResponse(
        200, [("content-type", kind), ("cache-control", "no-cache"), *SECURITY_HEADERS], file.read_bytes()
    )
