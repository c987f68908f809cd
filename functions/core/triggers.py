"""What every queue consumer and scheduled job does the same way.

- `each_message`: an SQS batch, one JSON message at a time; a failing message is reported alone
  (partial batch response) so SQS retries it and then dead-letters it, while the others complete.
- `each_change`: a DynamoDB stream batch, one record at a time, in order; a failure reports the
  record it stopped at, so the stream retries from there (and later records wait for it).
- `as_scheduled`: a service whose clock is stopped at the schedule's time, so a run (or a retry, or
  a replay with `backoffice schedule --at`) works on the day it stands for; a dry run stops there.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from core.clock import fixed_clock, scheduled_time

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch import BatchProcessor


@cache
def _processor(kind: str = "SQS") -> BatchProcessor:
    """Powertools' batch processor, loaded on first use (it brings asyncio: ~35 ms that scheduled
    functions, which import this module too, never need)."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

    return BatchProcessor(event_type=EventType[kind])


def each_message(event: dict[str, Any], context: Any, handle: Callable[[Any], Any]) -> dict[str, Any]:
    """Run `handle` on each message body (parsed JSON); the batch response lists the failures."""

    from aws_lambda_powertools.utilities.batch import process_partial_response

    def record_handler(record: Any) -> None:
        handle(json.loads(record.body))

    return dict(process_partial_response(event, record_handler, _processor(), context))


def each_change(event: dict[str, Any], context: Any, handle: Callable[[Any], Any]) -> dict[str, Any]:
    """Run `handle` on each stream record (Powertools' DynamoDB record); failures are reported."""
    from aws_lambda_powertools.utilities.batch import process_partial_response

    return dict(process_partial_response(event, handle, _processor("DynamoDBStreams"), context))


class DryRun(Exception):
    """A scheduled event with `"detail": {"dry_run": true}` (`backoffice smoke` sends one): the
    service was built from the function's environment and nothing else happens."""


def as_scheduled[Service](service: Service, event: dict[str, Any]) -> Service:
    """The service (a dataclass with a `clock`) as of the scheduled event's time."""
    if (event.get("detail") or {}).get("dry_run") is True:
        raise DryRun
    return dataclasses.replace(service, clock=fixed_clock(scheduled_time(event)))  # type: ignore[type-var]
