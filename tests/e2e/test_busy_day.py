"""The busiest day through the front door: fifty invoices at once get fifty numbers, and a crash in the
middle of a burst loses nothing that was acknowledged. (A crowd that nobody turns away is `make load`'s,
and test_load_smoke's, small.)"""

from __future__ import annotations

import json
import threading
import urllib.error
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests import files
from tests.e2e.conftest import ROOT, RunningCloud, wait_for

pytestmark = pytest.mark.e2e


def invoice_body(tag: str) -> dict[str, Any]:
    return {
        "customer": {"name": f"Busy Day {tag}", "email": f"busy-{tag}@example.com"},
        "lines": [
            {"description": "Month-end close", "quantity": "1", "unit_price": "100.00", "tax_rate": "7"}
        ],
    }


def post_invoice(cloud: RunningCloud, token: str, tag: str) -> tuple[int, dict[str, Any] | None]:
    status, _, body = cloud.request(
        "POST",
        "/invoices",
        invoice_body(tag),
        headers={"authorization": f"Bearer {token}", "idempotency-key": f"busy-{tag}"},
    )
    return status, json.loads(body) if status == 201 else None


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` for every i at the same moment, on `count` threads."""
    start = threading.Barrier(count)

    def run(i: int) -> Any:
        start.wait()
        try:
            return work(i)
        except (OSError, urllib.error.URLError) as error:
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def numbers_of(invoices: list[dict[str, Any]]) -> list[int]:
    return sorted(int(i["number"].rsplit("-", 1)[1]) for i in invoices)


def test_fifty_invoices_at_once_get_fifty_distinct_consecutive_numbers(office: RunningCloud) -> None:
    token = office.token("staff")
    run = uuid.uuid4().hex[:6]
    outcomes = at_once(50, lambda i: post_invoice(office, token, f"{run}-{i}"))
    created = [body for status, body in outcomes if status == 201 and body]
    assert len(created) == 50, [o for o in outcomes if not (isinstance(o, tuple) and o[0] == 201)][:3]
    numbers = numbers_of(created)
    assert numbers == list(range(numbers[0], numbers[0] + 50))  # unique and without a gap
    for invoice in created:  # every acknowledged invoice is really there
        status, _, _ = office.request(
            "GET", f"/invoices/{invoice['id']}", headers={"authorization": f"Bearer {token}"}
        )
        assert status == 200


def test_a_crash_in_the_middle_of_a_burst_loses_nothing_that_was_acknowledged(tmp_path: Path) -> None:
    cloud = RunningCloud(ROOT / "template.yaml", tmp_path / "state").start()
    token = cloud.token("staff")
    bucket = cloud.get("/_local/resources")["bucket"]
    s3 = cloud.client("s3")
    run = uuid.uuid4().hex[:6]
    acknowledged_invoices: list[dict[str, Any]] = []
    acknowledged_uploads: list[str] = []
    guard = threading.Lock()

    def invoices(i: int) -> None:
        status, body = post_invoice(cloud, token, f"{run}-{i}")
        if status == 201 and body:
            with guard:
                acknowledged_invoices.append(body)

    def uploads(i: int) -> None:
        name = f"receipt-{run}-{i}.pdf"
        s3.put_object(Bucket=bucket, Key=f"inbox/{name}", Body=files.pdf(f"Receipt {run} {i}", "Paid 12.00"))
        with guard:
            acknowledged_uploads.append(name)

    def burst(i: int) -> None:
        (invoices if i % 2 else uploads)(i)

    crowd = threading.Thread(target=lambda: at_once(40, burst))
    crowd.start()
    wait_for(
        lambda: len(acknowledged_invoices) >= 5 and len(acknowledged_uploads) >= 5, timeout=60, interval=0.05
    )
    assert cloud.process is not None
    cloud.process.kill()  # kill -9: no clean stop, no snapshot
    cloud.process.wait()
    crowd.join()

    cloud.start()
    try:

        def registered() -> list[dict[str, Any]] | None:
            status, _, body = cloud.request(
                "GET", "/documents?limit=200", headers={"authorization": f"Bearer {cloud.token('staff')}"}
            )
            items = json.loads(body)["items"] if status == 200 else []
            mine = [d for d in items if d["original_name"] in acknowledged_uploads]
            return mine if len(mine) >= len(acknowledged_uploads) else None

        documents = wait_for(registered, timeout=90)
        names = [d["original_name"] for d in documents]
        assert sorted(names) == sorted(acknowledged_uploads)  # each exactly once
        token = cloud.token("staff")
        for invoice in acknowledged_invoices:
            status, _, body = cloud.request(
                "GET", f"/invoices/{invoice['id']}", headers={"authorization": f"Bearer {token}"}
            )
            assert status == 200 and json.loads(body)["number"] == invoice["number"]
        numbers = numbers_of(acknowledged_invoices)
        assert len(set(numbers)) == len(numbers)
    finally:
        cloud.stop()
