"""`make bench`: cold starts, AWS requests per business operation, bulk work, growth, cost and
what each function deploys;
tables on stdout and everything in bench/results.json."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

COLD_START_BUDGET = 1.5
GROWTH_BUDGET = 1.2
RESULTS = Path(__file__).with_name("results.json")


def main() -> int:
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "bench")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Bench")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    from bench.bulk import bulk
    from bench.coldstart import RUNS, cold_starts
    from bench.cost import PRICES, costs
    from bench.durability import IDLE_BUDGET, durable_writes, idle_cpu
    from bench.growth import growth, receivables_report
    from bench.operations import operations
    from bench.package_size import LAMBDA_LIMIT_MB, package_sizes

    starts = cold_starts()
    counted = operations()
    heavy = bulk()
    grown = growth()
    report = receivables_report()
    priced = costs()
    durable = durable_writes()
    idle = idle_cpu()
    sizes = package_sizes()
    print(
        f"\nCold start (median of {RUNS}: import the handler and invoke it once with its sample event); "
        f"floor = import boto3, one client and as many requests; budget {COLD_START_BUDGET}x"
    )
    print(f"  {'function':<28} {'requests':>8} {'ms':>6} {'floor':>6} {'x floor':>8}  within  steps")
    for start in starts:
        ok = "yes" if start.ratio <= COLD_START_BUDGET else "NO"
        steps = f"no plugin switch {start.without_plugin_switch_ms:.0f} ms"
        if start.newer_ms and start.newer_ratio:
            steps += f"; Python 3.13 {start.newer_ms:.0f} ms ({start.newer_ratio:.2f}x its floor)"
        print(
            f"  {start.function:<28} {start.requests:8d} {start.ms:6.0f} {start.floor_ms:6.0f} "
            f"{start.ratio:8.2f}  {ok:<6}  {steps}"
        )
    print("\nAWS requests per business operation (budget = the minimum the design allows)")
    print(f"  {'operation':<58} {'requests':>8} {'budget':>6}  within")
    for measured in counted:
        ok = "yes" if measured.requests <= measured.budget else "NO"
        print(f"  {measured.name:<58} {measured.requests:8d} {measured.budget:6d}  {ok}")
    print("\nBulk work (child process against a moto server; peak = RSS high-water mark)")
    for work in heavy:
        writes = f", {work.writes} writes (minimum {work.write_minimum})" if work.writes else ""
        print(
            f"  {work.name:<58} {work.seconds:6.1f} s, peak {work.peak_mb:5.0f} MB "
            f"({work.peak_mb_above_baseline:.0f} above the start){writes}; limit {work.limit}: "
            f"{'yes' if work.within else 'NO'}"
        )
    print(f"\nGrowth: the same {grown[0].due} due, items read (budget {GROWTH_BUDGET}x due), own time")
    for run in grown:
        ok = "yes" if run.read_ratio <= GROWTH_BUDGET else "NO"
        print(
            f"  {run.name:<24} {run.items:>8,} items  read {run.items_read:>5} ({run.read_ratio:.2f}x) "
            f"{run.requests:>4} requests  own {run.own_seconds:5.2f} s  {ok}"
        )
    print(
        f"  {report.name}: {report.seconds:.1f} s own work (parse + age), {report.query_pages} query pages "
        f"of 1 MB, {report.read_units:,.0f} read units; grows with invoices issued, within one invocation"
    )
    print("\nCost at on-demand prices (us-east-1, USD):")
    for cost in priced:
        top = sorted(cost.breakdown.items(), key=lambda kv: -kv[1])[:3]
        parts = ", ".join(f"{unit} {dollars:.4f}" for unit, dollars in top)
        print(f"  {cost.name:<62} ${cost.dollars:8.4f}  ({parts}; {cost.measured})")
    print("\nThe local cloud: one acknowledged table write (journalled and on disk before the answer)")
    for write in durable:
        print(
            f"  {write.items_held:>8,} items held: median {write.median_ms:.1f} ms, p95 {write.p95_ms:.1f} ms"
        )
    print(
        f"  idle with the demo office for {idle.seconds:.0f} s: {idle.cpu_share:.2%} of a core "
        f"(budget {IDLE_BUDGET:.0%}): {'yes' if idle.within else 'NO'}"
    )
    print(f"\nWhat each function deploys, unzipped (sam build; Lambda's limit {LAMBDA_LIMIT_MB:.0f} MB)")
    for size in sizes:
        layers = f" + {', '.join(size.layers)} {size.layers_mb:.1f} MB" if size.layers else ""
        print(f"  {size.function:<28} {size.own_mb:6.1f} MB{layers:<28} = {size.total_mb:6.1f} MB")
    RESULTS.write_text(
        json.dumps(
            {
                "cold_start": [asdict(s) for s in starts],
                "requests": [asdict(m) for m in counted],
                "bulk": [asdict(b) for b in heavy],
                "growth": [asdict(g) | {"read_ratio": g.read_ratio} for g in grown],
                "receivables_report": asdict(report),
                "cost": [asdict(c) | {"dollars": c.dollars} for c in priced],
                "durable_writes": [asdict(d) for d in durable],
                "idle": asdict(idle),
                "package_mb": [asdict(s) | {"total_mb": s.total_mb} for s in sizes],
                "prices": PRICES,
            },
            indent=2,
        )
    )
    print(f"\nwritten {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
