"""Payroll end to end: a register dropped in the inbox becomes a pay run, cheques reach their owners."""

import json
import uuid
from typing import Any

import pytest

from tests import files
from tests.e2e.conftest import RunningCloud, wait_for

pytestmark = pytest.mark.e2e


def call(
    cloud: RunningCloud,
    method: str,
    path: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    token: str | None = None,
    **headers: str,
) -> tuple[int, Any]:
    auth = {"authorization": f"Bearer {token or cloud.token()}"}
    status, response_headers, data = cloud.request(method, path, body, raw=raw, headers={**auth, **headers})
    return status, json.loads(data) if data and "json" in response_headers.get("content-type", "") else data


def staff(cloud: RunningCloud, subject: str) -> str:
    return cloud.token("staff", subject=subject)


def register(prefix: str, source: str = "cheque-register-2026-11-20.csv") -> bytes:
    """The sample register with its own cheque numbers (so runs of different tests never collide)."""
    return (
        files.SAMPLES.joinpath(source)
        .read_text(encoding="utf-8")
        .replace("2045", prefix)
        .replace("2046", prefix)
        .encode()
    )


def drop(cloud: RunningCloud, name: str, data: bytes) -> dict[str, Any]:
    """Upload into inbox/payroll/ and wait for the pay run that intake's DocumentFiled event starts."""
    bucket = cloud.get("/_local/resources")["bucket"]
    cloud.client("s3").put_object(Bucket=bucket, Key=f"inbox/payroll/{name}", Body=data)

    def document() -> str | None:
        _, page = call(cloud, "GET", "/documents?limit=200")
        return next((d["id"] for d in page["items"] if d["original_name"] == name), None)

    document_id = wait_for(document, timeout=60)

    def run() -> dict[str, Any] | None:
        status, found = call(cloud, "GET", f"/payruns/{document_id}")
        return found if status == 200 else None

    return dict(wait_for(run, timeout=60))


@pytest.fixture(scope="module")
def employees(office: RunningCloud) -> None:
    data = files.SAMPLES.joinpath("employees.csv").read_bytes()
    admin = office.token("admin", subject="payroll-admin")
    status, result = call(
        office, "POST", "/employees/import", raw=data, token=admin, **{"content-type": "text/csv"}
    )
    assert status == 200, result


def test_a_register_in_the_inbox_becomes_a_pay_run_that_reaches_every_employee(
    office: RunningCloud, employees: None
) -> None:
    run = drop(office, f"register-{uuid.uuid4().hex[:6]}.csv", register("3045"))
    assert run["status"] == "imported" and run["cheque_count"] == 8 and run["total"] == "17268.00"
    assert run["reconciliation"]["balanced"] is True

    clerk_a, clerk_b = staff(office, "clerk-a"), staff(office, "clerk-b")
    status, received = call(office, "POST", f"/payruns/{run['id']}/receive", token=clerk_a)
    assert status == 200 and received["status"] == "received"
    inbox = wait_for(
        lambda: [m for m in office.get("/_local/outbox?to=lan.nguyen@example.com") if "ready" in m["subject"]]
    )
    assert inbox[0]["subject"] == "Your pay cheque is ready for pickup"

    _, cheques = call(office, "GET", f"/cheques?payrun={run['id']}&status=ready")
    lan = next(c for c in cheques["items"] if c["employee_id"] == "E-1001")
    handover = {"received_by": "Nguyễn Thị Lan", "method": "photo_id"}
    status, problem = call(office, "POST", f"/cheques/{lan['id']}/handover", handover, token=clerk_a)
    assert status == 409 and problem["type"].endswith("segregation-of-duties")
    status, handed = call(office, "POST", f"/cheques/{lan['id']}/handover", handover, token=clerk_b)
    assert (
        status == 200 and handed["status"] == "handed_over" and handed["history"][-1]["by"] == "user:clerk-b"
    )
    status, problem = call(
        office, "POST", f"/cheques/{lan['id']}/void", {"reason": "second try"}, token=clerk_b
    )
    assert status == 200  # a handed-over cheque can still be stopped before it is cashed
    status, problem = call(office, "POST", f"/cheques/{lan['id']}/handover", handover, token=clerk_b)
    assert status == 409 and problem["type"].endswith("illegal-transition")

    minh = next(c for c in cheques["items"] if c["employee_id"] == "E-1002")
    supervisor = office.token("admin", subject="supervisor")  # a new cheque number is an admin's call
    status, reissued = call(
        office, "POST", f"/cheques/{minh['id']}/reissue", {"new_cheque_number": "3045990"}, token=supervisor
    )
    assert (
        status == 201 and reissued["voided"]["status"] == "void" and reissued["reissued"]["status"] == "ready"
    )
    status, positive_pay = call(office, "GET", f"/payruns/{run['id']}/positive-pay")
    lines = positive_pay.decode().splitlines()
    assert f"000123456789,{minh['cheque_number']},2026-11-20,1520.00,Trần Văn Minh,V" in lines
    assert "000123456789,3045990,2026-11-20,1520.00,Trần Văn Minh,I" in lines


