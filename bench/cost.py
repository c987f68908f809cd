"""Cost per business operation in US dollars, from metered requests, units and own time at AWS's
published on-demand prices (us-east-1). Each scenario runs the real handlers against moto.

Lambda duration is the function's own time plus an assumed 10 ms per AWS request (a same-region
round trip), billed at the memory size the template gives the function.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.meter import Meter, metering
from bench.moto_speed import without_transaction_backups
from bench.operations import EVENTS, STAFF_UPLOAD, Context, bus_event, http, office, register_csv

PRICES = {  # USD per unit, us-east-1 on-demand
    "lambda_gb_second": 0.0000133334,  # arm64
    "lambda_request": 0.20 / 1e6,
    "dynamodb_write": 0.625 / 1e6,  # write request unit
    "dynamodb_read": 0.125 / 1e6,  # read request unit
    "s3_class_a": 0.005 / 1000,
    "s3_class_b": 0.0004 / 1000,
    "ses_email": 0.10 / 1000,
    "event_entries": 1.00 / 1e6,  # EventBridge custom events
    "http_api_request": 1.00 / 1e6,  # API Gateway HTTP API
    "sqs_request": 0.40 / 1e6,  # send, receive, delete: three per message
}
AWS_LATENCY = 0.010


@dataclass
class Bill:
    """What one scenario used: billable units, and Lambda GB-seconds and invocations."""

    units: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def invoke(
        self, meter: Meter, memory_mb: int, run: Any, *args: Any, http: bool = False, queued: int = 0
    ) -> Any:
        """run(*args) as one invocation of a function with `memory_mb`."""
        import time

        _, units, _, aws_seconds = meter.snapshot()
        requests = meter.requests
        start = time.perf_counter()
        result = run(*args)
        own = time.perf_counter() - start - (meter.aws_seconds - aws_seconds)
        made = meter.requests - requests
        for unit, amount in meter.units_since(units).items():
            self.units[unit] += amount
        self.units["lambda_request"] += 1
        self.units["lambda_gb_second"] += (own + made * AWS_LATENCY) * memory_mb / 1024
        self.units["http_api_request"] += int(http)
        self.units["sqs_request"] += 3 * queued
        return result

    def dollars(self, times: float = 1.0) -> dict[str, float]:
        """Dollars per priced unit, for `times` the scenario."""
        return {
            unit: PRICES[unit] * amount * times
            for unit, amount in sorted(self.units.items())
            if unit in PRICES
        }


@dataclass
class Cost:
    name: str
    breakdown: dict[str, float]
    measured: str

    @property
    def dollars(self) -> float:
        return sum(self.breakdown.values())


def _memory(template: Any, function: str) -> int:
    return int(template.functions[function].memory)


def invoices(sample: int = 20) -> Cost:
    """Create and issue, render and email the PDF, record one payment; per 1,000 invoices."""
    import invoicing.api
    import invoicing.handlers

    create = "InvoicesApiFunction/create-invoice-json.json"
    request = json.loads(json.loads((EVENTS / create).read_text())["body"])
    bill = Bill()
    with without_transaction_backups(), office() as (template, _), metering() as meter:
        api, delivery = _memory(template, "InvoicesApiFunction"), _memory(template, "InvoiceDeliveryFunction")
        for order in range(sample):
            event = http(create, body=dict(request, notes=f"Order {order}"))  # a new body: a new invoice
            created = bill.invoke(meter, api, invoicing.api.handler, event, Context(), http=True)
            invoice = json.loads(created["body"])
            event = bus_event("InvoiceDeliveryRequested", {"invoice_id": invoice["id"], "delivery": "issue"})
            bill.invoke(meter, delivery, invoicing.handlers.delivery, event, Context(), queued=1)
            payment = {"amount": invoice["amount_due"], "date": invoice["issue_date"], "method": "cash"}
            event = http(create, body=payment, path=f"/invoices/{invoice['id']}/payments")
            paid = bill.invoke(meter, api, invoicing.api.handler, event, Context(), http=True)
            assert paid["statusCode"] == 201, paid
    return Cost(
        "1,000 invoices (issue, PDF + email, a payment)", bill.dollars(1000 / sample), f"{sample} runs"
    )


def pay_run(cheques: int = 500) -> Cost:
    """Import the register, receive the bundle (employees told, Positive Pay file), hand every
    cheque over; the receive and hand-overs are billed as API calls."""
    import payroll.filed
    import payroll.handlers
    from core.identity import Caller
    from payroll.model import Handover
    from payroll.service import payroll as service

    receiver = Caller(subject="clerk-1", groups=frozenset({"staff"}))
    cashier = Caller(subject="clerk-2", groups=frozenset({"staff"}))
    bill = Bill()
    with without_transaction_backups(), office() as (template, clients), metering() as meter:
        api, registers = _memory(template, "PayrollApiFunction"), _memory(template, "PayrollRegisterFunction")
        rows = ["id,name,email,department,delivery"]
        rows += [f"E-{i:05d},Employee {i},e{i}@example.com,Shop,pickup" for i in range(cheques)]
        service().import_employees("\n".join(rows) + "\n", receiver)
        key = f"documents/payroll_register/2026/11/run-{cheques}.csv"
        clients.s3.put_object(
            Bucket=template.physical_name("DocumentsBucket"), Key=key, Body=register_csv(cheques, 500000)
        )
        event = bus_event("DocumentFiled", {"document_id": "cost", "key": key, "provenance": STAFF_UPLOAD})
        bill.invoke(meter, registers, payroll.filed.handler, event, Context(), queued=1)
        run = next(service().store.all_runs())
        bill.invoke(meter, api, service().receive, run.id, receiver, http=True)
        handover = Handover(received_by="the employee", method="photo_id")
        for cheque in service().store.cheques_of_run(run.id):
            bill.invoke(meter, api, service().handover, cheque.id, handover, cashier, http=True)
    return Cost(f"a pay run of {cheques} cheques (import, receive, hand-overs)", bill.dollars(), "1 run")


def compliance_month(obligations: int = 1000) -> Cost:
    """30 daily runs over 1,000 obligations due through this month and the next with reminders 30,
    7 and 1 days before, and overdue notices for those left open."""
    import compliance.handlers
    from bench.growth import _write_all
    from compliance.model import Obligation, Status
    from compliance.service import compliance as service
    from compliance.store import obligation_item

    first, created = date(2027, 3, 1), datetime(2027, 1, 1, tzinfo=UTC)
    bill = Bill()
    with without_transaction_backups(), office() as (template, clients), metering() as meter:
        grace = service().grace_days
        items = (
            obligation_item(
                Obligation(
                    id=f"c{i:05d}",
                    series_id=f"c{i:05d}",
                    title=f"Permit {i}",
                    due_date=first + timedelta(days=i % 60),
                    effective_due_date=first + timedelta(days=i % 60),
                    remind_days_before=[30, 7, 1],
                    owner_email="owner@example.com",
                    status=Status.UPCOMING,
                    created_at=created,
                    created_by="bench",
                ),
                grace,
            )
            for i in range(obligations)
        )
        _write_all(clients.dynamodb, template.physical_name("ComplianceTable"), items)
        memory = _memory(template, "ComplianceDailyFunction")
        sample = json.loads((EVENTS / "ComplianceDailyFunction" / "daily-run-dst-change.json").read_text())
        for day in range(30):
            event = dict(sample, time=f"{first + timedelta(days=day)}T12:00:00Z")
            bill.invoke(meter, memory, compliance.handlers.daily, event, Context())
    return Cost(f"a month of daily compliance runs, {obligations:,} obligations", bill.dollars(), "30 runs")


def costs() -> list[Cost]:
    return [invoices(), pay_run(), compliance_month()]
