"""What the functions ask of AWS, metered with botocore's before/after-call hooks on boto3's default
session: requests by API, items read, billable units, and the time spent inside AWS requests.

Units follow AWS's on-demand billing: a DynamoDB write unit per KB written (two in a transaction), a
read unit per 4 KB read strongly (half for an eventually consistent read: index queries), S3 class A
(PUT, COPY, POST, LIST) and class B (GET, HEAD) requests, SES messages and EventBridge entries.
Sizes are those of the JSON on the wire, close to DynamoDB's own item size."""

from __future__ import annotations

import json
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

S3_CLASS_A = {"PutObject", "CopyObject", "PostObject", "ListObjectsV2", "CreateMultipartUpload", "UploadPart"}
S3_CLASS_B = {"GetObject", "HeadObject"}


def _size(value: Any) -> int:
    return len(json.dumps(value, default=str, separators=(",", ":")).encode())


def _write_units(item: Any, transactional: bool = False) -> float:
    return math.ceil(max(_size(item), 1) / 1024) * (2 if transactional else 1)


def _read_units(total_bytes: int, consistent: bool) -> float:
    units = math.ceil(max(total_bytes, 1) / 4096)
    return units if consistent else units / 2


class Meter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.units: defaultdict[str, float] = defaultdict(float)
        self.items_read = 0
        self.aws_seconds = 0.0
        self._started = 0.0
        self._consistent = False

    @property
    def requests(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        self.calls.clear()
        self.units.clear()
        self.items_read, self.aws_seconds = 0, 0.0

    def snapshot(self) -> tuple[Counter[str], dict[str, float], int, float]:
        return Counter(self.calls), dict(self.units), self.items_read, self.aws_seconds

    def units_since(self, before: dict[str, float]) -> dict[str, float]:
        return {k: v - before.get(k, 0) for k, v in sorted(self.units.items()) if v != before.get(k, 0)}

    def parameters(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        """The call's own parameters (before-parameter-build): what it writes."""
        service, name = model.service_model.service_name, model.name
        self._consistent = bool(params.get("ConsistentRead"))
        if service == "dynamodb":
            if name in ("PutItem", "UpdateItem", "DeleteItem"):
                self.units["dynamodb_write"] += _write_units(params.get("Item") or params.get("Key"))
            elif name == "TransactWriteItems":
                for entry in params["TransactItems"]:
                    op = next(iter(entry.values()))
                    self.units["dynamodb_write"] += _write_units(op.get("Item") or op.get("Key"), True)
            elif name == "BatchWriteItem":
                for requests in params["RequestItems"].values():
                    for request in requests:
                        self.units["dynamodb_write"] += _write_units(request)
        elif service == "s3":
            self.units[
                "s3_class_a" if name in S3_CLASS_A else "s3_class_b" if name in S3_CLASS_B else "s3_free"
            ] += 1
        elif service == "sesv2" and name == "SendEmail":
            self.units["ses_email"] += 1
        elif service == "events" and name == "PutEvents":
            self.units["event_entries"] += len(params["Entries"])

    def before(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_name}:{model.name}"] += 1
        self._started = time.perf_counter()

    def after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        self.aws_seconds += time.perf_counter() - self._started
        if model.service_model.service_name != "dynamodb":
            return
        name = model.name
        if name in ("Query", "Scan"):
            self.items_read += int(parsed.get("ScannedCount", 0))
            self.units["dynamodb_read"] += _read_units(_size(parsed.get("Items", [])), self._consistent)
        elif name == "GetItem" and "Item" in parsed:
            self.items_read += 1
            self.units["dynamodb_read"] += _read_units(_size(parsed["Item"]), self._consistent)
        elif name == "BatchGetItem":
            for found in parsed.get("Responses", {}).values():
                self.items_read += len(found)
                self.units["dynamodb_read"] += sum(_read_units(_size(item), True) for item in found)


@contextmanager
def metering() -> Iterator[Meter]:
    """Meter every client created from boto3's default session from now on (botocore copies the
    session's hooks into each client when it is created; moto resets the session when it starts)."""
    import boto3

    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    meter = Meter()
    events = boto3.DEFAULT_SESSION.events
    hooks = (
        ("before-parameter-build", meter.parameters),
        ("before-call", meter.before),
        ("after-call", meter.after),
    )
    for event, hook in hooks:
        events.register(event, hook)
    try:
        yield meter
    finally:
        for event, hook in hooks:
            events.unregister(event, hook)
