"""`backoffice seed-demo`: a believable demo office in the running local cloud, through its own API.

Everything goes in the way a real office would put it in — HTTP calls with staff tokens, files
dropped into the bucket — so the demo exercises the same paths as the tests.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEMO = Path(__file__).with_name("demo")
VAT_RATES = {
    "VN": {"0": "0", "7": "10", "8.25": "10", "10": "10"}
}  # the demo's rates where the law names them (Vietnam's 8 % lives only while a decree runs)


class SeedError(RuntimeError):
    """The demo could not be completed; the message says which step."""


class Office:
    """The running local cloud, seen from outside."""

    def __init__(self, api_port: int, aws_port: int) -> None:
        self.api = f"http://127.0.0.1:{api_port}"
        self.aws = f"http://127.0.0.1:{aws_port}"
        self.tokens: dict[str, str] = {}

    def token(self, subject: str, role: str = "staff", employee_id: str | None = None) -> str:
        if subject not in self.tokens:
            body = {"role": role, "subject": subject, "employee_id": employee_id}
            self.tokens[subject] = self.request("POST", "/_local/tokens", body, auth=False)["token"]
        return self.tokens[subject]

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json",
        auth: bool = True,
        who: str = "demo-clerk-a",
    ) -> Any:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"content-type": content_type}
        if auth:
            headers["authorization"] = f"Bearer {self.token(who)}"
        request = urllib.request.Request(  # noqa: S310 - loopback URL
            self.api + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback URL
                payload = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:300]
            raise SeedError(f"{method} {path} answered {error.code}: {detail}") from None
        return json.loads(payload) if payload else None

    def upload(self, key: str, data: bytes) -> None:
        from infra.localcloud.provision import Clients

        bucket = self.request("GET", "/_local/resources", auth=False)["bucket"]
        Clients(self.aws).s3.put_object(Bucket=bucket, Key=key, Body=data)

    def wait(self, what: str, check: Callable[[], Any], timeout: float = 60) -> Any:
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.5)
        raise SeedError(f"gave up waiting for {what}")


def office_admin(office: Office) -> str:
    """The demo office's admin (employees and voids are an admin's work)."""
    office.token("demo-admin", role="admin")
    return "demo-admin"


def _pdf(*lines: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _customer(name: str, email: str, **facts: str) -> dict[str, str]:
    return {"name": name, "email": email, **facts}


def _line(description: str, quantity: str, price: str, rate: str) -> dict[str, str]:
    return {"description": description, "quantity": quantity, "unit_price": price, "tax_rate": rate}


def seed(office: Office, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Fill the office; returns what was made."""
    resources = office.request("GET", "/_local/resources", auth=False)
    today = datetime.now(ZoneInfo(resources["timezone"])).date()
    made: dict[str, Any] = {}

    # Documents: a vendor invoice, a receipt photo stand-in, and something that must not get in.
    office.upload(
        "inbox/ACME invoice INV-7731.pdf", _pdf("INVOICE INV-7731", "Bill to: Demo Co.", "Amount due: 980.00")
    )
    office.upload("inbox/receipts/taxi-2026-11-18.pdf", _pdf("RECEIPT", "Amount paid: 32.50", "Thank you"))
    office.upload(
        "inbox/invoice-viewer.pdf.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00"
    )
    say("documents    3 files dropped into inbox/ (one is a program: it will be quarantined)")

    # Employees and the provider's cheque register (it arrives through intake, like the real one).
    result = office.request(
        "POST",
        "/employees/import",
        raw=(DEMO / "employees.csv").read_bytes(),
        content_type="text/csv",
        who=office_admin(office),
    )
    say(f"employees    {result['created']} imported")
    office.upload("inbox/payroll/cheque-register-2026-11-20.csv", (DEMO / "cheque-register.csv").read_bytes())

    def register_run() -> Any:
        runs = office.request("GET", "/payruns")["items"]
        return next((r for r in runs if r["status"] == "imported" and r["total"] == "17268.00"), None)

    run = office.wait("the cheque register to become a pay run", register_run)
    office.request("POST", f"/payruns/{run['id']}/receive", who="demo-clerk-a")
    cheques = office.request("GET", f"/cheques?payrun={run['id']}")["items"]
    first = cheques[0]
    handover = {"received_by": first["employee_name"], "method": "photo_id"}
    office.request("POST", f"/cheques/{first['id']}/handover", handover, who="demo-clerk-b")
    made["payrun"] = run["id"]
    say(f"cheques      pay run {run['id'][:12]}… received; 8 employees emailed; one cheque handed over")

    # Invoices in every state, at VAT rates the office's country knows.
    lawful = VAT_RATES.get(resources.get("country", ""))

    def invoice(**body: Any) -> dict[str, Any]:
        if lawful:
            body["lines"] = [
                {**line, "tax_rate": lawful.get(line["tax_rate"], "10")} for line in body["lines"]
            ]
        return dict(office.request("POST", "/invoices", {"currency": "USD", "due_days": 30, **body}))

    anh = _customer(
        "Công ty TNHH Ánh Dương", "ketoan@anhduong.example", country="VN", tax_id="0100233488", language="vi"
    )
    siam = _customer(
        "บริษัท สยามบัญชี จำกัด",
        "account@siambanchee.example",
        country="TH",
        tax_id="0994000165498",
        branch="00000",
        language="th",
    )
    acme = _customer("ACME Supplies Inc.", "ap@acme.example")
    issued = invoice(customer=anh, lines=[_line("Bookkeeping, November", "1", "1250.00", "10")])
    partial = invoice(customer=siam, currency="THB", lines=[_line("ค่าบริการทำบัญชี", "1", "15000.00", "7")])
    office.request(
        "POST",
        f"/invoices/{partial['id']}/payments",
        {"amount": "5000.00", "date": today.isoformat(), "method": "bank_transfer"},
    )
    paid = invoice(customer=acme, lines=[_line("Payroll service", "8", "12.50", "8.25")])
    office.request(
        "POST",
        f"/invoices/{paid['id']}/payments",
        {"amount": paid["total"], "date": today.isoformat(), "method": "card"},
    )
    overdue = invoice(
        customer=anh,
        issue_date=(today - timedelta(days=45)).isoformat(),
        lines=[_line("Year-end advisory", "3", "200.00", "10")],
    )
    void = invoice(customer=acme, lines=[_line("Duplicate order", "1", "99.00", "0")])
    office.request(  # voiding an issued invoice is an admin's call
        "POST", f"/invoices/{void['id']}/void", {"reason": "Entered twice"}, who=office_admin(office)
    )
    credited = invoice(customer=siam, currency="THB", lines=[_line("ค่ายื่นแบบ ภ.พ.30", "1", "1500.00", "7")])
    office.request(
        "POST", f"/invoices/{credited['id']}/credit-notes", {"amount": "500.00", "reason": "Goodwill"}
    )
    invoice(customer=acme, draft=True, lines=[_line("Next month's retainer", "1", "400.00", "0")])
    made["invoices"] = [
        issued["number"],
        partial["number"],
        paid["number"],
        overdue["number"],
        void["number"],
    ]
    say("invoices     issued, partially paid, paid, overdue, void, credited and a draft")

    # Three months of history, so the office analysis has a trend to show.
    for back in (3, 2, 1):
        start = _month_start(today, back)
        for n in range(back + 1):
            made_on = start + timedelta(days=4 + n)
            earlier = invoice(
                customer=acme if n % 2 else anh,
                issue_date=made_on.isoformat(),
                due_days=14,
                lines=[_line(f"Services {made_on:%B}", "1", f"{300 + 50 * n}.00", "10")],
            )
            paid_on = made_on + timedelta(days=10 if n % 2 == 0 else 25)  # on time, or late
            if paid_on <= today:
                payment = {"amount": earlier["total"], "date": paid_on.isoformat(), "method": "bank_transfer"}
                office.request("POST", f"/invoices/{earlier['id']}/payments", payment)
        due = start + timedelta(days=14)
        filing = office.request(
            "POST",
            "/obligations",
            {
                "title": f"Sales tax return, {due:%B %Y}",
                "category": "tax_filing",
                "due_date": due.isoformat(),
                "owner_email": "owner@demo.example",
                "remind_days_before": [],
            },
        )
        done_on = due + timedelta(days=3) if back == 2 else due - timedelta(days=2)
        office.request("POST", f"/obligations/{filing['id']}/complete", {"completed_on": done_on.isoformat()})
    say("history      three months of invoices, payments and filings, for the office analysis")

    # The vendor's invoice dropped in at the start is a draft bill by now, its figures read from the PDF.
    bill = office.wait(
        "the vendor's invoice to open a draft bill",
        lambda: next(iter(office.request("GET", "/bills?status=draft")["items"]), None),
    )
    made["bill"] = bill["id"]
    say(
        f"bills        ACME's invoice read into a draft bill of {bill['reading']['total']}: check it in Bills"
    )

    # Compliance obligations, then the scheduled runs of today.
    imported = office.request(
        "POST",
        "/obligations/import",
        raw=(DEMO / "compliance-calendar.csv").read_bytes(),
        content_type="text/csv",
    )
    say(f"obligations  {imported['created']} imported from the compliance calendar")
    for entry in resources["schedules"]:
        if entry["function"] in ("InvoiceRemindersFunction", "ComplianceDailyFunction"):
            office.request("POST", f"/_local/schedules/{entry['name']}", {}, auth=False)
    say("schedules    invoice reminders and the compliance run fired for today")

    emails = office.wait("the emails", lambda: office.request("GET", "/_local/outbox", auth=False))
    made["emails"] = len(emails)
    say(f"outbox       {len(emails)} emails so far — see them with `backoffice outbox`")
    return made
