"""Finding 4: one segregation-of-duties rule for every custody step of a cheque. Finding 6: no
spreadsheet formula reaches the bank's Positive Pay file."""

import uuid
from typing import Any

import pytest

from tests.e2e.conftest import RunningCloud, cheque_numbers
from tests.security.helpers import call, document_named, person, put, run_of

pytestmark = pytest.mark.e2e

EMPLOYEES = (
    "id,name,email,department,delivery\n"
    "E-2001,Nguyễn Thị Lan,lan.sec@example.com,Accounts,pickup\n"
    "E-2002,Trần Văn Minh,minh.sec@example.com,Warehouse,mail\n"
)


def dropped_run(
    cloud: RunningCloud, rows: list[tuple[str, str, str, str]], account: str = ""
) -> dict[str, Any]:
    """A register (cheque number, employee id, name, amount; the account they are drawn on, if
    named) put into the inbox; its pay run."""
    lines = ["cheque_number,employee_id,employee_name,pay_date,net_amount,account_number"]
    lines += [f"{n},{e},{name},2026-11-20,{amount},{account}" for n, e, name, amount in rows]
    total = sum(float(r[3]) for r in rows)
    lines.append(f"TOTAL,{len(rows)},{total:.2f}")
    name = f"register-{uuid.uuid4().hex[:8]}.csv"
    put(cloud, f"inbox/payroll/{name}", ("\n".join(lines) + "\n").encode())
    return run_of(cloud, document_named(cloud, name)["id"])


@pytest.fixture(scope="module")
def staffed(office: RunningCloud) -> None:
    status, _ = call(
        office,
        "POST",
        "/employees/import",
        raw=EMPLOYEES.encode(),
        token=person(office, "payroll-admin", "admin"),
        **{"content-type": "text/csv"},
    )
    assert status == 200


def numbers() -> list[str]:
    return cheque_numbers(3)


def test_whoever_received_the_bundle_cannot_mail_link_or_reissue_its_cheques(
    office: RunningCloud, staffed: None
) -> None:
    one, two, three = numbers()
    run = dropped_run(
        office,
        [
            (one, "E-2001", "Nguyễn Thị Lan", "100.00"),
            (two, "E-2002", "Trần Văn Minh", "200.00"),
            (three, "E-9999", "Somebody Unknown", "300.00"),
        ],
    )
    receiver, colleague = person(office, "receiver"), person(office, "colleague")
    status, _ = call(office, "POST", f"/payruns/{run['id']}/receive", token=receiver)
    assert status == 200
    _, cheques = call(office, "GET", f"/cheques?payrun={run['id']}")
    by_number = {c["cheque_number"]: c for c in cheques["items"]}
    minh, stray = by_number[two], by_number[three]

    status, problem = call(office, "POST", f"/cheques/{minh['id']}/mail", {"tracking": "EE1"}, token=receiver)
    assert status == 409 and problem["type"].endswith("segregation-of-duties")
    status, problem = call(
        office, "POST", f"/cheques/{stray['id']}/link", {"employee_id": "E-2001"}, token=receiver
    )
    assert status == 409 and problem["type"].endswith("segregation-of-duties")
    receiving_admin = person(office, "receiver", "admin")  # the same person, with the admin role
    status, problem = call(
        office,
        "POST",
        f"/cheques/{minh['id']}/reissue",
        {"new_cheque_number": "9" + two},
        token=receiving_admin,
    )
    assert status == 409 and problem["type"].endswith("segregation-of-duties")

    # a colleague links the stray cheque; the linker may not then hand it out, a third person may
    status, linked = call(
        office, "POST", f"/cheques/{stray['id']}/link", {"employee_id": "E-2001"}, token=colleague
    )
    assert status == 200 and linked["status"] == "ready"
    handover = {"received_by": "Nguyễn Thị Lan", "method": "photo_id"}
    status, problem = call(office, "POST", f"/cheques/{stray['id']}/handover", handover, token=colleague)
    assert status == 409 and "linked" in problem["detail"]
    status, handed = call(
        office, "POST", f"/cheques/{stray['id']}/handover", handover, token=person(office, "third")
    )
    assert status == 200 and handed["status"] == "handed_over"
    status, mailed = call(office, "POST", f"/cheques/{minh['id']}/mail", {"tracking": "EE1"}, token=colleague)
    assert status == 200 and mailed["status"] == "mailed"


def test_no_bank_file_while_a_cheque_matches_no_employee(office: RunningCloud, staffed: None) -> None:
    one, two, _ = numbers()
    run = dropped_run(
        office, [(one, "E-2001", "Nguyễn Thị Lan", "100.00"), (two, "E-7777", "Nobody Here", "9500.00")]
    )
    status, _ = call(office, "POST", f"/payruns/{run['id']}/receive", token=person(office, "receiver"))
    assert status == 200
    status, problem = call(office, "GET", f"/payruns/{run['id']}/positive-pay")
    assert status == 409 and problem["unmatched"] == [two] and two in problem["detail"]
    _, received = call(office, "GET", f"/payruns/{run['id']}")
    assert received["exports"] == []  # the bank was told nothing yet

    _, cheques = call(office, "GET", f"/cheques?payrun={run['id']}&status=unmatched")
    (stray,) = cheques["items"]
    status, _ = call(
        office,
        "POST",
        f"/cheques/{stray['id']}/void",
        {"reason": "not our employee"},
        token=person(office, "b"),
    )
    assert status == 200
    status, bank_file = call(office, "GET", f"/payruns/{run['id']}/positive-pay")
    assert status == 200
    lines = bank_file.decode().splitlines()
    assert any(f",{one}," in line and line.endswith(",I") for line in lines)
    assert any(f",{two}," in line and line.endswith(",V") for line in lines)
    _, exported = call(office, "GET", f"/payruns/{run['id']}")
    assert len(exported["exports"]) == 1


@pytest.mark.parametrize("payee", ['=HYPERLINK("http://x.example","Pay me")', "+1+1", "-2+3", "@SUM(1)"])
def test_a_payee_that_a_spreadsheet_would_run_is_refused_with_its_line(
    office: RunningCloud, payee: str
) -> None:
    (number, *_) = numbers()
    quoted = '"' + payee.replace('"', '""') + '"'
    run = dropped_run(office, [(number, "E-2001", quoted, "10.00")])
    assert run["status"] == "rejected"
    assert {
        "line": 2,
        "field": "employee_name",
        "message": "may not begin with =, +, -, @, a tab or a carriage return",
    } in run["problems"]


FORMULAS = ['"=HYPERLINK(""http://x.example"",""Pay me"")"', "+1+1", "-2+3", "@SUM(1)"]


@pytest.mark.parametrize("account", FORMULAS)
def test_an_account_number_that_a_spreadsheet_would_run_is_refused_with_its_line(
    office: RunningCloud, account: str
) -> None:
    (number, *_) = numbers()
    run = dropped_run(office, [(number, "E-2001", "Nguyễn Thị Lan", "10.00")], account)
    assert run["status"] == "rejected"
    assert {
        "line": 2,
        "field": "account_number",
        "message": "may not begin with =, +, -, @, a tab or a carriage return",
    } in run["problems"]
