"""`make load`, small: a crowd of clerks, employees and managers for half a minute, and the checks it
makes afterwards — nothing lost, nothing doubled, nobody turned away. (Its latency budgets belong
to the full run, `make load`, on a quiet machine.)"""

import json
from pathlib import Path

import pytest

from bench.load import LOCUST, main

pytestmark = pytest.mark.e2e


def test_a_small_month_end_crowd_loses_and_doubles_nothing(tmp_path: Path) -> None:
    assert LOCUST.exists(), "Locust is installed by `make test` into .tools/locust"
    results = tmp_path / "load.json"
    main(["--users", "20", "--minutes", "0.5", "--results", str(results)])
    run = json.loads(results.read_text())
    checks = run["checks"]
    assert checks["zero_5xx_and_connection_errors"], checks["failures"]
    assert checks["invoice_numbers_gap_free_and_unique"] and checks["invoices_issued"] > 0
    assert checks["double_submits_made_one_invoice"]
    assert checks["every_upload_registered_once"]
    assert checks["no_dead_letters"], checks["dead_letters"]
