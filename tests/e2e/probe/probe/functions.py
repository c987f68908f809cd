"""Probe functions: each records what the local cloud delivered, so tests can check it from outside."""

import json
import os
import time
from typing import Any

import boto3


def _table() -> Any:
    return boto3.resource("dynamodb").Table(os.environ["PROBE_TABLE"])


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    path = event["rawPath"]
    if path == "/slow":
        time.sleep(30)
    if path == "/mail":
        boto3.client("sesv2").send_email(
            FromEmailAddress="probe@example.com",
            Destination={"ToAddresses": [json.loads(event["body"])["to"]]},
            Content={
                "Simple": {"Subject": {"Data": "Probe"}, "Body": {"Text": {"Data": "hello from the probe"}}}
            },
        )
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json", "x-probe": "yes"},
        "cookies": ["probe=1; Path=/"],
        "body": json.dumps({"event": event, "function": context.function_name}),
    }


def work(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event["Records"]:
        body = record["body"]
        if "poison" in body:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        _table().put_item(
            Item={"pk": f"work#{body}", "receives": record["attributes"]["ApproximateReceiveCount"]}
        )
    return {"batchItemFailures": failures}


def tick(event: dict[str, Any], context: Any) -> None:
    if event.get("detail", {}).get("fail"):
        raise RuntimeError("tick failed on purpose")
    _table().put_item(Item={"pk": f"tick#{event['time']}", "event": json.dumps(event)})
