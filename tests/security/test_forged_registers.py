"""Finding 1: a forged email must never become a cheque the bank honours, nor take the cheque numbers
of the genuine register. Finding 7: a file name with a line break must not lose the message."""

import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningCloud, cheque_numbers, wait_for
from tests.security.conftest import PAYROLL_PROVIDER
from tests.security.helpers import call, document_named, mail, person, put, run_of

pytestmark = pytest.mark.e2e


def forged_register(numbers: str) -> bytes:
    """The review's register: one cheque for 9,500.00 to someone who works nowhere here."""
    return (
        "cheque_number,employee_id,employee_name,pay_date,net_amount,currency\n"
        f"{numbers},E-6666,Mallory Outsider,2026-12-20,9500.00,USD\n"
        "TOTAL,1,9500.00\n"
    ).encode()


def test_a_register_emailed_by_an_outsider_is_quarantined_and_takes_no_cheque_numbers(
    office: RunningCloud, tmp_path: Path
) -> None:
    number = cheque_numbers()[0]
    name = f"payroll-december-{number}.csv"
    mail(office, tmp_path, "Payroll Team <payroll@provider.example>", name, forged_register(number))

    document = document_named(office, name)
    assert document["status"] == "quarantined" and document["reason_code"] == "untrusted_register"
    assert document["type"] == "payroll_register"
    assert document["provenance"]["source"] == "email" and document["provenance"]["trusted"] is False
    assert document["mail"]["dmarc"] == "PASS"  # SES's verdicts are kept with the document
    status, _ = call(office, "GET", f"/payruns/{document['id']}")
    assert status == 404

    # the genuine register with the same cheque number, put into the inbox by the office, still imports
    genuine = forged_register(number).replace(b"E-6666,Mallory Outsider", b"E-1001,Lan Nguyen")
    put(office, f"inbox/payroll/genuine-{number}.csv", genuine)
    run = run_of(office, document_named(office, f"genuine-{number}.csv")["id"])
    assert run["status"] == "imported", run["problems"]
    assert run["provenance"]["source"] == "s3" and run["provenance"]["trusted"] is True


def test_a_register_from_the_listed_provider_whose_domain_vouched_for_it_becomes_a_pay_run(
    office: RunningCloud, tmp_path: Path
) -> None:
    number = cheque_numbers()[0]
    genuine = forged_register(number).replace(b"E-6666,Mallory Outsider", b"E-1003,Somsri K")
    mail(office, tmp_path, f"Payroll <{PAYROLL_PROVIDER}>", f"payroll-{number}.csv", genuine)
    run = run_of(office, document_named(office, f"payroll-{number}.csv")["id"])
    assert run["status"] == "imported"
    assert run["provenance"]["source"] == "email" and run["provenance"]["by"] == f"mail:{PAYROLL_PROVIDER}"

    # the same provider, but SES could not verify the domain: quarantined, no run
    other = str(int(number) + 1)
    mail(
        office,
        tmp_path,
        PAYROLL_PROVIDER,
        f"payroll-{other}.csv",
        genuine.replace(number.encode(), other.encode()),
        "--dkim",
        "fail",
    )
    document = document_named(office, f"payroll-{other}.csv")
    assert document["reason_code"] == "untrusted_register" and "DMARC" in document["reason"]


def test_mail_that_fails_dmarc_is_quarantined_as_spoofed_and_nothing_is_unpacked(
    office: RunningCloud, tmp_path: Path
) -> None:
    name = f"register-{uuid.uuid4().hex[:6]}.csv"
    mail(office, tmp_path, "ceo@office.example", name, forged_register("700001"), "--dmarc", "fail")

    def quarantined() -> dict | None:
        _, page = call(office, "GET", "/documents?status=quarantined&limit=200")
        return next((d for d in page["items"] if d["original_name"] == f"{name} attached.eml"), None)

    message = wait_for(quarantined, timeout=60)
    assert message["reason_code"] == "spoofed_sender" and message["mail"]["dmarc"] == "FAIL"
    _, page = call(office, "GET", "/documents?limit=200")
    assert name not in {d["original_name"] for d in page["items"]}
    admin = person(office, "security-admin", "admin")
    status, problem = call(office, "POST", f"/documents/{message['id']}/release", {}, token=admin)
    assert status == 409 and problem["params"]["reason"] == "spoofed_sender"  # the code, for programs
    assert "spoofed sender" in problem["detail"]  # the words, for people


def test_an_admin_may_vouch_for_a_quarantined_register_and_the_run_says_so(
    office: RunningCloud, tmp_path: Path
) -> None:
    number = cheque_numbers()[0]
    name = f"payroll-{number}.csv"
    register = forged_register(number).replace(b"E-6666,Mallory Outsider", b"E-1002,Minh Tran")
    mail(office, tmp_path, "payroll@provider.example", name, register)
    document = document_named(office, name)
    clerk = person(office, "security-clerk")
    status, _ = call(office, "POST", f"/documents/{document['id']}/release", {}, token=clerk)
    assert status == 403
    status, _ = call(
        office, "POST", f"/documents/{document['id']}/reclassify", {"type": "other"}, token=clerk
    )
    assert status == 409  # only filed documents are reclassified; this one is quarantined

    admin = person(office, "security-admin", "admin")
    status, released = call(office, "POST", f"/documents/{document['id']}/release", {}, token=admin)
    assert status == 200 and released["type"] == "payroll_register"
    run = run_of(office, document["id"])
    assert run["status"] == "imported"
    assert run["provenance"] == {
        "source": "released",
        "by": "user:security-admin",
        "trusted": True,
        "reason": "released from quarantine by an admin",
    }


def test_an_attachment_named_with_a_line_break_is_filed_under_a_clean_name(
    office: RunningCloud, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    raw = (  # RFC 2231 lets a sender put any byte in a file name, CR and LF included
        "From: vendor@supplier.example\r\nTo: documents@office.example\r\nSubject: notes\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: text/plain\r\n\r\nattached\r\n--b\r\nContent-Type: text/csv\r\n"
        f"Content-Disposition: attachment; filename*=UTF-8''notes-{tag}%0D%0AX-Evil%3A%201.csv\r\n\r\n"
        "item,qty\r\npens,4\r\n--b--\r\n"
    )
    path = tmp_path / "crlf.eml"
    path.write_bytes(raw.encode())
    assert office.cli("mail", str(path)).returncode == 0
    document = document_named(office, f"notes-{tag} X-Evil: 1.csv")
    assert document["status"] == "filed" and "\n" not in document["key"]
    assert document["provenance"]["source"] == "email"
