"""AWS requests per business operation, counted with a botocore hook while the real handlers run
against moto (resources created from template.yaml). Counts are deterministic, so a test pins them.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.meter import Meter, metering

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"


@dataclass
class Measured:
    name: str
    requests: int
    budget: int
    why: str
    calls: dict[str, int]
    units: dict[str, float]
    own_seconds: float


@contextmanager
def office() -> Iterator[tuple[Any, Any]]:
    """moto with the template's resources and every function's environment; yields (template, clients)."""
    from moto import mock_aws

    from infra.capabilities import reset_cached
    from infra.localcloud.provision import Clients, provision
    from infra.template import Template

    saved = dict(os.environ)
    os.environ.update(
        {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    try:
        with mock_aws():
            template = Template()
            for spec in template.functions.values():
                os.environ.update(spec.environment)
            clients = Clients()
            provision(template, clients)
            reset_cached()
            yield template, clients
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def http(
    sample: str, *, body: Any = None, path: str | None = None, method: str | None = None
) -> dict[str, Any]:
    event = json.loads((EVENTS / sample).read_text(encoding="utf-8"))
    event = copy.deepcopy(event)
    if method:
        event["requestContext"]["http"]["method"] = method
    if body is not None:
        event["body"] = json.dumps(body)
        event["headers"]["content-type"] = "application/json"
        event["headers"].pop("idempotency-key", None)
    if path or method:
        method = event["requestContext"]["http"]["method"]
        path = path or event["rawPath"]
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {path}"
    return event


def as_person(event: dict[str, Any], subject: str, groups: str = "[staff]") -> dict[str, Any]:
    """`event` as sent by another signed-in person (a second key: an approver, a payer)."""
    event["requestContext"]["authorizer"]["jwt"]["claims"].update({"sub": subject, "cognito:groups": groups})
    return event


def s3_event(bucket: str, key: str, version: str | None, queue: str) -> dict[str, Any]:
    sample = json.loads(
        (EVENTS / "IntakeFunction" / "upload-vietnamese-name.json").read_text(encoding="utf-8")
    )
    body = json.loads(sample["Records"][0]["body"])
    record = body["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["object"].update({"key": key, "versionId": version})
    sample["Records"][0]["body"] = json.dumps(body)
    sample["Records"][0]["eventSourceARN"] = f"arn:aws:sqs:us-east-1:123456789012:{queue}"
    return dict(sample)


STAFF_UPLOAD = {
    "source": "s3",
    "by": "s3:bench",
    "trusted": True,
    "reason": "put into the bucket by the office",
}
"""A register's provenance as intake states it for one the office put into the inbox."""


def bus_event(detail_type: str, detail: dict[str, Any]) -> dict[str, Any]:
    sample = json.loads((EVENTS / "InvoiceDeliveryFunction" / "delivery-requested.json").read_text())
    sample["Records"][0]["body"] = json.dumps({"detail-type": detail_type, "detail": detail})
    return dict(sample)


def measure(meter: Meter, name: str, budget: int, why: str, run: Callable[[], Any]) -> Measured:
    """The requests, units and own time (outside AWS requests) of `run`."""
    calls, units, _, aws_seconds = meter.snapshot()
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    calls = meter.calls - calls
    return Measured(
        name,
        sum(calls.values()),
        budget,
        why,
        dict(sorted(calls.items())),
        meter.units_since(units),
        elapsed - (meter.aws_seconds - aws_seconds),
    )


def register_csv(cheques: int, first_number: int) -> bytes:
    rows = ["cheque_number,employee_id,employee_name,pay_date,net_amount,account_number"]
    rows += [
        f"{first_number + i},E-{i:05d},Employee {i},2026-11-20,100.00,000123456789" for i in range(cheques)
    ]
    rows.append(f"TOTAL,{cheques},{cheques * 100}.00")
    return ("\n".join(rows) + "\n").encode()


