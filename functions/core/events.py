"""Publish domain events on the office's EventBridge bus, for other capabilities to pick up."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from core.serialization import json_dumps


@cache
def events_client() -> Any:
    import boto3

    return boto3.client("events")


class EventPublishError(RuntimeError):
    """EventBridge refused an entry; the caller's retry sends it again."""


class EventBus:
    """One bus; `source` names the publishing capability (`backoffice.intake`, ...)."""

    def __init__(self, name: str, source: str, client: Any | None = None) -> None:
        self.name = name
        self.source = source
        self._client = client

    def publish(self, detail_type: str, detail: Mapping[str, Any]) -> None:
        client = self._client or events_client()
        entry = {
            "EventBusName": self.name,
            "Source": self.source,
            "DetailType": detail_type,
            "Detail": json_dumps(dict(detail)),
        }
        response = client.put_events(Entries=[entry])
        if response.get("FailedEntryCount"):
            failure = response["Entries"][0]
            raise EventPublishError(f"{detail_type} not published: {failure.get('ErrorCode')}")
