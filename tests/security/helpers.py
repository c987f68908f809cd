"""Calls through the local cloud's front doors: the API with a token, the bucket, the mail intake."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.e2e.conftest import RunningCloud, wait_for


def call(
    cloud: RunningCloud,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    raw: bytes | None = None,
    **headers: str,
) -> tuple[int, Any]:
    auth = {"authorization": f"Bearer {token or cloud.token('staff')}"}
    status, answered, data = cloud.request(method, path, body, raw=raw, headers={**auth, **headers})
    return status, json.loads(data) if data and "json" in answered.get("content-type", "") else data


def person(cloud: RunningCloud, subject: str, role: str = "staff") -> str:
    return cloud.token(role, subject=subject)


def mail(cloud: RunningCloud, folder: Path, sender: str, name: str, data: bytes, *verdicts: str) -> None:
    """Email one attachment to the intake address; `verdicts` are `backoffice mail` flags."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "documents@office.example"
    message["Subject"] = f"{name} attached"
    message.set_content("Please find the file attached.")
    message.add_attachment(data, maintype="text", subtype="csv", filename=name)
    path = folder / "message.eml"
    path.write_bytes(bytes(message))
    result = cloud.cli("mail", str(path), *verdicts)
    assert result.returncode == 0, result.stderr


def document_named(cloud: RunningCloud, name: str, timeout: float = 60) -> dict[str, Any]:
    """Wait until intake registers a document with this original name."""

    def find() -> dict[str, Any] | None:
        _, page = call(cloud, "GET", "/documents?limit=200")
        return next((d for d in page["items"] if d["original_name"] == name), None)

    return dict(wait_for(find, timeout=timeout))


def put(cloud: RunningCloud, key: str, data: bytes) -> None:
    bucket = cloud.get("/_local/resources")["bucket"]
    cloud.client("s3").put_object(Bucket=bucket, Key=key, Body=data)


def run_of(cloud: RunningCloud, document_id: str, timeout: float = 60) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        status, run = call(cloud, "GET", f"/payruns/{document_id}")
        return run if status == 200 else None

    return dict(wait_for(found, timeout=timeout))
