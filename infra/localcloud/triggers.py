"""Event sources the way AWS drives them: SQS and DynamoDB stream event source mappings, and
EventBridge Scheduler."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter

from infra.template import ACCOUNT_ID, REGION, FunctionSpec, Template

Invoke = Callable[[str, Any], Any]
Say = Callable[[str], None]
SHARD_POLL_SECONDS = 0.25  # Lambda polls a stream's shard four times a second


# ------------------------------------------------------------------ SQS
@dataclass(frozen=True)
class QueueMapping:
    function: str
    event: str
    queue_url: str
    queue_arn: str
    batch_size: int
    report_failures: bool


def queue_mappings(template: Template) -> list[QueueMapping]:
    """Every SQS event of every function, with its batch size and response types."""
    by_arn = {template.arn(lid): lid for lid in template.of_type("AWS::SQS::Queue")}
    mappings = []
    for spec in template.functions.values():
        for event in spec.events:
            if event.type != "SQS" or event.properties.get("Enabled") is False:
                continue
            arn = event.properties["Queue"]
            mappings.append(
                QueueMapping(
                    function=spec.logical_id,
                    event=event.name,
                    queue_url=template.ref(by_arn[arn]),
                    queue_arn=arn,
                    batch_size=int(event.properties.get("BatchSize", 10)),
                    report_failures="ReportBatchItemFailures"
                    in (event.properties.get("FunctionResponseTypes") or []),
                )
            )
    return mappings


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The Lambda event for a batch of SQS messages."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in (m.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": m.get("MD5OfBody")
                or hashlib.md5(m["Body"].encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


class QueuePoller(threading.Thread):
    """Long-polls one queue and invokes its function, as a Lambda event source mapping does.

    Successful messages are deleted; failed ones (the whole batch on an error, or the reported
    `batchItemFailures`) come back after `retry_delay` seconds, and the queue's redrive policy
    moves them to the dead-letter queue after `maxReceiveCount` receives.
    """

    def __init__(
        self, mapping: QueueMapping, sqs: Any, invoke: Invoke, stop: threading.Event, retry_delay: int = 2
    ) -> None:
        super().__init__(daemon=True, name=f"sqs-{mapping.function}")
        self.mapping = mapping
        self.sqs = sqs
        self.invoke = invoke
        self.stop_event = stop
        self.retry_delay = retry_delay

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.poll_once()
            except Exception:  # the poller must outlive a bad moment of the endpoint
                time.sleep(1)

    def poll_once(self) -> None:
        m = self.mapping
        response = self.sqs.receive_message(
            QueueUrl=m.queue_url,
            MaxNumberOfMessages=min(m.batch_size, 10),
            WaitTimeSeconds=20,  # a long poll, as Lambda's pollers wait: idle queues cost nothing
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages") or []
        if not messages:
            return
        outcome = self.invoke(m.function, sqs_event(messages, m.queue_arn))
        failed: set[str] = {msg["MessageId"] for msg in messages}
        if outcome.ok:
            failed = set()
            if m.report_failures and isinstance(outcome.result, dict):
                failed = {f["itemIdentifier"] for f in outcome.result.get("batchItemFailures") or []}
        for message in messages:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=m.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self.retry_delay,
                )
            else:
                self.sqs.delete_message(QueueUrl=m.queue_url, ReceiptHandle=message["ReceiptHandle"])


# ------------------------------------------------------ DynamoDB streams
@dataclass(frozen=True)
class StreamMapping:
    function: str
    table: str
    batch_size: int
    report_failures: bool
    retries: int
    dead_letter_url: str | None


def stream_mappings(template: Template) -> list[StreamMapping]:
    """Every DynamoDB event of every function: its table, batch size, retries and failure queue."""
    by_stream = {template.get_att(lid, "StreamArn"): lid for lid in template.of_type("AWS::DynamoDB::Table")}
    by_queue = {template.arn(lid): lid for lid in template.of_type("AWS::SQS::Queue")}
    mappings = []
    for spec in template.functions.values():
        for event in spec.events:
            if event.type != "DynamoDB" or event.properties.get("Enabled") is False:
                continue
            table = by_stream[event.properties["Stream"]]
            failure = ((event.properties.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
                "Destination"
            )
            mappings.append(
                StreamMapping(
                    function=spec.logical_id,
                    table=template.physical_name(table),
                    batch_size=int(event.properties.get("BatchSize", 100)),
                    report_failures="ReportBatchItemFailures"
                    in (event.properties.get("FunctionResponseTypes") or []),
                    retries=int(event.properties.get("MaximumRetryAttempts", 2)),
                    dead_letter_url=template.ref(by_queue[failure]) if failure in by_queue else None,
                )
            )
    return mappings


class StreamPoller(threading.Thread):
    """Reads a table's stream from the latest record on and invokes the function with batches in
    order, as a Lambda event source mapping does: a failed batch is retried from the first failed
    record (all of it without ReportBatchItemFailures); after the retries it goes to the failure
    queue and the poller moves on. (Locally the stream is read from the latest record at start, so
    items restored from the state folder are not replayed as new changes.)"""

    def __init__(
        self,
        mapping: StreamMapping,
        dynamodb: Any,
        streams: Any,
        sqs: Any,
        invoke: Invoke,
        stop: threading.Event,
        wait_for_write: Callable[[str, int, float], int] | None = None,
    ) -> None:
        super().__init__(daemon=True, name=f"stream-{mapping.function}-{mapping.table}")
        self.wait_for_write = wait_for_write
        self.mapping = mapping
        self.dynamodb, self.streams, self.sqs = dynamodb, streams, sqs
        self.invoke = invoke
        self.stop_event = stop
        arn = dynamodb.describe_table(TableName=mapping.table)["Table"]["LatestStreamArn"]
        self.stream_arn = arn
        shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        self.iterators = [
            streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST")[
                "ShardIterator"
            ]
            for shard in shards
        ]
        self.pending: list[dict[str, Any]] = []

    def run(self) -> None:
        seen = 0
        while not self.stop_event.is_set():
            try:
                self.poll_once()
            except Exception:  # the poller must outlive a bad moment of the endpoint
                time.sleep(1)
            if self.wait_for_write is None:
                time.sleep(SHARD_POLL_SECONDS)
            elif not self.pending:  # at rest until the table changes (or a minute passes)
                before, seen = seen, self.wait_for_write(self.mapping.table, seen, 60.0)
                if seen > before:  # the changes of the next moment come in the same batch
                    self.stop_event.wait(SHARD_POLL_SECONDS)

    def poll_once(self) -> None:
        for index, iterator in enumerate(self.iterators):
            response = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            self.iterators[index] = response.get("NextShardIterator") or iterator
            for record in response.get("Records") or []:
                record["eventSourceARN"] = self.stream_arn
                self.pending.append(record)
        while self.pending:
            batch = self.pending[: self.mapping.batch_size]
            done = self._deliver(batch)
            self.pending = self.pending[done:]

    def _deliver(self, batch: list[dict[str, Any]]) -> int:
        """Invoke until the batch succeeds or its retries run out; returns the records consumed."""
        for _ in range(self.mapping.retries + 1):
            outcome = self.invoke(self.mapping.function, {"Records": _lambda_records(batch)})
            if not outcome.ok:
                continue
            failures = (
                (outcome.result or {}).get("batchItemFailures") if self.mapping.report_failures else None
            )
            if not failures:
                return len(batch)
            first = next(
                (
                    i
                    for i, r in enumerate(batch)
                    if r["dynamodb"]["SequenceNumber"] == failures[0]["itemIdentifier"]
                ),
                0,
            )
            if first:
                return first  # what came before the failure is done; retry from there
        if self.mapping.dead_letter_url:
            failed = {
                "records": len(batch),
                "first": batch[0]["dynamodb"]["SequenceNumber"],
                "stream": self.stream_arn,
            }
            self.sqs.send_message(QueueUrl=self.mapping.dead_letter_url, MessageBody=json.dumps(failed))
        return len(batch)


def _lambda_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stream records as Lambda delivers them (times in epoch seconds, the source's ARN)."""
    out = []
    for record in records:
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = created.timestamp()
        out.append(
            {
                "eventID": record["eventID"],
                "eventName": record["eventName"],
                "eventVersion": record.get("eventVersion", "1.1"),
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "dynamodb": change,
                "eventSourceARN": record["eventSourceARN"],
            }
        )
    return out