def test_an_employee_sees_only_their_own_cheques(office: RunningCloud, employees: None) -> None:
    run = drop(office, f"register-{uuid.uuid4().hex[:6]}.csv", register("5045"))
    call(office, "POST", f"/payruns/{run['id']}/receive", token=staff(office, "clerk-a"))
    somsri = office.token("employee", employee_id="E-1003")
    status, mine = call(office, "GET", "/me/cheques", token=somsri)
    assert status == 200 and {c["employee_id"] for c in mine["items"]} == {"E-1003"}
    _, all_cheques = call(office, "GET", f"/cheques?payrun={run['id']}")
    other = next(c for c in all_cheques["items"] if c["employee_id"] == "E-1004")
    assert call(office, "GET", f"/cheques/{other['id']}", token=somsri)[0] == 403
    assert call(office, "POST", f"/me/cheques/{other['id']}/acknowledge", token=somsri)[0] == 404
    own = next(c for c in mine["items"] if c["payrun_id"] == run["id"])
    status, acknowledged = call(office, "POST", f"/me/cheques/{own['id']}/acknowledge", token=somsri)
    assert status == 200 and acknowledged["status"] == "handed_over"
    assert call(office, "GET", "/employees", token=somsri)[0] == 403


def test_a_register_with_a_wrong_control_total_is_rejected_with_the_line(
    office: RunningCloud, employees: None
) -> None:
    run = drop(
        office, f"bad-{uuid.uuid4().hex[:6]}.csv", register("6045", "cheque-register-bad-control-total.csv")
    )
    assert run["status"] == "rejected" and run["cheque_count"] == 8
    assert run["problems"][0]["line"] == 10 and "control total" in run["problems"][0]["message"]


def test_the_daily_run_marks_an_uncollected_cheque_stale(office: RunningCloud, employees: None) -> None:
    run = drop(office, f"register-{uuid.uuid4().hex[:6]}.csv", register("7045"))
    call(office, "POST", f"/payruns/{run['id']}/receive", token=staff(office, "clerk-a"))
    result = office.cli("schedule", "backoffice-local-cheques-daily", "--at", "2027-05-20T09:00")
    assert result.returncode == 0, result.stdout + result.stderr
    _, stale = call(office, "GET", f"/cheques?payrun={run['id']}&status=stale")
    assert len(stale["items"]) == 8
    assert any(
        "Stale cheque 7045" in m["subject"] for m in office.get("/_local/outbox?to=office@example.com")
    )


def test_cheques_can_be_listed_across_runs_by_status(office: RunningCloud, employees: None) -> None:
    run = drop(office, f"register-{uuid.uuid4().hex[:6]}.csv", register("8045"))
    call(office, "POST", f"/payruns/{run['id']}/receive", token=staff(office, "clerk-a"))
    status, ready = call(office, "GET", "/cheques?status=ready")
    assert status == 200 and all(c["status"] == "ready" for c in ready["items"])
    assert sum(c["payrun_id"] == run["id"] for c in ready["items"]) == 8
