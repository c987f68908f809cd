"""Payroll against moto: register import, hand-overs, chasing, void and reissue, the bank side."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.audit import history
from core.dynamo import Table
from core.errors import Conflict, NotFound
from core.identity import Caller
from core.mailer import Mailer
from core.statements import StatementLine
from core.storage import ObjectStore
from infra.localcloud.provision import Clients
from infra.template import Template
from payroll.model import ChequeStatus, Handover, RegisterSource, ReissueRequest, RunStatus
from payroll.positive_pay import Layout
from payroll.service import Payroll
from payroll.store import PayrollStore
from tests import files
from tests.integration.mail import sent_mail

NEW_YORK = ZoneInfo("America/New_York")
RECEIVER = Caller(subject="clerk-a", groups=frozenset({"staff"}))
HANDER = Caller(subject="clerk-b", groups=frozenset({"staff"}))
UPLOADED = RegisterSource(
    source="s3", by="s3:unknown", trusted=True, reason="put into the bucket by the office"
)
REGISTER = files.SAMPLES.joinpath("cheque-register-2026-11-20.csv").read_bytes()


@dataclass
class Office:
    payroll: Payroll
    s3: Any
    bucket: str
    moment: list[datetime]
    audit: Table

    def on(self, day: date) -> None:
        self.moment[0] = datetime(day.year, day.month, day.day, 9, tzinfo=NEW_YORK).astimezone(UTC)

    def file(self, name: str, data: bytes) -> str:
        key = f"documents/payroll_register/2026/11/{name}.csv"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
        return key

    def mail(self, to: str | None = None) -> list[Any]:
        return list(sent_mail(to))

    def imported(self) -> str:
        run = self.payroll.import_register("doc_run1", self.file("doc_run1", REGISTER), UPLOADED)
        assert run and run.status is RunStatus.IMPORTED
        return run.id

    def cheque(self, run_id: str, number: str) -> Any:
        return next(c for c in self.payroll.store.cheques_of_run(run_id) if c.cheque_number == number)


@pytest.fixture
def office(aws: tuple[Template, Clients]) -> Office:
    template, clients = aws
    moment = [datetime(2026, 11, 20, 15, tzinfo=UTC)]
    ticks = itertools.count()
    bucket = template.physical_name("DocumentsBucket")
    audit = template.physical_name("AuditTable")
    payroll = Payroll(
        store=PayrollStore(Table(template.physical_name("PayrollTable"), clients.dynamodb), audit),
        files=ObjectStore(bucket, clients.s3),
        mailer=Mailer("backoffice@example.com", "Back Office", clients.sesv2),
        clock=lambda: moment[0] + timedelta(microseconds=next(ticks)),
        timezone=NEW_YORK,
        default_currency="USD",
        default_account="000123456789",
        layout=Layout.parse(""),
        reminder_days=(2, 5),
        separate_handover=True,
        office_email="office@example.com",
        dormancy_days=365,
    )
    employees = files.SAMPLES.joinpath("employees.csv").read_text(encoding="utf-8")
    assert payroll.import_employees(employees, RECEIVER)["created"] >= 8
    return Office(payroll, clients.s3, bucket, moment, Table(audit, clients.dynamodb))


def test_a_register_becomes_a_pay_run_with_one_cheque_per_row_once(office: Office) -> None:
    run_id = office.imported()
    again = office.payroll.import_register(
        "doc_run1", "documents/payroll_register/2026/11/doc_run1.csv", UPLOADED
    )
    assert again and again.id == run_id
    cheques = office.payroll.store.cheques_of_run(run_id)
    assert len(cheques) == 8 and {c.status for c in cheques} == {ChequeStatus.RECEIVED}
    summary = office.payroll.summary(run_id)
    assert summary["reconciliation"] == {
        "control_total": "17268.00",
        "cheques_total": "17268.00",
        "balanced": True,
    }


def test_a_bad_register_is_rejected_whole_and_the_office_is_told(office: Office) -> None:
    bad = files.SAMPLES.joinpath("cheque-register-bad-control-total.csv").read_bytes()
    run = office.payroll.import_register("doc_bad", office.file("doc_bad", bad), UPLOADED)
    assert run and run.status is RunStatus.REJECTED and run.problems[0].line == 10
    assert office.payroll.store.cheques_of_run("doc_bad") == []
    (mail,) = office.mail("office@example.com")
    assert "line 10" in mail.get_body(("plain",)).get_content()


def test_a_cheque_number_used_by_an_earlier_run_rejects_the_new_one(office: Office) -> None:
    office.imported()
    run = office.payroll.import_register("doc_again", office.file("doc_again", REGISTER), UPLOADED)
    assert run and run.status is RunStatus.REJECTED
    assert len(run.problems) == 8 and "already issued" in run.problems[0].message


def test_an_unknown_employee_does_not_block_the_run(office: Office) -> None:
    text = REGISTER.decode().replace("E-1008", "E-9999")
    run = office.payroll.import_register("doc_unknown", office.file("doc_unknown", text.encode()), UPLOADED)
    assert run and run.status is RunStatus.IMPORTED
    stray = office.cheque(run.id, "204508")
    assert stray.status is ChequeStatus.UNMATCHED and stray.employee_id is None
    office.payroll.receive(run.id, RECEIVER)
    linked = office.payroll.link(stray.id, "E-1008", HANDER)
    assert linked.status is ChequeStatus.READY and linked.employee_id == "E-1008"


def test_receiving_the_bundle_readies_cheques_emails_employees_and_writes_positive_pay(
    office: Office,
) -> None:
    run_id = office.imported()
    run = office.payroll.receive(run_id, RECEIVER)
    assert run.status is RunStatus.RECEIVED and run.received_by == "user:clerk-a"
    assert {c.status for c in office.payroll.store.cheques_of_run(run_id)} == {ChequeStatus.READY}
    pickup = office.mail("lan.nguyen@example.com")
    assert [str(m["Subject"]) for m in pickup] == ["Your pay cheque is ready for pickup"]
    assert [str(m["Subject"]) for m in office.mail("prasert.w@example.com")] == [
        "Your pay cheque will be mailed"
    ]
    (export,) = run.exports
    body = office.s3.get_object(Bucket=office.bucket, Key=export)["Body"].read().decode()
    assert len(body.splitlines()) == 9 and "204501,2026-11-20,1843.20,Nguyễn Thị Lan,I" in body
    with pytest.raises(Conflict):
        office.payroll.receive(run_id, RECEIVER)


def test_hand_over_needs_a_second_person_and_is_audited(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)
    cheque = office.cheque(run_id, "204501")
    with pytest.raises(Conflict) as same:
        office.payroll.handover(
            cheque.id, Handover(received_by="Nguyễn Thị Lan", method="photo_id"), RECEIVER
        )
    assert same.value.slug == "segregation-of-duties"
    handed = office.payroll.handover(
        cheque.id, Handover(received_by="Nguyễn Thị Lan", method="photo_id"), HANDER
    )
    assert handed.status is ChequeStatus.HANDED_OVER and handed.history[-1].by == "user:clerk-b"
    with pytest.raises(Conflict):
        office.payroll.handover(cheque.id, Handover(received_by="someone else", method="photo_id"), HANDER)
    assert history(office.audit, "cheque", cheque.id)[-1]["action"] == "handover"


def test_an_employee_acknowledges_only_their_own_cheque(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)
    lan = Caller(subject="lan", groups=frozenset({"employee"}), employee_id="E-1001")
    theirs, other = office.cheque(run_id, "204501"), office.cheque(run_id, "204502")
    with pytest.raises(NotFound):
        office.payroll.acknowledge(other.id, lan)
    assert office.payroll.acknowledge(theirs.id, lan).status is ChequeStatus.HANDED_OVER
    assert [c.cheque_number for c in office.payroll.store.cheques_of_employee("E-1001")] == ["204501"]


def test_void_and_reissue_tell_the_bank(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)
    lost = office.cheque(run_id, "204503")
    voided, fresh = office.payroll.reissue(
        lost.id, ReissueRequest(new_cheque_number="204599", reason="lost"), HANDER
    )
    assert voided.status is ChequeStatus.VOID and voided.replaced_by == fresh.id
    assert fresh.status is ChequeStatus.READY and fresh.replaces == lost.id and fresh.amount == lost.amount
    with pytest.raises(Conflict):
        office.payroll.void(lost.id, "twice", HANDER)
    with pytest.raises(Conflict):
        office.payroll.reissue(
            office.cheque(run_id, "204504").id, ReissueRequest(new_cheque_number="204599"), HANDER
        )
    exports = office.s3.list_objects_v2(Bucket=office.bucket, Prefix="exports/positive-pay/")["Contents"]
    latest = (
        office.s3.get_object(Bucket=office.bucket, Key=sorted(e["Key"] for e in exports)[-1])["Body"]
        .read()
        .decode()
    )
    assert ",204503,2026-11-20,1398.75," in latest and latest.count("\n") == 3  # header, V old, I new
    assert office.payroll.summary(run_id)["reconciliation"]["balanced"] is True


def test_the_daily_run_reminds_once_per_stage_marks_stale_and_closes_finished_runs(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)  # ready on Friday 20 November
    office.on(date(2026, 11, 24))  # Tuesday: 2 business days
    assert office.payroll.daily()["reminders"] == 8
    assert office.payroll.daily().get("reminders", 0) == 0
    reminders = [m for m in office.mail("lan.nguyen@example.com") if "waiting" in str(m["Subject"])]
    assert len(reminders) == 1
    for cheque in office.payroll.store.cheques_of_run(run_id):
        if cheque.cheque_number != "204501":
            office.payroll.handover(
                cheque.id, Handover(received_by=cheque.employee_name, method="photo_id"), HANDER
            )
    office.on(date(2027, 5, 20))
    assert office.payroll.daily()["stale"] == 1
    stale = office.cheque(run_id, "204501")
    assert stale.status is ChequeStatus.STALE
    assert any("Stale cheque 204501" in str(m["Subject"]) for m in office.mail("office@example.com"))
    office.payroll.void(stale.id, "employee left; wages paid by transfer", HANDER)
    assert office.payroll.daily().get("closed") == 1
    assert office.payroll.store.run(run_id).status is RunStatus.CLOSED


def test_bank_paid_items_cash_matching_cheques_and_list_mismatches(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)
    paid = (
        "cheque_number,amount,paid_date\n"
        "204501,1843.20,2026-11-25\n204502,1500.00,2026-11-25\n999999,1.00,2026-11-25\n"
    )
    result = office.payroll.paid_items(paid, RECEIVER)
    assert result["cashed"] == ["204501"]
    assert [m["cheque_number"] for m in result["mismatches"]] == ["204502", "999999"]
    assert office.cheque(run_id, "204501").status is ChequeStatus.CASHED
    assert office.cheque(run_id, "204502").status is ChequeStatus.READY


def test_a_bank_statement_s_debits_cash_the_cheques_they_name_once(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)
    account = office.payroll.default_account

    def debit(text: str, amount: str) -> StatementLine:
        return StatementLine(text, date(2026, 11, 25), -Decimal(amount), "USD", text, None, account)

    lines = [
        debit("Cheque 204501", "1843.20"),  # its number and its amount
        debit("CHQ 204502 cleared", "1500.00"),  # its number, another amount: left for a person
        debit("Card payment 5521", "40.00"),  # no cheque
        StatementLine("in", date(2026, 11, 25), Decimal("99.00"), "USD", "204503", None, account),  # money in
    ]
    assert office.payroll.cleared(lines, RECEIVER) == {"cashed": 1, "seen_before": 0, "not_cheques": 2}
    assert office.cheque(run_id, "204501").status is ChequeStatus.CASHED
    assert office.cheque(run_id, "204502").status is ChequeStatus.READY
    assert office.payroll.cleared(lines[:1], RECEIVER) == {"cashed": 0, "seen_before": 1, "not_cheques": 0}


def test_unclaimed_wages_get_a_due_diligence_letter_once(office: Office) -> None:
    run_id = office.imported()
    office.payroll.receive(run_id, RECEIVER)
    office.on(date(2027, 11, 22))
    first = office.payroll.daily()
    assert first["due_diligence"] == 8 and office.payroll.daily().get("due_diligence", 0) == 0
    assert len(office.payroll.unclaimed()) == 8
    assert len([m for m in office.mail("lan.nguyen@example.com") if "Unclaimed" in str(m["Subject"])]) == 1
