"""Compliance end to end: CSV import, daily runs at chosen dates, completion with evidence, the feed."""

import json
import urllib.request
import uuid
from typing import Any

import pytest
from icalendar import Calendar

from tests import files
from tests.e2e.conftest import RunningCloud, wait_for

pytestmark = pytest.mark.e2e


def call(
    cloud: RunningCloud, method: str, path: str, body: Any = None, raw: bytes | None = None, **headers: str
) -> tuple[int, Any]:
    status, response_headers, data = cloud.request(
        method, path, body, raw=raw, headers={"authorization": f"Bearer {cloud.token()}", **headers}
    )
    return status, json.loads(data) if data and "json" in response_headers.get("content-type", "") else data


def obligation(owner: str, **changes: Any) -> dict[str, Any]:
    body = {
        "title": "Thai social security contribution",
        "category": "payroll_tax",
        "jurisdiction": "TH",
        "due_date": "2027-03-15",
        "recurrence": "FREQ=MONTHLY;BYMONTHDAY=15",
        "remind_days_before": [7, 1],
        "owner_email": owner,
        "escalation_email": "cfo-" + owner.replace("@example.com", "@head-office.example"),
        "business_day_rule": "next_business_day",
    }
    body.update(changes)
    return body


def run_daily(cloud: RunningCloud, at: str) -> dict[str, Any]:
    result = cloud.cli("schedule", "backoffice-local-compliance-daily", "--at", at)
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(json.loads(result.stdout))


def subjects(cloud: RunningCloud, to: str) -> list[str]:
    return [m["subject"] for m in reversed(cloud.get(f"/_local/outbox?to={to}"))]


def test_the_sample_calendar_imports_once(office: RunningCloud) -> None:
    text = files.SAMPLES.joinpath("compliance-calendar.csv").read_bytes()
    status, result = call(office, "POST", "/obligations/import", raw=text, **{"content-type": "text/csv"})
    assert status == 201 and result["created"] == 8
    vat = next(o for o in result["items"] if o["title"] == "Thai VAT return (PP.30)")
    assert vat["effective_due_date"] == "2026-12-15" and vat["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=15"
    status, again = call(office, "POST", "/obligations/import", raw=text, **{"content-type": "text/csv"})
    assert status == 201 and again["created"] == 0 and again["skipped"] == 8


def test_a_broken_calendar_is_refused_whole_with_problems_by_line(office: RunningCloud) -> None:
    text = "title,due_date,owner_email\nGood,2027-01-01,a@example.com\nBad,2027-13-01,not-an-email\n"
    status, problem = call(
        office, "POST", "/obligations/import", raw=text.encode(), **{"content-type": "text/csv"}
    )
    assert status == 422 and {e["line"] for e in problem["errors"]} == {3}


def test_reminders_escalation_and_completion_through_daily_runs(office: RunningCloud) -> None:
    owner = f"payroll-{uuid.uuid4().hex[:6]}@example.com"
    status, created = call(office, "POST", "/obligations", obligation(owner))
    assert status == 201 and created["status"] == "upcoming"

    run_daily(office, "2027-03-08T00:30")
    run_daily(office, "2027-03-08T00:30")  # run twice: one email
    assert subjects(office, owner) == ["Due in 7 days: Thai social security contribution"]
    run_daily(office, "2027-03-16T00:30")
    run_daily(office, "2027-03-19T00:30")  # 4 days late: grace of 3 is over
    assert "OVERDUE: Thai social security contribution" in subjects(office, owner)
    escalations = wait_for(
        lambda: subjects(office, "cfo-" + owner.replace("@example.com", "@head-office.example"))
    )
    assert escalations[0].startswith("Escalation — overdue 4 days")

    put = office.client("s3").put_object
    put(
        Bucket=office.get("/_local/resources")["bucket"],
        Key="inbox/sso-receipt-march.pdf",
        Body=files.pdf("Receipt SSO March"),
    )

    def evidence() -> str | None:
        _, page = call(office, "GET", "/documents?limit=200")
        return next((d["id"] for d in page["items"] if d["original_name"] == "sso-receipt-march.pdf"), None)

    document_id = wait_for(evidence, timeout=60)
    body = {
        "completed_on": "2027-03-19",
        "evidence_document_id": document_id,
        "note": "Paid at the SSO office",
    }
    status, done = call(office, "POST", f"/obligations/{created['id']}/complete", body)
    assert status == 200 and done["status"] == "completed" and done["evidence_document_id"] == document_id
    status, following = call(office, "GET", f"/obligations/{done['next_id']}")
    assert following["due_date"] == "2027-04-15" and following["status"] == "upcoming"
    status, history = call(office, "GET", f"/obligations/{created['id']}/history")
    kinds = [e["kind"] for e in history["entries"]]
    assert kinds.count("reminder_sent") == 3  # 7-day reminder, overdue notice, escalation
    assert {"created", "completed", "occurrence_created"} <= set(kinds)


def test_the_calendar_feed_parses_and_can_be_revoked(office: RunningCloud) -> None:
    call(
        office,
        "POST",
        "/obligations",
        obligation(f"feed-{uuid.uuid4().hex[:6]}@example.com", title="Feed check"),
    )
    status, token = call(office, "POST", "/obligations/calendar-tokens")
    assert status == 201
    with urllib.request.urlopen(office.api + token["url"], timeout=10) as response:
        assert response.headers["content-type"].startswith("text/calendar")
        parsed = Calendar.from_ical(response.read())
    summaries = [str(event["summary"]) for event in parsed.walk("VEVENT")]
    assert "Due: Feed check" in summaries
    token_id = token["token"].split(".")[0]
    assert call(office, "DELETE", f"/obligations/calendar-tokens/{token_id}")[0] == 204
    status, _, _ = office.request("GET", token["url"])
    assert status == 401


def test_obligations_are_searchable_by_status_and_owner(office: RunningCloud) -> None:
    owner = f"search-{uuid.uuid4().hex[:6]}@example.com"
    call(office, "POST", "/obligations", obligation(owner))
    status, page = call(office, "GET", f"/obligations?owner={owner}&status=upcoming")
    assert status == 200 and [o["owner_email"] for o in page["items"]] == [owner]
    status, problem = call(office, "POST", "/obligations", obligation(owner, recurrence="FREQ=SOMETIMES"))
    assert status == 422 and problem["errors"][0]["field"] == "recurrence"
