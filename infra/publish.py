"""Publish the staff portal to a deployed stack: web/portal/ into the portal bucket under portal/,
with the config.js that points the pages at the stack's API and Cognito Hosted UI, then a CloudFront
invalidation so the new pages are served at once."""

from __future__ import annotations

import json
import mimetypes
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PORTAL = Path(__file__).resolve().parents[1] / "web" / "portal"


def describe(cloudformation: Any, stack: str) -> tuple[dict[str, str], dict[str, str]]:
    """The stack's outputs and parameters."""
    found = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    parameters = {p["ParameterKey"]: p.get("ParameterValue", "") for p in found.get("Parameters", [])}
    return outputs, parameters


def office_settings(parameters: Mapping[str, Any], outputs: Mapping[str, Any]) -> dict[str, str]:
    """What the portal shows by the office's settings: its currency, timezone and usual VAT rate (the
    stack's `OfficeCurrency`, `OfficeTimezone` and `OfficeTaxRate` outputs, which follow its country
    unless a parameter says otherwise) and country."""
    return {
        "currency": str(outputs.get("OfficeCurrency") or "USD"),
        "timezone": str(outputs.get("OfficeTimezone") or "UTC"),
        "taxRate": str(outputs.get("OfficeTaxRate") or "0"),
        "country": str(parameters.get("OfficeCountry") or "US"),
    }


def config_script(outputs: dict[str, str], office: dict[str, str]) -> str:
    portal = outputs["PortalUrl"].rstrip("/")
    settings = {
        "api": outputs["ApiUrl"].rstrip("/"),
        "signIn": "cognito",
        **office,
        "cognito": {
            "domain": outputs["SignInDomain"],
            "clientId": outputs["UserPoolClientId"],
            "redirectUri": f"{portal}/callback.html",
        },
    }
    return f"window.BACKOFFICE = {json.dumps(settings)};\n"


def publish(stack: str, cloudformation: Any, s3: Any, cloudfront: Any, source: Path = PORTAL) -> list[str]:
    """Upload every page and the stack's config.js; returns the keys written."""
    outputs, parameters = describe(cloudformation, stack)
    bucket = outputs["PortalBucketName"]
    written = []
    for file in sorted(p for p in source.rglob("*") if p.is_file()):
        key = f"portal/{file.relative_to(source).as_posix()}"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        s3.put_object(
            Bucket=bucket, Key=key, Body=file.read_bytes(), ContentType=kind, CacheControl="no-cache"
        )
        written.append(key)
    s3.put_object(
        Bucket=bucket,
        Key="portal/config.js",
        Body=config_script(outputs, office_settings(parameters, outputs)).encode(),
        ContentType="text/javascript",
        CacheControl="no-cache",
    )
    written.append("portal/config.js")
    cloudfront.create_invalidation(
        DistributionId=outputs["PortalDistributionId"],
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/portal/*"]},
            "CallerReference": str(time.time()),
        },
    )
    return written
