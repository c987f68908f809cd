"""A monthly retainer through the local cloud: it issues itself on the 1st, a retried run issues nothing
twice, a missed month is caught up, and a paused series bills nothing (skipping what passed while paused is
a unit test's: the API's clock is the machine's)."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, RunningCloud
from tests.e2e.test_invoicing import call, mail_to

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    """An office of its own: these runs move its clock months ahead."""
    cloud = RunningCloud(ROOT / "template.yaml", Path(tmp_path_factory.mktemp("recurring")), parameters={})
    yield cloud.start()
    cloud.stop()


def daily_run(office: RunningCloud, at: str) -> dict[str, Any]:
    name = next(
        s["name"]
        for s in office.get("/_local/resources")["schedules"]
        if s["function"] == "InvoiceRemindersFunction"
    )
    status, _, body = office.request("POST", f"/_local/schedules/{name}", {"at": at})
    answer = json.loads(body)
    assert status == 200 and answer["ok"], answer
    return dict(answer["result"])


def invoices_of(office: RunningCloud, email: str) -> list[dict[str, Any]]:
    _, _, page = call(office, "GET", f"/invoices?customer_email={email}")
    return sorted(page["items"], key=lambda i: i["number"])


def test_a_monthly_retainer_issues_itself_once_a_month_and_survives_a_missed_day(
    office: RunningCloud,
) -> None:
    email = f"retainer-{uuid.uuid4().hex[:8]}@harborbooks.example"
    retainer = {
        "customer": {"name": "Harbor Books LLC", "email": email},
        "lines": [
            {"description": "Bookkeeping retainer", "quantity": "1", "unit_price": "1000.00", "tax_rate": "0"}
        ],
        "rule": "FREQ=MONTHLY;BYMONTHDAY=1",
        "start": "2026-12-01",
    }
    key = {"idempotency-key": uuid.uuid4().hex}
    status, _, series = call(office, "POST", "/recurring-invoices", retainer, **key)
    assert status == 201, series
    assert series["upcoming"] == ["2026-12-01", "2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01"]
    assert call(office, "POST", "/recurring-invoices", retainer, **key)[2]["id"] == series["id"]  # one series

    assert daily_run(office, "2026-11-30T08:00")["issued"] == 0  # not yet
    assert daily_run(office, "2026-12-01T08:00")["issued"] == 1
    assert daily_run(office, "2026-12-01T08:00")["issued"] == 0  # the retried run issues nothing twice
    (december,) = invoices_of(office, email)
    assert december["issue_date"] == "2026-12-01" and december["total"] == "1000.00"
    assert "2026-12-01" in december["notes"] and mail_to(office, email)  # issued and sent

    # January's run never happened; February's issues January's and February's, each once, dated that day
    assert daily_run(office, "2027-02-02T08:00")["issued"] == 2
    issued = invoices_of(office, email)
    assert [i["issue_date"] for i in issued] == ["2026-12-01", "2027-02-02", "2027-02-02"]
    assert ["2027-01-01" in i["notes"] for i in issued[1:]] == [True, False]
    _, _, now = call(office, "GET", f"/recurring-invoices/{series['id']}")
    assert now["last_date"] == "2027-02-01" and now["next_date"] == "2027-03-01"

    # paused: the run bills nothing; resumed (by the office's clock, before March), March is next
    assert call(office, "POST", f"/recurring-invoices/{series['id']}/pause")[0] == 200
    assert daily_run(office, "2027-03-01T08:00")["issued"] == 0
    status, _, back = call(office, "POST", f"/recurring-invoices/{series['id']}/resume")
    assert status == 200 and back["status"] == "active" and back["next_date"] == "2027-03-01"
    _, _, listed = call(office, "GET", "/recurring-invoices")
    assert series["id"] in {s["id"] for s in listed}
    assert len(invoices_of(office, email)) == 3
