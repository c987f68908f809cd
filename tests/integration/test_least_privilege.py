"""Least privilege, proven: every function runs its flows in moto with IAM enforced, under the role
the SAM transform makes of its template policies, and is refused anything outside them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import cache
from typing import Any

import boto3
import pytest
import time_machine
from boto3.dynamodb.conditions import Key

from bench.operations import EVENTS, STAFF_UPLOAD, Context, as_person, bus_event, http, office, s3_event
from infra.iam import function_roles, translate
from infra.localcloud.provision import Clients
from infra.template import Template
from tests import files
from tests.files import pdf
from tests.integration.iam import acting_as, assume, denied, resource_level_checks


@cache
def translated() -> dict[str, Any]:
    return translate()


@dataclass
class Cloud:
    template: Template
    clients: Clients
    keys: dict[str, dict[str, str]]

    def run(self, function: str, step: Callable[..., Any], *args: Any) -> Any:
        """`step(*args)` as `function`: the call must succeed without a single AccessDenied."""
        with acting_as(self.keys[function]) as denials:
            result = step(*args)
        assert denials.seen == [], f"{function} was refused {denials.seen}: its policy misses a grant"
        return result

    def bucket(self) -> str:
        return self.template.physical_name("DocumentsBucket")


@pytest.fixture
def cloud() -> Iterator[Cloud]:
    with resource_level_checks(), office() as (template, clients):
        iam, sts = boto3.client("iam"), boto3.client("sts")
        roles = function_roles(template, translated())
        yield Cloud(template, clients, {name: assume(iam, sts, role) for name, role in roles.items()})


BILLS = "PayablesApiFunction/list-bills.json"


def sample(path: str, **changes: Any) -> dict[str, Any]:
    event = json.loads((EVENTS / path).read_text(encoding="utf-8"))
    return dict(event, **changes)


def ok(response: dict[str, Any]) -> dict[str, Any]:
    assert response["statusCode"] < 300, response
    return dict(json.loads(response["body"])) if response.get("body", "").startswith("{") else {}


def no_failures(result: dict[str, Any]) -> None:
    assert result["batchItemFailures"] == [], result


def test_every_flow_runs_under_its_own_function_s_role(cloud: Cloud) -> None:
    import analysis.api
    import analysis.handlers
    import banking.api
    import banking.handlers
    import compliance.api
    import compliance.handlers
    import intake.api
    import intake.handlers
    import invoicing.api
    import invoicing.handlers
    import invoicing.service
    import payables.api
    import payables.handlers
    import payroll.api
    import payroll.filed
    import payroll.handlers
    from apidocs.handler import handler as apidocs
    from core.identity import Caller
    from payroll.model import Handover
    from payroll.service import payroll as payroll_service

    s3, bucket = cloud.clients.s3, cloud.bucket()
    # intake: an upload filed, an email unpacked, the documents API
    version = s3.put_object(Bucket=bucket, Key="inbox/invoice-42.pdf", Body=pdf("INVOICE 42"))["VersionId"]
    event = s3_event(bucket, "inbox/invoice-42.pdf", version, "intake")
    no_failures(cloud.run("IntakeFunction", intake.handlers.inbox, event, Context()))
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "supplier@example.com", "docs@example.com", "Invoice"
    mail.set_content("Attached.")
    mail.add_attachment(pdf("INVOICE 43"), maintype="application", subtype="pdf", filename="inv-43.pdf")
    s3.put_object(Bucket=bucket, Key="mail/0p1r2s3t4u5v6w7x8y9z0a1b2c3d4e5f6g7h8i9", Body=bytes(mail))
    no_failures(
        cloud.run(
            "MailIntakeFunction",
            intake.handlers.mail,
            sample("MailIntakeFunction/stored-mail.json"),
            Context(),
        )
    )
    ok(
        cloud.run(
            "DocumentsApiFunction",
            intake.api.handler,
            sample("DocumentsApiFunction/create-upload.json"),
            Context(),
        )
    )
    quarantined = sample("DocumentsApiFunction/list-quarantined.json")
    ok(cloud.run("DocumentsApiFunction", intake.api.handler, quarantined, Context()))
    documents = cloud.template.physical_name("DocumentsTable")
    registered = cloud.clients.dynamodb.scan(TableName=documents)["Items"]
    document = next(item["id"]["S"] for item in registered if item["sk"]["S"] == "DOC")
    event = http("DocumentsApiFunction/list-quarantined.json", path=f"/documents/{document}")
    assert ok(cloud.run("DocumentsApiFunction", intake.api.handler, event, Context()))["download_url"]

    # invoicing: create (JSON and form), deliver, pay, report, remind
    created = ok(
        cloud.run(
            "InvoicesApiFunction",
            invoicing.api.handler,
            sample("InvoicesApiFunction/create-invoice-json.json"),
            Context(),
        )
    )
    ok(
        cloud.run(
            "InvoicesApiFunction",
            invoicing.api.handler,
            sample("InvoicesApiFunction/create-invoice-form.json"),
            Context(),
        )
    )
    delivery = bus_event("InvoiceDeliveryRequested", {"invoice_id": created["id"], "delivery": "issue"})
    no_failures(cloud.run("InvoiceDeliveryFunction", invoicing.handlers.delivery, delivery, Context()))
    payment = {"amount": "100.00", "date": created["issue_date"], "method": "cash"}
    event = http(
        "InvoicesApiFunction/create-invoice-json.json",
        body=payment,
        path=f"/invoices/{created['id']}/payments",
    )
    paid = ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, event, Context()))
    receipt = bus_event(
        "InvoiceDeliveryRequested",
        {"invoice_id": created["id"], "delivery": f"receipt:{paid['payments'][0]['id']}"},
    )
    no_failures(cloud.run("InvoiceDeliveryFunction", invoicing.handlers.delivery, receipt, Context()))
    quote = http(
        "InvoicesApiFunction/create-invoice-json.json",
        body={
            "customer": {"name": "Harbor Books LLC", "email": "ap@harborbooks.example"},
            "lines": [{"description": "Year-end accounts", "quantity": "1", "unit_price": "900.00"}],
        },
        path="/quotes",
    )
    drafted = ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, quote, Context()))
    send = http("InvoicesApiFunction/create-invoice-json.json", body={}, path=f"/quotes/{drafted['id']}/send")
    sent = ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, send, Context()))
    emailed = bus_event("QuoteDeliveryRequested", {"quote_id": sent["id"], "link": sent["link"]})
    no_failures(cloud.run("InvoiceDeliveryFunction", invoicing.handlers.delivery, emailed, Context()))
    token = sent["link"].partition("#")[2]
    accept = http(
        "InvoicesApiFunction/create-invoice-json.json",
        body={"link": token, "name": "A. Buyer"},
        path="/public/quotes/accept",
    )
    ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, accept, Context()))
    convert = http(
        "InvoicesApiFunction/create-invoice-json.json", body={}, path=f"/quotes/{sent['id']}/invoice"
    )
    ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, convert, Context()))
    ok(
        cloud.run(
            "InvoicesApiFunction",
            invoicing.api.handler,
            sample("InvoicesApiFunction/receivables-report.json"),
            Context(),
        )
    )
    retainer = {
        "customer": {"name": "Harbor Books LLC", "email": "ap@harborbooks.example"},
        "lines": [{"description": "Retainer", "quantity": "1", "unit_price": "100.00", "tax_rate": "0"}],
        "rule": "FREQ=MONTHLY;BYMONTHDAY=1",
        "start": "2026-12-01",
    }
    event = http("InvoicesApiFunction/create-invoice-json.json", body=retainer, path="/recurring-invoices")
    ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, event, Context()))
    daily = sample("InvoiceRemindersFunction/daily-run.json", time="2026-12-21T13:00:00Z")
    counts = cloud.run("InvoiceRemindersFunction", invoicing.handlers.daily, daily, Context())
    assert counts["reminders"] >= 1 and counts["issued"] == 1  # the retainer's December invoice
    camt = (files.SAMPLES / "bank" / "camt053.xml").read_text(encoding="utf-8")
    camt = camt.replace('Ccy="VND">10800000', f'Ccy="{created["currency"]}">100.00')
    key = "documents/bank_statement/2026/11/statement.xml"
    s3.put_object(Bucket=bucket, Key=key, Body=camt.replace("INV-2026-000001", created["number"]).encode())
    filed = bus_event("DocumentFiled", {"document_id": "stmt", "key": key, "provenance": STAFF_UPLOAD})
    no_failures(cloud.run("BankStatementFunction", banking.handlers.statements, filed, Context()))
    assert [
        p["matched_by"] for p in invoicing.service.invoicing().get(created["id"]).model_dump()["payments"]
    ] == [
        None,
        "invoice_number",
    ]
    lines = sample("BankingApiFunction/list-bank-lines.json")
    waiting = cloud.run("BankingApiFunction", banking.api.handler, lines, Context())
    assert waiting["statusCode"] == 200 and len(json.loads(waiting["body"])) == 1  # no rule matched it

    # payroll: employees, a register, receive, hand over, the employee's own page, the daily run
    ok(
        cloud.run(
            "PayrollApiFunction",
            payroll.api.handler,
            sample("PayrollApiFunction/import-employees.json"),
            Context(),
        )
    )
    key = "documents/payroll_register/2026/11/run.csv"
    register = (files.SAMPLES / "cheque-register-2026-11-20.csv").read_bytes()
    s3.put_object(Bucket=bucket, Key=key, Body=register)
    filed = bus_event("DocumentFiled", {"document_id": "run", "key": key, "provenance": STAFF_UPLOAD})
    no_failures(cloud.run("PayrollRegisterFunction", payroll.filed.handler, filed, Context()))
    run = next(payroll_service().store.all_runs())
    clerk, cashier = (Caller(subject=s, groups=frozenset({"staff"})) for s in ("clerk-1", "clerk-2"))
    cloud.run("PayrollApiFunction", lambda: payroll_service().receive(run.id, clerk))
    cheque = payroll_service().store.cheques_of_run(run.id)[0]
    handover = Handover(received_by="the employee", method="photo_id")
    cloud.run("PayrollApiFunction", lambda: payroll_service().handover(cheque.id, handover, cashier))
    statement = (
        "Account Number,123-4-56789-0\n"
        "Date,Time,Description,Withdrawal,Deposit,Outstanding Balance,Channel,Details\n"
        f"25-11-26,10:45,Cheque Withdrawal,{cheque.amount},,0.00,Branch,Cheque {cheque.cheque_number}\n"
    )
    key = "documents/bank_statement/2026/11/cheques.csv"
    s3.put_object(Bucket=bucket, Key=key, Body=statement.encode())
    filed = bus_event(
        "DocumentFiled",
        {"document_id": "stmt-2", "type": "bank_statement", "key": key, "provenance": STAFF_UPLOAD},
    )
    no_failures(cloud.run("PayrollRegisterFunction", payroll.filed.handler, filed, Context()))
    assert payroll_service().store.cheque(cheque.id).status.value == "cashed"
    event = http("PayrollApiFunction/list-payruns.json", path=f"/payruns/{run.id}/positive-pay")
    assert cloud.run("PayrollApiFunction", payroll.api.handler, event, Context())["statusCode"] == 200
    ok(
        cloud.run(
            "PayrollApiFunction", payroll.api.handler, sample("PayrollApiFunction/my-cheques.json"), Context()
        )
    )
    cloud.run(
        "PayrollDailyFunction",
        payroll.handlers.daily,
        sample("PayrollDailyFunction/daily-run.json"),
        Context(),
    )

    # compliance: create, import, list, the daily run and the digest
    ok(
        cloud.run(
            "ComplianceApiFunction",
            compliance.api.handler,
            sample("ComplianceApiFunction/create-obligation.json"),
            Context(),
        )
    )
    ok(
        cloud.run(
            "ComplianceApiFunction",
            compliance.api.handler,
            sample("ComplianceApiFunction/import-calendar.json"),
            Context(),
        )
    )
    ok(
        cloud.run(
            "ComplianceApiFunction",
            compliance.api.handler,
            sample("ComplianceApiFunction/list-overdue.json"),
            Context(),
        )
    )
    daily = sample("ComplianceDailyFunction/daily-run-dst-change.json")
    cloud.run("ComplianceDailyFunction", compliance.handlers.daily, daily, Context())
    cloud.run(
        "ComplianceDigestFunction",
        compliance.handlers.digest,
        sample("ComplianceDigestFunction/weekly-digest.json"),
        Context(),
    )
    ok(cloud.run("ApiDocsFunction", apidocs, sample("ApiDocsFunction/get-openapi.json"), Context()))

    # payables: a filed vendor invoice opens a bill (read from its text), confirmed, scheduled, reminded,
    # paid; the directory added to, imported into and searched
    key = "documents/vendor_invoice/2026/11/siam-paper.pdf"
    s3.put_object(Bucket=bucket, Key=key, Body=files.printed_pdf(*files.THAI_VENDOR_INVOICE))
    filed = bus_event("DocumentFiled", {"document_id": "vinv", "key": key, "provenance": STAFF_UPLOAD})
    no_failures(cloud.run("BillFunction", payables.handlers.messages, filed, Context()))
    bill = ok(
        cloud.run("PayablesApiFunction", payables.api.handler, http(BILLS, path="/bills/vinv"), Context())
    )
    figures = {
        "vendor": {"name": bill["reading"]["vendor_name"], "tax_id": bill["reading"]["vendor_tax_id"]},
        **{
            f: bill["reading"][f]
            for f in ("invoice_number", "issue_date", "due_date", "currency", "net", "vat", "total")
        },
    }
    for path, body, by in (
        ("/bills/vinv/confirm", figures, ("clerk", "[staff]")),
        ("/bills/vinv/approve", {}, ("owner", "[admin]")),  # a THB bill in a USD office
        ("/bills/vinv/schedule", {"pay_on": "2026-12-02"}, ("clerk", "[staff]")),
    ):
        event = as_person(http(BILLS, path=path, method="POST", body=body), *by)
        ok(cloud.run("PayablesApiFunction", payables.api.handler, event, Context()))
    vendor = ok(
        cloud.run(
            "PayablesApiFunction",
            payables.api.handler,
            sample("PayablesApiFunction/add-party.json"),
            Context(),
        )
    )
    # its bank account asked for (on the bus), told to the vendor and the office, approved by an admin
    told = bus_event(
        "VendorBankAccountChange",
        {"party_id": vendor["id"], "state": "requested", "ending": "7890", "by": "x"},
    )
    no_failures(cloud.run("BillFunction", payables.handlers.messages, told, Context()))
    approval = as_person(
        http(BILLS, path=f"/parties/{vendor['id']}/bank-account/approve", method="POST"), "owner", "[admin]"
    )
    assert ok(cloud.run("PayablesApiFunction", payables.api.handler, approval, Context()))["bank_account"]
    imported = http(BILLS, path="/parties/import", method="POST")
    imported["headers"]["content-type"] = "text/csv"
    imported["body"] = "kind,name,tax_id,email\ncustomer,Ánh Dương,0301234567,ketoan@anhduong.example\n"
    (customer,) = json.loads(
        cloud.run("PayablesApiFunction", payables.api.handler, imported, Context())["body"]
    )
    by_id = {
        "customer_id": customer["id"],
        "lines": [{"description": "Audit", "quantity": "1", "unit_price": "10"}],
    }
    invoiced = http("InvoicesApiFunction/create-invoice-json.json", body=by_id)
    assert ok(cloud.run("InvoicesApiFunction", invoicing.api.handler, invoiced, Context()))["customer"][
        "party_id"
    ]
    ok(cloud.run("PayablesApiFunction", payables.api.handler, http(BILLS, path="/parties"), Context()))
    told = cloud.run(
        "PayablesDailyFunction",
        payables.handlers.daily,
        sample("PayablesDailyFunction/daily-run.json"),
        Context(),
    )
    assert told == {"bills": 1}
    paid = http(
        BILLS,
        path="/bills/vinv/payments",
        method="POST",
        body={"amount": "10700.00", "date": "2026-12-02", "method": "bank_transfer"},
    )
    assert ok(cloud.run("PayablesApiFunction", payables.api.handler, paid, Context()))["status"] == "paid"

    # the office analysis: a change counted, the report read, the month closed (PDF stored, emailed)
    changed = sample("AnalysisFunction/invoice-issued.json")
    no_failures(cloud.run("AnalysisFunction", analysis.handlers.changes, changed, Context()))
    report = sample("AnalysisApiFunction/office-analysis.json")
    ok(cloud.run("AnalysisApiFunction", analysis.api.handler, report, Context()))
    for path in ("/reports/monthly-summary", "/reports/monthly-summary/pdf"):
        books = http("AnalysisApiFunction/office-analysis.json", path=path)
        books["queryStringParameters"], books["rawQueryString"] = {"month": "2026-11"}, "month=2026-11"
        assert cloud.run("AnalysisApiFunction", analysis.api.handler, books, Context())["statusCode"] == 200
    closing = sample("AnalysisMonthlyFunction/monthly-run.json")
    assert cloud.run("AnalysisMonthlyFunction", analysis.handlers.monthly, closing, Context())["key"]


FUNCTIONS = sorted(Template().functions)


def _grants(cloud: Cloud, function: str, action: str) -> list[str]:
    role = function_roles(cloud.template, translated())[function]
    found = []
    for document in role.policies.values():
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if action in actions:
                resources = statement["Resource"]
                found += resources if isinstance(resources, list) else [resources]
    return found


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_function_is_refused_what_its_work_does_not_need(cloud: Cloud, function: str) -> None:
    tables = [cloud.template.physical_name(t) for t in cloud.template.of_type("AWS::DynamoDB::Table")]
    readable = " ".join(_grants(cloud, function, "dynamodb:GetItem"))
    foreign = [table for table in tables if f"table/{table}" not in readable]
    bucket = cloud.bucket()
    writable = _grants(cloud, function, "s3:PutObject")
    outside = next(
        key
        for key in (
            "exports/positive-pay/forged.csv",
            "invoices/2026/forged.pdf",
            "documents/forged.txt",
            "forged.txt",
        )
        if not any(
            key.startswith(grant.split(":::")[1].removeprefix(f"{bucket}/").rstrip("*")) for grant in writable
        )
    )
    with acting_as(cloud.keys[function]):
        dynamodb, s3 = boto3.client("dynamodb"), boto3.client("s3")
        assert denied(dynamodb.get_item, TableName=foreign[0], Key={"pk": {"S": "x"}, "sk": {"S": "x"}})
        assert denied(dynamodb.delete_table, TableName=tables[0])
        assert denied(s3.delete_bucket, Bucket=bucket)
        assert denied(s3.put_object, Bucket=bucket, Key=outside, Body=b"forged")


UNSCOPED = {"textract:AnalyzeExpense"}
"""Actions IAM cannot scope to a resource (Textract's have no resource types): `*` is the only grant."""


def test_no_function_policy_grants_every_resource() -> None:
    for function, role in function_roles(Template(), translated()).items():
        for document in role.policies.values():
            for statement in document["Statement"]:
                actions = (
                    statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                )
                if set(actions) <= UNSCOPED:
                    continue
                assert statement["Resource"] != "*", f"{function}: {statement['Action']} on every resource"


HARD_MOMENTS = ("2026-12-01T00:05:00", "2027-01-01T00:05:00", "2028-03-01T00:05:00")
"""The first minutes of a month, of a year, and of the month after 29 February, in the office's time."""


@pytest.mark.parametrize("moment", HARD_MOMENTS)
def test_a_change_to_a_closed_month_counts_in_this_month_under_the_stream_s_role(
    cloud: Cloud, moment: str
) -> None:
    import analysis.handlers
    from core.settings import settings

    now = datetime.fromisoformat(moment).replace(tzinfo=settings().timezone)
    this_month = now.strftime("%Y-%m")
    last_day = (now.replace(day=1) - timedelta(days=1)).date()
    with time_machine.travel(now, tick=False):
        closing = sample("AnalysisMonthlyFunction/monthly-run.json", time=now.astimezone(UTC).isoformat())
        cloud.run("AnalysisMonthlyFunction", analysis.handlers.monthly, closing, Context())
        late = sample("AnalysisFunction/invoice-issued.json")
        change = late["Records"][0]["dynamodb"]
        change["ApproximateCreationDateTime"] = int(now.timestamp())
        change["NewImage"]["issue_date"] = {"S": last_day.isoformat()}
        no_failures(cloud.run("AnalysisFunction", analysis.handlers.changes, late, Context()))
    table = boto3.resource("dynamodb").Table(cloud.template.physical_name("AnalysisTable"))
    month = table.query(KeyConditionExpression=Key("pk").eq(f"MONTH#{this_month}"))["Items"]
    figures = next(item for item in month if item["sk"] == "FIGURES")
    notes = [item for item in month if item["sk"].startswith("NOTE#")]
    assert figures["invoicing.issued"] == 1  # counted now, in the month that is open
    assert [note["carried_from"] for note in notes] == [last_day.isoformat()[:7]]
