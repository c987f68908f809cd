"""No personal data in the functions' logs: names, emails, amounts and bank accounts stay out."""

import json
import uuid

import pytest

from tests import files
from tests.e2e.conftest import RunningCloud, wait_for

pytestmark = pytest.mark.e2e


def test_flows_with_personal_data_leave_none_in_the_logs(office: RunningCloud) -> None:
    marker = uuid.uuid4().hex[:8]
    name, email, amount, account = (
        f"Quỳnh Markerson {marker}",
        f"pii-{marker}@example.com",
        "4321.98",
        f"99{marker}",
    )
    staff = {"authorization": f"Bearer {office.token()}"}

    invoice = {
        "customer": {"name": name, "email": email, "tax_id": f"TAX-{marker}"},
        "lines": [
            {"description": f"Service for {name}", "quantity": "1", "unit_price": amount, "tax_rate": "0"}
        ],
    }
    status, _, body = office.request("POST", "/invoices", invoice, headers=staff)
    assert status == 201
    created = json.loads(body)
    pay = {"amount": "1.00", "date": created["issue_date"], "method": "cash", "reference": f"ref {name}"}
    assert office.request("POST", f"/invoices/{created['id']}/payments", pay, headers=staff)[0] == 201
    bad = {**invoice, "lines": [{**invoice["lines"][0], "unit_price": "-1"}]}
    assert office.request("POST", "/invoices", bad, headers=staff)[0] == 422
    wait_for(lambda: office.get(f"/_local/outbox?to={email}"))

    employee = {"id": f"E-{marker}", "name": name, "email": email, "delivery": "pickup"}
    admin = {"authorization": f"Bearer {office.token('admin')}"}
    assert office.request("POST", "/employees", employee, headers=admin)[0] == 201
    number = str(900000 + int(marker, 16) % 100000)
    register = (
        "cheque_number,employee_id,employee_name,pay_date,net_amount,account_number\n"
        f"{number},E-{marker},{name},2026-11-20,{amount},{account}\nTOTAL,1,{amount}\n"
    )
    bucket = office.get("/_local/resources")["bucket"]
    office.client("s3").put_object(
        Bucket=bucket, Key=f"inbox/payroll/pii-{marker}.csv", Body=register.encode()
    )
    office.client("s3").put_object(Bucket=bucket, Key=f"inbox/{name}.pdf", Body=files.EXE)

    def settled() -> bool:
        _, _, raw = office.request("GET", "/documents?limit=200", headers=staff)
        names = {d["original_name"] for d in json.loads(raw)["items"]}
        return {f"pii-{marker}.csv", f"{name}.pdf"} <= names

    wait_for(settled, timeout=60)

    def cheque_ready() -> bool:
        _, _, raw = office.request("GET", "/payruns?limit=50", headers=staff)
        return any(run["total"] == amount for run in json.loads(raw)["items"])

    wait_for(cheque_ready, timeout=60)
    function_lines = [line for line in office.log().splitlines() if " | " in line]
    assert function_lines, "the functions logged nothing at all"
    for secret in (name, email, amount, account, marker):
        leaked = [line for line in function_lines if secret in line]
        assert not leaked, f"{secret!r} appears in the logs: {leaked[:2]}"