# ------------------------------------------------------------- schedules
def _eventbridge_dow(field: str) -> str:
    """EventBridge numbers weekdays 1-7 from Sunday; cron 0-6."""

    def shift(match: re.Match[str]) -> str:
        return str(int(match.group(0)) - 1)

    parts = []
    for item in field.split(","):
        head, sep, nth = item.partition("#")
        parts.append(re.sub(r"\d+", shift, head) + sep + nth)
    return ",".join(parts)


@dataclass(frozen=True)
class Schedule:
    """One ScheduleV2 (or Schedule) event of a function."""

    name: str
    function: str
    expression: str
    timezone: ZoneInfo
    input: str | None  # the scheduler's RetryPolicy and DeadLetterConfig are for failing to invoke: not here

    def next_after(self, instant: datetime) -> datetime:
        """The first firing strictly after an instant, in UTC."""
        kind, _, body = self.expression.partition("(")
        body = body.rstrip(")")
        if kind == "rate":
            amount, unit = body.split()
            step = timedelta(**{unit.rstrip("s") + "s": int(amount)})
            return instant + step
        if kind != "cron":
            raise ValueError(f"unsupported schedule expression {self.expression}")
        minute, hour, dom, month, dow, year = body.split()
        spec = " ".join([minute, hour, dom.replace("?", "*"), month, _eventbridge_dow(dow.replace("?", "*"))])
        years = None if year == "*" else _years(year)
        cursor = croniter(spec, instant.astimezone(self.timezone))
        for _ in range(10_000):
            candidate: datetime = cursor.get_next(datetime)
            if years is None or candidate.year in years:
                return candidate.astimezone(UTC)
        raise ValueError(f"{self.expression} never fires")

    def event(self, at: datetime, attempt: int = 1) -> Any:
        """The payload the function receives: the template's Input with Scheduler's context filled in."""
        arn = f"arn:aws:scheduler:{REGION}:{ACCOUNT_ID}:schedule/default/{self.name}"
        time_text = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if not self.input:
            return {
                "version": "0",
                "id": str(uuid.uuid4()),
                "detail-type": "Scheduled Event",
                "source": "aws.scheduler",
                "account": ACCOUNT_ID,
                "time": time_text,
                "region": REGION,
                "resources": [arn],
                "detail": {},
            }
        text = (
            self.input.replace("<aws.scheduler.scheduled-time>", time_text)
            .replace("<aws.scheduler.schedule-arn>", arn)
            .replace("<aws.scheduler.execution-id>", str(uuid.uuid4()))
            .replace("<aws.scheduler.attempt-number>", str(attempt))
        )
        return json.loads(text)


