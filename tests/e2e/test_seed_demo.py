"""`backoffice seed-demo` on a fresh local cloud shows every capability at work."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, RunningCloud, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    cloud = RunningCloud(ROOT / "template.yaml", tmp_path_factory.mktemp("demo") / "state").start()
    yield cloud
    cloud.stop()


def get(cloud: RunningCloud, path: str) -> Any:
    status, _, body = cloud.request("GET", path, headers={"authorization": f"Bearer {cloud.token()}"})
    assert status == 200, body
    return json.loads(body)


def test_seed_demo_fills_every_capability(fresh: RunningCloud, tmp_path: Path) -> None:
    result = fresh.cli("seed-demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "invoices     issued, partially paid, paid, overdue, void, credited and a draft" in result.stdout

    documents = wait_for(
        lambda: get(fresh, "/documents")["items"] if len(get(fresh, "/documents")["items"]) >= 4 else None
    )
    statuses = {d["original_name"]: d["status"] for d in documents}
    assert (
        statuses["invoice-viewer.pdf.exe"] == "quarantined"
        and statuses["ACME invoice INV-7731.pdf"] == "filed"
    )
    invoices = {i["status"] for i in get(fresh, "/invoices?limit=200")["items"]}
    assert {"issued", "partially_paid", "paid", "overdue", "void", "draft"} <= invoices
    (run,) = get(fresh, "/payruns")["items"]
    assert run["status"] == "received"
    assert len(get(fresh, "/obligations?limit=200")["items"]) == 8
    subjects = {m["subject"] for m in fresh.get("/_local/outbox")}
    assert "Your pay cheque is ready for pickup" in subjects
    assert any(s.startswith("Invoice INV-") for s in subjects)
    assert any(s.startswith("Reminder: invoice") for s in subjects)


def test_seed_demo_says_plainly_when_the_cloud_is_not_running(tmp_path: Path) -> None:
    idle = RunningCloud(ROOT / "template.yaml", tmp_path / "state")
    result = idle.cli("seed-demo")
    assert result.returncode == 1 and "not running" in result.stderr and "Traceback" not in result.stderr
