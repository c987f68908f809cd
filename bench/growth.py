"""How the daily runs grow with their tables: each run with 1,000 and with 100,000 items in its table
and the same 100 due, counting the items DynamoDB reads for it and the run's own time.

moto answers a GSI query by walking the whole table, which DynamoDB does not (a range read of a
sorted index), so the time reported is the run's own: the invocation minus the time inside AWS
requests. The items read are what DynamoDB bills and what its latency follows.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.meter import metering
from bench.moto_speed import without_transaction_backups
from bench.operations import EVENTS, Context, http, office

SIZES = (1_000, 100_000)
DUE = 100
TODAY = date(2027, 3, 10)
RUN_AT = "2027-03-10T13:00:00Z"  # 08:00 in New York, 20:00 in Bangkok: the same business day


@dataclass
class Growth:
    name: str
    items: int
    due: int
    items_read: int
    requests: int
    own_seconds: float
    aws_seconds: float
    result: dict[str, int]

    @property
    def read_ratio(self) -> float:
        return self.items_read / self.due


def _write_all(client: Any, table: str, items: Iterator[dict[str, Any]]) -> None:
    from core.dynamo import serialize

    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append({"PutRequest": {"Item": serialize(item)}})
        if len(batch) == 25:
            client.batch_write_item(RequestItems={table: batch})
            batch = []
    if batch:
        client.batch_write_item(RequestItems={table: batch})


def _obligations(size: int, grace: int) -> Iterator[dict[str, Any]]:
    """100 due a 7-day reminder today; the rest in thirds: completed, due months ahead, and overdue
    with every notice sent (nothing left to do until someone completes them)."""
    from compliance.model import Obligation, Sent, Status
    from compliance.store import obligation_item

    at = datetime(2026, 12, 1, tzinfo=UTC)
    for i in range(size):
        group = "due" if i < DUE else ("completed", "ahead", "overdue")[i % 3]
        due = {
            "due": TODAY + timedelta(days=7),
            "completed": TODAY - timedelta(days=i % 300 + 1),
            "ahead": TODAY + timedelta(days=40 + i % 300),
            "overdue": TODAY - timedelta(days=20 + i % 300),
        }[group]
        sent = {
            "due": [Sent(key="lead:30", to="owner@example.com", claimed_at=at, sent_at=at)],
            "overdue": [Sent(key="overdue", to="owner@example.com", claimed_at=at, sent_at=at)],
        }.get(group, [])
        status = {
            "due": Status.DUE_SOON,
            "completed": Status.COMPLETED,
            "ahead": Status.UPCOMING,
            "overdue": Status.OVERDUE,
        }[group]
        obligation = Obligation(
            id=f"g{i:06d}",
            series_id=f"g{i:06d}",
            title=f"Licence renewal {i}",
            due_date=due,
            effective_due_date=due,
            remind_days_before=[30, 7, 1],
            owner_email="owner@example.com",
            status=status,
            sent=sent,
            created_at=at,
            created_by="bench",
        )
        yield obligation_item(obligation, grace)


def _invoices(size: int, model: Any, ladder: Any) -> Iterator[dict[str, Any]]:
    """100 one day past due (marked overdue, stage 1 claimed); the rest in thirds: paid, due weeks
    ahead, and overdue past the last stage of the ladder."""
    from invoicing.model import Reminder, Status
    from invoicing.store import invoice_item

    at = datetime(2026, 12, 1, tzinfo=UTC)
    finished = [Reminder(stage=stage, claimed_at=at, sent_at=at) for stage in ladder.stages]
    for i in range(size):
        group = "due" if i < DUE else ("paid", "ahead", "finished")[i % 3]
        due = {
            "due": TODAY - timedelta(days=1),
            "paid": TODAY - timedelta(days=i % 300),
            "ahead": TODAY + timedelta(days=10 + i % 60),
            "finished": TODAY - timedelta(days=60 + i % 300),
        }[group]
        status = {
            "due": Status.ISSUED,
            "paid": Status.PAID,
            "ahead": Status.ISSUED,
            "finished": Status.OVERDUE,
        }
        invoice = model.model_copy(
            update={
                "id": f"g{i:06d}",
                "number": f"GRW-2027-{i:06d}",
                "due_date": due,
                "status": status[group],
                "reminders": finished if group == "finished" else [],
                "amount_due": Decimal(0) if group == "paid" else model.amount_due,
            }
        )
        yield invoice_item(invoice, ladder)


def _scheduled(function: str, sample: str) -> dict[str, Any]:
    event = json.loads((EVENTS / function / sample).read_text(encoding="utf-8"))
    event["time"] = RUN_AT
    return dict(event)


def _run(name: str, size: int, seed: Callable[[Any, Any], None], run: Callable[[], dict[str, int]]) -> Growth:
    with without_transaction_backups(), office() as (template, clients), metering() as meter:
        seed(template, clients)
        meter.reset()
        start = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - start
    return Growth(
        name=name,
        items=size,
        due=DUE,
        items_read=meter.items_read,
        requests=meter.requests,
        own_seconds=elapsed - meter.aws_seconds,
        aws_seconds=meter.aws_seconds,
        result=result,
    )


def compliance_run(size: int) -> Growth:
    import compliance.handlers
    from compliance.service import compliance as service

    def seed(template: Any, clients: Any) -> None:
        grace = service().grace_days
        _write_all(clients.dynamodb, template.physical_name("ComplianceTable"), _obligations(size, grace))

    event = _scheduled("ComplianceDailyFunction", "daily-run-dst-change.json")
    growth = _run("daily compliance run", size, seed, lambda: compliance.handlers.daily(event, Context()))
    assert growth.result.get("lead") == DUE, growth.result
    return growth


def dunning_run(size: int) -> Growth:
    import invoicing.api
    import invoicing.handlers
    from invoicing.service import invoicing as service

    def seed(template: Any, clients: Any) -> None:
        response = invoicing.api.handler(http("InvoicesApiFunction/create-invoice-json.json"), Context())
        assert response["statusCode"] == 201, response
        model = service().store.get(json.loads(response["body"])["id"])
        table = template.physical_name("InvoicesTable")
        clients.dynamodb.delete_item(
            TableName=table, Key={"pk": {"S": f"INV#{model.id}"}, "sk": {"S": "INV"}}
        )
        _write_all(clients.dynamodb, table, _invoices(size, model, service().ladder))

    event = _scheduled("InvoiceRemindersFunction", "daily-run.json")
    growth = _run("daily dunning run", size, seed, lambda: invoicing.handlers.daily(event, Context()))
    assert growth.result.get("reminders") == DUE, growth.result
    return growth


def growth() -> list[Growth]:
    return [run(size) for run in (compliance_run, dunning_run) for size in SIZES]


@dataclass
class Report:
    name: str
    invoices: int
    seconds: float
    query_pages: int
    read_units: float


def receivables_report(size: int = 100_000) -> Report:
    """The aging report as of today reads every invoice issued up to then (a payment after the as-of
    date still counts as owed on it), so it grows with the invoices: this times the function's own
    work — parsing and aging `size` stored invoices — and counts the reads DynamoDB would bill."""
    from core.dynamo import serialize
    from invoicing.aging import aging
    from invoicing.reminders import Ladder
    from invoicing.store import from_item

    with office() as (_, _clients):
        import invoicing.api
        from invoicing.service import invoicing as service

        response = invoicing.api.handler(http("InvoicesApiFunction/create-invoice-json.json"), Context())
        model = service().store.get(json.loads(response["body"])["id"])
    items = list(_invoices(size, model, Ladder.parse("-3,1,7,14,30")))
    size_bytes = sum(len(json.dumps(serialize(item), default=str)) for item in items)
    start = time.perf_counter()
    _, totals = aging((from_item(item) for item in items), TODAY)
    seconds = time.perf_counter() - start
    assert totals, "the report found nothing owed"
    return Report(
        f"receivables report over {size:,} invoices",
        size,
        seconds,
        -(-size_bytes // 2**20),
        size_bytes / 4096 / 2,
    )