def _years(field: str) -> set[int]:
    years: set[int] = set()
    for item in field.split(","):
        start, _, end = item.partition("-")
        years.update(range(int(start), int(end or start) + 1))
    return years


def schedules(template: Template) -> list[Schedule]:
    found = []
    for spec in template.functions.values():
        for event in spec.events:
            if event.type not in ("ScheduleV2", "Schedule"):
                continue
            props = event.properties
            if props.get("State", "ENABLED") == "DISABLED" or props.get("Enabled") is False:
                continue
            found.append(
                Schedule(
                    name=str(props.get("Name") or event.name),
                    function=spec.logical_id,
                    expression=str(props["ScheduleExpression"]),
                    timezone=ZoneInfo(str(props.get("ScheduleExpressionTimezone", "UTC"))),
                    input=props.get("Input"),
                )
            )
    return found


class Scheduler(threading.Thread):
    """Fires each schedule at its next time (a failed run is the function's to retry: `LocalCloud.fire`)."""

    def __init__(
        self, entries: list[Schedule], fire: Callable[[Schedule, datetime], Any], stop: threading.Event
    ) -> None:
        super().__init__(daemon=True, name="scheduler")
        self.entries = entries
        self.fire = fire
        self.stop_event = stop

    def run(self) -> None:
        now = datetime.now(UTC)
        upcoming = {entry.name: entry.next_after(now) for entry in self.entries}
        while upcoming and not self.stop_event.is_set():
            name, due = min(upcoming.items(), key=lambda item: item[1])
            wait = (due - datetime.now(UTC)).total_seconds()
            if wait > 0:
                self.stop_event.wait(min(wait, 1.0))
                continue
            entry = next(e for e in self.entries if e.name == name)
            self.fire(entry, due)
            upcoming[name] = entry.next_after(due)


def failure_record(
    spec: FunctionSpec, event: Any, error: dict[str, Any] | None, attempts: int
) -> dict[str, Any]:
    """What Lambda sends a function's on-failure destination once an asynchronous invocation has failed
    its last retry: the event it was given (`requestPayload`) and the error it raised."""
    return {
        "version": "1.0",
        "timestamp": datetime.now(UTC).isoformat(),
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{spec.name}:$LATEST",
            "condition": "RetriesExhausted",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": error or {},
    }
