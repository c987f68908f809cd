"""`make bench`: cold starts and AWS requests per business operation; a table and bench/results.json."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

COLD_START_BUDGET = 1.5
RESULTS = Path(__file__).with_name("results.json")


def main() -> int:
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "bench")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Bench")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from bench.bulk import bulk
    from bench.coldstart import cold_starts
    from bench.operations import operations

    starts = cold_starts()
    counted = operations()
    heavy = bulk()
    print(
        f"\nCold start (median of 5, import handler + one client), floor = import boto3 + one client: "
        f"{starts[0].floor_ms:.0f} ms; budget {COLD_START_BUDGET}x"
    )
    print(f"  {'function':<28} {'ms':>6} {'x floor':>8}  within")
    for start in starts:
        ok = "yes" if start.ratio <= COLD_START_BUDGET else "NO"
        print(f"  {start.function:<28} {start.ms:6.0f} {start.ratio:8.2f}  {ok}")
    print("\nAWS requests per business operation (budget = the minimum the design allows)")
    print(f"  {'operation':<58} {'requests':>8} {'budget':>6}  within")
    for measured in counted:
        ok = "yes" if measured.requests <= measured.budget else "NO"
        print(f"  {measured.name:<58} {measured.requests:8d} {measured.budget:6d}  {ok}")
    print("\nBulk work (child process against a moto server; peak = RSS high-water mark above the start)")
    for work in heavy:
        ok = "yes" if work.peak_mb_above_baseline <= work.budget_mb else "NO"
        print(
            f"  {work.name:<58} {work.seconds:6.1f} s {work.peak_mb_above_baseline:6.1f} MB  "
            f"(budget {work.budget_mb:.0f} MB) {ok}"
        )
    RESULTS.write_text(
        json.dumps(
            {
                "cold_start": [asdict(s) | {"ratio": s.ratio} for s in starts],
                "requests": [asdict(m) for m in counted],
            },
            indent=2,
        )
    )
    print(f"\nwritten {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
