"""Compliance against moto: the daily run's exactly-once reminders, escalation, completion, the feed."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from compliance.feed import feed
from compliance.model import CompleteRequest, ObligationFields, ObligationPatch, Status
from compliance.service import Compliance
from compliance.store import ObligationStore
from core.audit import history
from core.dynamo import Table
from core.errors import Conflict, Invalid
from core.identity import Caller
from core.mailer import Mailer
from infra.localcloud.provision import Clients
from infra.template import Template
from tests.integration.mail import sent_mail

NEW_YORK = ZoneInfo("America/New_York")
STAFF = Caller(subject="u-3", groups=frozenset({"staff"}))


@dataclass
class Office:
    service: Compliance
    moment: list[datetime]
    audit: Table

    def on(self, day: date, hour: int = 7) -> None:
        self.moment[0] = datetime(day.year, day.month, day.day, hour, 0, tzinfo=NEW_YORK).astimezone(UTC)

    def mail(self) -> list[Any]:
        return list(sent_mail())

    def subjects(self, to: str) -> list[str]:
        return [str(m["Subject"]) for m in self.mail() if to in str(m["To"])]


@pytest.fixture
def office(aws: tuple[Template, Clients]) -> Office:
    template, clients = aws
    moment = [datetime(2026, 11, 2, 12, tzinfo=UTC)]
    ticks = itertools.count()
    audit = template.physical_name("AuditTable")
    service = Compliance(
        store=ObligationStore(Table(template.physical_name("ComplianceTable"), clients.dynamodb), audit, 3),
        mailer=Mailer("backoffice@example.com", "Back Office", clients.sesv2),
        clock=lambda: moment[0] + timedelta(microseconds=next(ticks)),
        timezone=NEW_YORK,
        grace_days=3,
        closed_days=frozenset(),
        document_exists=lambda doc_id: doc_id == "doc_evidence",
    )
    return Office(service, moment, Table(audit, clients.dynamodb))


def vat(**changes: Any) -> ObligationFields:
    fields: dict[str, Any] = {
        "title": "Thai VAT return (PP.30)",
        "category": "tax_filing",
        "jurisdiction": "TH",
        "due_date": "2026-12-15",
        "recurrence": "FREQ=MONTHLY;BYMONTHDAY=15",
        "remind_days_before": [7, 1],
        "owner_email": "accounts@example.com",
        "escalation_email": "cfo@example.com",
        "business_day_rule": "next_business_day",
    }
    fields.update(changes)
    return ObligationFields.model_validate(fields)


def test_each_lead_reminder_goes_once_even_when_the_run_repeats(office: Office) -> None:
    office.service.create(vat(), STAFF)
    office.on(date(2026, 12, 8))
    assert office.service.daily()["lead"] == 1
    assert office.service.daily().get("lead", 0) == 0  # the same day again
    office.on(date(2026, 12, 14))
    office.service.daily()
    assert office.subjects("accounts@example.com") == [
        "Due in 7 days: Thai VAT return (PP.30)",
        "Due in 1 day: Thai VAT return (PP.30)",
    ]


def test_a_missed_day_is_caught_up_late_not_lost(office: Office) -> None:
    created = office.service.create(vat(), STAFF)
    office.on(date(2026, 12, 10))  # the runs of the 8th and 9th never happened
    office.service.daily()
    assert office.subjects("accounts@example.com") == ["Due in 5 days: Thai VAT return (PP.30)"]
    (sent,) = office.service.store.get(created.id).sent
    assert sent.key == "lead:7" and sent.late and sent.sent_at is not None


def test_overdue_notice_then_escalation_after_the_grace_period_then_weekly(office: Office) -> None:
    created = office.service.create(vat(remind_days_before=[]), STAFF)
    for day in range(16, 32):
        office.on(date(2026, 12, day))
        office.service.daily()
    obligation = office.service.store.get(created.id)
    assert obligation.status is Status.OVERDUE
    assert office.subjects("accounts@example.com") == ["OVERDUE: Thai VAT return (PP.30)"]
    escalations = office.subjects("cfo@example.com")
    assert len(escalations) == 2 and escalations[0].startswith("Escalation — overdue 3 days")
    assert escalations[1].startswith("Escalation — overdue 10 days")
    assert all("accounts@example.com" in str(m["Cc"]) for m in office.mail() if "cfo@" in str(m["To"]))


def test_a_run_that_died_after_claiming_is_finished_by_a_later_retry(office: Office) -> None:
    created = office.service.create(vat(), STAFF)
    office.on(date(2026, 12, 8))
    send = office.service.mailer.send
    office.service.mailer.send = lambda *a, **k: (_ for _ in ()).throw(TimeoutError("died"))  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        office.service.daily()
    office.service.mailer.send = send  # type: ignore[method-assign]
    assert office.service.daily().get("lead", 0) == 0  # a retry minutes later: the claim is fresh
    office.moment[0] += timedelta(minutes=20)
    assert office.service.daily()["lead"] == 1
    assert len(office.subjects("accounts@example.com")) == 1
    assert office.service.store.get(created.id).sent[0].sent_at is not None


def test_completion_records_evidence_and_rolls_forward_from_the_scheduled_date(office: Office) -> None:
    created = office.service.create(vat(), STAFF)
    assert created.effective_due_date == date(2026, 12, 15)
    done = office.service.complete(
        created.id,
        CompleteRequest(completed_on=date(2026, 12, 20), evidence_document_id="doc_evidence", note="late"),
        STAFF,
    )
    assert done.status is Status.COMPLETED and done.completed_by == "user:u-3" and done.next_id
    following = office.service.store.get(done.next_id)
    assert (
        following.due_date == date(2027, 1, 15)
        and following.occurrence == 2
        and following.series_id == created.id
    )
    after = office.service.complete(following.id, CompleteRequest(completed_on=date(2027, 1, 2)), STAFF)
    assert office.service.store.get(after.next_id or "").due_date == date(
        2027, 2, 15
    )  # Feb 15 2027 is Monday
    kinds = [e["kind"] for e in office.service.store.history(created.id)]
    assert kinds == ["created", "completed", "occurrence_created", "completed", "occurrence_created"]
    with pytest.raises(Conflict):
        office.service.complete(created.id, CompleteRequest(completed_on=date(2026, 12, 21)), STAFF)


def test_evidence_must_be_a_registered_document(office: Office) -> None:
    created = office.service.create(vat(), STAFF)
    with pytest.raises(Invalid):
        office.service.complete(
            created.id, CompleteRequest(completed_on=date(2026, 12, 1), evidence_document_id="doc_x"), STAFF
        )


def test_a_window_keeps_its_length_when_it_rolls_forward(office: Office) -> None:
    posting = vat(
        title="OSHA Form 300A posting",
        jurisdiction="US",
        window_start="2027-02-01",
        due_date="2027-04-30",
        recurrence="FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=30",
        business_day_rule="none",
    )
    created = office.service.create(posting, STAFF)
    done = office.service.complete(created.id, CompleteRequest(completed_on=date(2027, 4, 30)), STAFF)
    following = office.service.store.get(done.next_id or "")
    assert (following.window_start, following.due_date) == (date(2028, 2, 1), date(2028, 4, 30))


def test_editing_the_due_date_starts_reminders_over_and_archive_keeps_history(office: Office) -> None:
    created = office.service.create(vat(), STAFF)
    office.on(date(2026, 12, 8))
    office.service.daily()
    moved = office.service.edit(created.id, ObligationPatch(due_date=date(2027, 1, 15)), STAFF)
    assert moved.sent == [] and moved.effective_due_date == date(2027, 1, 15)
    archived = office.service.archive(created.id, STAFF)
    assert archived.status is Status.ARCHIVED
    assert office.service.store.get(created.id).status is Status.ARCHIVED
    assert [e["action"] for e in history(office.audit, "obligation", created.id)][-1] == "archived"


def test_a_run_just_after_midnight_on_the_dst_change_day_uses_the_local_date(office: Office) -> None:
    office.service.create(vat(due_date="2026-11-08", business_day_rule="none", remind_days_before=[7]), STAFF)
    office.moment[0] = datetime(
        2026, 11, 1, 4, 30, tzinfo=UTC
    )  # 00:30 EDT on 1 November, the day clocks go back
    assert office.service.today() == date(2026, 11, 1)
    assert office.service.daily()["lead"] == 1
    assert office.subjects("accounts@example.com") == ["Due in 7 days: Thai VAT return (PP.30)"]


def test_the_weekly_digest_lists_each_owner_s_next_30_days(office: Office) -> None:
    office.service.create(vat(), STAFF)
    office.service.create(
        vat(title="Fire extinguisher inspection", owner_email="safety@example.com", due_date="2027-03-01"),
        STAFF,
    )
    office.on(date(2026, 11, 23))
    assert office.service.digest() == 1
    (mail,) = office.mail()
    assert (
        mail["To"] == "accounts@example.com" and "Thai VAT return" in mail.get_body(("plain",)).get_content()
    )


def test_the_feed_is_valid_icalendar_with_recurrence(office: Office) -> None:
    office.service.create(vat(), STAFF)
    token = office.service.issue_feed_token(STAFF)
    assert office.service.feed_allowed(token) and not office.service.feed_allowed(token + "x")
    parsed = Calendar.from_ical(feed(office.service.upcoming(), "Back Office", office.moment[0]))
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 12, 15)
    assert event["rrule"]["FREQ"] == ["MONTHLY"]
    office.service.store.revoke_feed_token(token.split(".")[0], STAFF.subject, admin=False)
    assert not office.service.feed_allowed(token)