def operations() -> list[Measured]:
    """Each business operation once, through its real handler; returns the counts."""
    import banking.handlers
    import intake.handlers
    import invoicing.api
    import invoicing.handlers
    import payroll.filed
    import payroll.handlers

    results = []
    with office() as (template, clients), metering() as meter:
        bucket = template.physical_name("DocumentsBucket")
        staff = json.loads((EVENTS / "InvoicesApiFunction" / "create-invoice-json.json").read_text())
        request = json.loads(staff["body"])

        def create() -> None:
            response = invoicing.api.handler(http("InvoicesApiFunction/create-invoice-json.json"), Context())
            assert response["statusCode"] == 201, response
            created.update(json.loads(response["body"]))

        created: dict[str, Any] = {}
        results.append(
            measure(
                meter,
                "create and issue an invoice",
                5,
                "idempotency record put + update; counter get; one transaction (counter, invoice, number, "
                "audit); one event",
                create,
            )
        )
        payment = {"amount": "100.00", "date": request["issue_date"], "method": "cash"}
        path = f"/invoices/{created['id']}/payments"

        def pay() -> None:
            response = invoicing.api.handler(
                http("InvoicesApiFunction/create-invoice-json.json", body=payment, path=path), Context()
            )
            assert response["statusCode"] == 201, response

        results.append(
            measure(
                meter,
                "record a payment",
                4,
                "read the invoice; receipt counter get; one transaction (counter, invoice, receipt number, "
                "audit); one event (the receipt's email)",
                pay,
            )
        )

        from tests.files import pdf as make_pdf

        pdf = make_pdf("INVOICE 42", "Amount due 10.00")
        version = clients.s3.put_object(Bucket=bucket, Key="inbox/invoice-42.pdf", Body=pdf)["VersionId"]

        def file_document() -> None:
            event = s3_event(bucket, "inbox/invoice-42.pdf", version, "intake")
            assert intake.handlers.inbox(event, Context())["batchItemFailures"] == []

        results.append(
            measure(
                meter,
                "file a document",
                8,
                "register get; head; get (streamed once); checksum claim; copy; transaction "
                "(document, audit); event; delete",
                file_document,
            )
        )

        for cheques, first_number in ((8, 600000), (200, 700000)):
            key = f"documents/payroll_register/2026/11/run-{cheques}.csv"
            clients.s3.put_object(Bucket=bucket, Key=key, Body=register_csv(cheques, first_number))
            event = bus_event(
                "DocumentFiled", {"document_id": f"run-{cheques}", "key": key, "provenance": STAFF_UPLOAD}
            )

            def import_register(event: dict[str, Any] = event) -> None:
                assert payroll.filed.handler(event, Context())["batchItemFailures"] == []

            results.append(
                measure(
                    meter,
                    f"import a register of {cheques} cheques",
                    1 + 2 + 2 * -(-cheques // 100) + -(-2 * cheques // 100) + 1,
                    "the run's own get (a redelivery finds it); head + get of the file; batch gets of "
                    "employees and of number holders (100 a request); claims + cheques in transactions "
                    "of 100 items; the run with its audit",
                    import_register,
                )
            )

        camt = (ROOT / "tests" / "samples" / "bank" / "camt053.xml").read_text(encoding="utf-8")
        camt = camt.replace('Ccy="VND">10800000', f'Ccy="{created["currency"]}">100.00')
        camt = camt.replace("INV-2026-000001", created["number"]).replace("VND", created["currency"])
        key = "documents/bank_statement/2026/11/statement.xml"
        clients.s3.put_object(Bucket=bucket, Key=key, Body=camt.encode())
        filed = bus_event("DocumentFiled", {"document_id": "stmt", "key": key, "provenance": STAFF_UPLOAD})

        def import_statement() -> None:
            assert banking.handlers.statements(filed, Context())["batchItemFailures"] == []

        results.append(
            measure(
                meter,
                "import a statement of 3 lines (1 credit matched, 1 not, 1 debit)",
                14,
                "head + get of the file; one query of the open invoices, one of the remembered payers; per "
                "line one get (seen before?) and one transaction (the line, its audit); the matched one's "
                "payment as any payment: read the invoice, receipt counter get, one transaction, one event "
                "(its line is written after it: a retry finds the payment by the line's id)",
                import_statement,
            )
        )

        reminder = json.loads((EVENTS / "InvoiceRemindersFunction" / "daily-run.json").read_text())
        reminder["time"] = "2026-12-21T13:00:00Z"  # the invoice above is one day past due

        def remind() -> None:
            invoicing.handlers.daily(reminder, Context())

        results.append(
            measure(
                meter,
                "one invoice reminder run (1 invoice due for a reminder)",
                4,
                "one query of the recurring series' due index (none due); one of the invoices' due index; "
                "per reminded invoice one transaction and one event",
                remind,
            )
        )

        retainer = {
            "customer": request["customer"],
            "lines": request["lines"],
            "rule": "FREQ=MONTHLY;BYMONTHDAY=1",
            "start": "2027-01-01",
        }
        started = http(
            "InvoicesApiFunction/create-invoice-json.json", body=retainer, path="/recurring-invoices"
        )
        assert invoicing.api.handler(started, Context())["statusCode"] == 201
        first_of_month = {**reminder, "time": "2027-01-01T13:00:00Z"}

        def issue_recurring() -> None:
            counts = invoicing.handlers.daily(first_of_month, Context())
            assert counts["issued"] == 1, counts

        results.append(
            measure(
                meter,
                "one daily run issuing a recurring invoice",
                10,
                "one query of the series' due index; is the occurrence's invoice made (get); counter get; "
                "one transaction (counter, invoice, number, audit); one event; the series moved on with its "
                "audit (one transaction); one query of the invoices' due index; the invoice above chased: "
                "its unsent reminder asked again (one event), its next stage (one transaction, one event)",
                issue_recurring,
            )
        )
        results += payables_operations(meter, clients, bucket)
    return results


def payables_operations(meter: Meter, clients: Any, bucket: str) -> list[Measured]:
    """A vendor's invoice from filed to paid, and the month's books read."""
    import analysis.api
    import payables.api
    import payables.handlers
    from tests.files import THAI_VENDOR_INVOICE, printed_pdf

    results = []
    key = "documents/vendor_invoice/2026/11/siam-paper.pdf"
    clients.s3.put_object(Bucket=bucket, Key=key, Body=printed_pdf(*THAI_VENDOR_INVOICE))
    filed = bus_event("DocumentFiled", {"document_id": "vinv", "key": key, "provenance": STAFF_UPLOAD})

    def open_bill() -> None:
        assert payables.handlers.messages(filed, Context())["batchItemFailures"] == []

    results.append(
        measure(
            meter,
            "open a bill from a filed vendor invoice (read from its text)",
            3,
            "head + get of the file (the text layer holds the total: no Textract); one transaction (the "
            "draft, its audit)",
            open_bill,
        )
    )
    bills = "PayablesApiFunction/list-bills.json"
    read = json.loads(payables.api.handler(http(bills, path="/bills/vinv"), Context())["body"])["reading"]
    figures = {
        "vendor": {"name": read["vendor_name"], "tax_id": read["vendor_tax_id"]},
        **{
            f: read[f]
            for f in ("invoice_number", "issue_date", "due_date", "currency", "net", "vat", "total")
        },
    }

    def confirm() -> None:
        response = payables.api.handler(
            http(bills, path="/bills/vinv/confirm", method="POST", body=figures), Context()
        )
        assert response["statusCode"] == 200, response

    results.append(
        measure(
            meter,
            "confirm a bill of a vendor new to the directory",
            4,
            "read the bill; look the vendor up by tax id; one query of what its bills came to in 30 days; "
            "one transaction (the bill, its audit, the vendor's invoice number claimed, the bill counted "
            "toward its vendor's 30 days, the vendor added with its tax id and audit)",
            confirm,
        )
    )
    approve = as_person(http(bills, path="/bills/vinv/approve", method="POST", body={}), "owner", "[admin]")
    assert payables.api.handler(approve, Context())["statusCode"] == 200  # a THB bill in a USD office
    daily = json.loads((EVENTS / "PayablesDailyFunction" / "daily-run.json").read_text())
    daily["time"] = "2026-11-30T14:00:00Z"  # three days before the bill falls due, in any office's timezone

    def remind() -> None:
        assert payables.handlers.daily(daily, Context()) == {"bills": 1}

    results.append(
        measure(
            meter,
            "one payables run (1 bill falling due)",
            3,
            "one query of the sparse due index; one email to the payer; per bill one transaction (the bill "
            "told, its audit)",
            remind,
        )
    )
    payment = {"amount": "10700.00", "date": "2026-12-02", "method": "bank_transfer"}

    def pay() -> None:
        event = http(bills, path="/bills/vinv/payments", method="POST", body=payment)
        assert payables.api.handler(event, Context())["statusCode"] == 201

    results.append(
        measure(
            meter,
            "pay a bill",
            3,
            "read the bill; read its vendor's account in force; one transaction (the bill, its audit)",
            pay,
        )
    )
    summary = http("AnalysisApiFunction/office-analysis.json", path="/reports/monthly-summary")

    def books() -> None:
        assert analysis.api.handler(summary, Context())["statusCode"] == 200

    results.append(
        measure(
            meter,
            "read the month's books",
            1,
            "one query of the month's partition: its figures, notes and snapshot (closed once sent)",
            books,
        )
    )
    return results
