"""Month-end at the office, for Locust: clerks invoice (JSON and the HTML form, with Idempotency-Keys
and some double submits), take payments and upload documents through the pre-signed form; employees
read their cheques; managers read the reports. Plain HTTP against a running local cloud; what the
users did is appended to LOAD_RECORD so `bench.load` can check that nothing was lost or doubled."""

from __future__ import annotations

import json
import os
import random
import uuid
from typing import Any

from locust import HttpUser, between, task

RECORD = os.environ.get("LOAD_RECORD", "load-record.jsonl")


def record(kind: str, **fields: Any) -> None:
    with open(RECORD, "a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": kind, **fields}) + "\n")


def invoice(tag: str) -> dict[str, Any]:
    return {
        "customer": {"name": f"Customer {tag}", "email": f"ap-{tag}@customer.example"},
        "currency": "USD",
        "lines": [
            {
                "description": "Bookkeeping, month end",
                "quantity": "1",
                "unit_price": "250.00",
                "tax_rate": "7",
            },
            {"description": "Payroll run", "quantity": "2", "unit_price": "40.50", "tax_rate": "7"},
        ],
    }


class Clerk(HttpUser):
    """Office staff at month end, working flat out: 10 to 40 seconds between actions (reading the
    screen, typing the next invoice's lines)."""

    weight = 6
    wait_time = between(10, 40)

    def on_start(self) -> None:
        self.client.headers["authorization"] = f"Bearer {os.environ['LOAD_STAFF_TOKEN']}"
        self.open_invoices: list[str] = []

    def _created(self, response: Any, key: str, via: str) -> None:
        if response.status_code == 201:
            body = response.json()
            self.open_invoices.append(body["id"])
            record("invoice", key=key, id=body["id"], number=body["number"], via=via)

    @task(4)
    def create_json(self) -> None:
        key = uuid.uuid4().hex
        response = self.client.post(
            "/invoices", json=invoice(key[:8]), headers={"idempotency-key": key}, name="POST /invoices (json)"
        )
        self._created(response, key, "json")

    @task(1)
    def create_form(self) -> None:
        key = uuid.uuid4().hex
        form = {
            "customer_name": f"Form customer {key[:6]}",
            "customer_email": f"form-{key[:6]}@customer.example",
            "line_description": "Consulting",
            "line_quantity": "3",
            "line_unit_price": "75.00",
            "line_tax_rate": "7",
            "idempotency_key": key,
        }
        self._created(self.client.post("/invoices", data=form, name="POST /invoices (form)"), key, "form")

    @task(1)
    def double_submit(self) -> None:
        """The browser sends the same form twice: one invoice, the same answer twice."""
        key = uuid.uuid4().hex
        for _ in range(2):
            response = self.client.post(
                "/invoices",
                json=invoice(key[:8]),
                headers={"idempotency-key": key},
                name="POST /invoices (again)",
            )
            self._created(response, key, "double")

    @task(3)
    def pay(self) -> None:
        if not self.open_invoices:
            return
        target = random.choice(self.open_invoices)  # noqa: S311 - which invoice to pay, not a secret
        key = uuid.uuid4().hex
        payment = {"amount": "1.00", "date": "2026-11-30", "method": "bank_transfer", "reference": key[:12]}
        self.client.post(
            f"/invoices/{target}/payments",
            json=payment,
            headers={"idempotency-key": key},
            name="POST /invoices/{id}/payments",
        )

    @task(2)
    def upload(self) -> None:
        name = f"receipt-{uuid.uuid4().hex[:10]}.pdf"
        asked = self.client.post(
            "/documents/uploads",
            json={"filename": name, "content_type": "application/pdf"},
            name="POST /documents/uploads",
        )
        if asked.status_code != 201:
            return
        form = asked.json()
        data = b"%PDF-1.4\n% month-end receipt " + name.encode() + b"\n%%EOF\n"
        sent = self.client.post(
            form["url"],
            data=form["fields"],
            files={"file": (name, data, "application/pdf")},
            name="S3 upload form",
            headers={"authorization": None},  # the form is its own authorisation
        )
        if sent.status_code < 300:
            record("upload", key=form["key"])


class Employee(HttpUser):
    weight = 3
    wait_time = between(30, 90)

    def on_start(self) -> None:
        self.client.headers["authorization"] = f"Bearer {os.environ['LOAD_EMPLOYEE_TOKEN']}"

    @task
    def my_cheques(self) -> None:
        self.client.get("/me/cheques", name="GET /me/cheques")


class Manager(HttpUser):
    weight = 1
    wait_time = between(20, 60)

    def on_start(self) -> None:
        self.client.headers["authorization"] = f"Bearer {os.environ['LOAD_STAFF_TOKEN']}"

    @task(2)
    def receivables(self) -> None:
        self.client.get("/reports/receivables", name="GET /reports/receivables")

    @task(1)
    def analysis(self) -> None:
        self.client.get("/reports/office-analysis", name="GET /reports/office-analysis")

    @task(2)
    def invoices(self) -> None:
        self.client.get("/invoices?limit=50", name="GET /invoices")
