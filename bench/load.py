"""`make load`: a month-end crowd (Locust, headless) against a local cloud started for it, then the
checks that nothing was lost, doubled or refused. Writes bench/load.json and prints per route:
requests, failures, p50/p95/p99 and throughput.

    python -m bench.load [--users 100] [--minutes 5]        (make load; make test runs a small one)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.bulk import free_port

ROOT = Path(__file__).resolve().parents[1]
LOCUST = ROOT / ".tools" / "locust" / "bin" / "locust"
RESULTS = Path(__file__).with_name("load.json")
CREATE_BUDGET = 3.0  # p95 of creating an invoice under load, in single-client p50s
OVERHEAD_BUDGET_MS = 10.0  # the gateway's own time per request, p95
RSS_GROWTH_BUDGET = 0.10


@dataclass
class Cloud:
    """A `backoffice local` of its own, on free ports, in a fresh state folder."""

    state: Path
    api_port: int = field(default_factory=free_port)
    aws_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def env(self) -> dict[str, str]:
        """What `backoffice` commands need to find this local cloud."""
        return {
            **os.environ,
            "BACKOFFICE_API_PORT": str(self.api_port),
            "BACKOFFICE_AWS_PORT": str(self.aws_port),
            "BACKOFFICE_STATE_DIR": str(self.state),
        }

    def start(self) -> Cloud:
        env = self.env
        log = (self.state.parent / "local-cloud.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.cli", "local"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                self.call("GET", "/_local/resources")
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the local cloud did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(2)
            self.process.wait(timeout=120)

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **headers: str) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api + path, data=data, method=method)  # noqa: S310 - loopback
        request.add_header("content-type", "application/json")
        if token:
            request.add_header("authorization", f"Bearer {token}")
        for name, value in headers.items():
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            raw = response.read()
        return json.loads(raw) if raw else None

    def token(self, role: str, **extra: str) -> str:
        return str(
            self.call("POST", "/_local/tokens", {"role": role, "subject": f"load-{role}", **extra})["token"]
        )

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each function worker, by process. (The local cloud's own process holds
        the embedded AWS's data, which grows with what the office stores, as the tables would.)"""
        assert self.process is not None
        sizes = {}
        for pid in children(self.process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes[f"{pid} {_function_of(pid)}"] = int(line.split()[1]) / 1024
        return sizes


def _function_of(pid: int) -> str:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return "?"
    name = next((e for e in environ if e.startswith(b"AWS_LAMBDA_FUNCTION_NAME=")), b"=?")
    return name.split(b"=", 1)[1].decode()


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def memory_growth(samples: list[tuple[float, dict[str, float]]], window: float) -> dict[str, float]:
    """For each process alive in the first and the last window, how much its resident memory grew
    (a worker started meanwhile is scaling out, not a leak)."""
    if not samples:
        return {}
    end = samples[-1][0]
    first = [s for t, s in samples if t <= samples[0][0] + window]
    last = [s for t, s in samples if t >= end - window]
    growth = {}
    for pid in set(first[0]) & set(last[-1]):
        before = statistics.mean(s[pid] for s in first if pid in s)
        after = statistics.mean(s[pid] for s in last if pid in s)
        growth[pid] = round((after - before) / before, 3)
    return growth


def single_client_p50(cloud: Cloud, token: str, count: int = 20) -> float:
    times = []
    for i in range(count):
        body = {
            "customer": {"name": f"Warm-up {i}", "email": f"warmup-{i}@customer.example"},
            "lines": [{"description": "Warm-up", "quantity": "1", "unit_price": "10.00", "tax_rate": "7"}],
        }
        started = time.perf_counter()
        cloud.call("POST", "/invoices", body, token, **{"idempotency-key": uuid.uuid4().hex})
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[2:])  # the first ones pay for cold starts


def scale_out(cloud: Cloud, tokens: dict[str, str], rounds: int = 3) -> None:
    """Start every API function's pool of environments before the crowd arrives, as provisioned
    concurrency would in AWS: a few rounds of reads, as many at once as the pool grows to. The
    crowd then meets warm environments, and the cold starts of scaling out stay out of its figures."""
    reads = [
        ("staff", "/invoices?limit=1"),
        ("staff", "/documents?limit=1"),
        ("staff", "/reports/receivables"),
        ("staff", "/reports/office-analysis"),
        ("employee", "/me/cheques"),
    ]
    width = int(os.environ.get("BACKOFFICE_CONCURRENCY", "4"))
    for _ in range(rounds):
        threads = [
            threading.Thread(target=cloud.call, args=("GET", path, None, tokens[role]))
            for role, path in reads
            for _ in range(width)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def run_locust(cloud: Cloud, users: int, seconds: int, workdir: Path, env: dict[str, str]) -> Path:
    prefix = workdir / "locust"
    subprocess.run(
        [
            "nice",  # the crowd stands in for other machines: it yields the cores to the back office
            "-n",
            "10",
            str(LOCUST),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 10)),
            "--run-time",
            f"{seconds}s",
            "--host",
            cloud.api,
            "--csv",
            str(prefix),
            "--stop-timeout",
            "30",
            "--reset-stats",  # measured once every user is in, as the month-end steady state
        ],
        env={**os.environ, **env},
        cwd=workdir,
        check=False,
        capture_output=True,
    )
    return prefix


def route_table(prefix: Path) -> list[dict[str, Any]]:
    rows = []
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["Name"] == "Aggregated":
                continue
            if int(row["Request Count"]) == 0:
                continue  # nothing after the ramp-up: no figures to give
            rows.append(
                {
                    "route": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                    "p99_ms": float(row["99%"]),
                    "per_second": round(float(row["Requests/s"]), 2),
                }
            )
    return rows


def failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


def drained(cloud: Cloud, sqs: Any, timeout: float = 180) -> dict[str, int]:
    """Wait until every queue is empty; returns what is left in each dead-letter queue."""
    queues = cloud.call("GET", "/_local/resources")["queues"]
    deadline = time.time() + timeout
    while time.time() < deadline:
        busy = 0
        for url in queues.values() if isinstance(queues, dict) else queues:
            attributes = sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            if "dead-letter" not in url:
                busy += int(attributes["ApproximateNumberOfMessages"]) + int(
                    attributes["ApproximateNumberOfMessagesNotVisible"]
                )
        if not busy:
            break
        time.sleep(2)
    left = {}
    for url in queues.values() if isinstance(queues, dict) else queues:
        if "dead-letter" in url:
            left[url.rsplit("/", 1)[-1]] = int(
                sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
                    "Attributes"
                ]["ApproximateNumberOfMessages"]
            )
    return left


def every(cloud: Cloud, token: str, path: str) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = cloud.call(
            "GET",
            f"{path}{'&' if '?' in path else '?'}limit=200"
            + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""),
            token=token,
        )
        items += page["items"]
        cursor = page.get("cursor")
        if not cursor:
            return items


def checks(cloud: Cloud, token: str, record: Path, dead_letters: dict[str, int]) -> dict[str, Any]:
    entries = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines() if line]
    invoices = every(cloud, token, "/invoices?")
    numbers = sorted(int(i["number"].rsplit("-", 1)[1]) for i in invoices if i.get("number"))
    by_key: dict[str, set[str]] = {}
    for entry in entries:
        if entry["kind"] == "invoice":
            by_key.setdefault(entry["key"], set()).add(entry["id"])
    uploads = [e["key"] for e in entries if e["kind"] == "upload"]
    documents = Counter(d["original_key"] for d in every(cloud, token, "/documents?"))
    return {
        "invoice_numbers_gap_free_and_unique": numbers == list(range(1, len(numbers) + 1)),
        "invoices_issued": len(numbers),
        "double_submits_made_one_invoice": all(len(ids) == 1 for ids in by_key.values()),
        "double_submits": sum(1 for e in entries if e["kind"] == "invoice" and e["via"] == "double") // 2,
        "uploads": len(uploads),
        "every_upload_registered_once": all(documents[key] == 1 for key in uploads),
        "dead_letters": dead_letters,
        "no_dead_letters": not any(dead_letters.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--log", type=Path, help="keep the local cloud's log here")
    args = parser.parse_args(argv)
    if not LOCUST.exists():
        print("Locust is missing: `make load` installs it into .tools/locust")
        return 2
    from infra.localcloud.provision import Clients

    with tempfile.TemporaryDirectory(prefix="backoffice-load-") as folder:
        workdir = Path(folder)
        cloud = Cloud(workdir / "state").start()
        try:
            admin, staff = cloud.token("admin"), cloud.token("staff")
            employee = cloud.token("employee", employee_id="E-LOAD")
            cloud.call(
                "POST",
                "/employees",
                {"id": "E-LOAD", "name": "Load Tester", "email": "load@example.com"},
                admin,
            )
            baseline = single_client_p50(cloud, staff)
            scale_out(cloud, {"staff": staff, "employee": employee})
            rss: list[tuple[float, dict[str, float]]] = []
            stop = threading.Event()
            started = time.time()

            def sample() -> None:
                while not stop.wait(5):
                    rss.append((time.time() - started, cloud.rss_mb()))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            record = workdir / "record.jsonl"
            record.touch()
            seconds = int(args.minutes * 60)
            prefix = run_locust(
                cloud,
                args.users,
                seconds,
                workdir,
                {"LOAD_STAFF_TOKEN": staff, "LOAD_EMPLOYEE_TOKEN": employee, "LOAD_RECORD": str(record)},
            )
            stop.set()
            routes = route_table(prefix)
            failed = failures(prefix)
            overhead = cloud.call("GET", "/_local/stats")
            dead = drained(cloud, Clients(f"http://127.0.0.1:{cloud.aws_port}").sqs)
            held = checks(cloud, staff, record, dead)
        finally:
            cloud.stop()
            if args.log:
                shutil.copyfile(workdir / "local-cloud.log", args.log)
    growth = memory_growth(rss, window=max(5.0, min(60.0, seconds / 3)))
    creates = [r for r in routes if r["route"].startswith("POST /invoices (json)")]
    create_p95 = creates[0]["p95_ms"] if creates else 0.0
    server_errors = [
        f for f in failed if "HTTPError('5" in f.get("Error", "") or "50" in f.get("Error", "")[:40]
    ]
    connection_errors = [f for f in failed if "Connection" in f.get("Error", "")]
    verdict = {
        **held,
        "failures": failed,
        "zero_5xx_and_connection_errors": not server_errors and not connection_errors,
        "rss_growth_by_process": growth,
        "rss_flat": all(g < RSS_GROWTH_BUDGET for g in growth.values()),
        "single_client_create_p50_ms": round(baseline, 1),
        "create_p95_ms": create_p95,
        "create_within_budget": create_p95 <= CREATE_BUDGET * baseline,
        "gateway_overhead": overhead,
        "gateway_within_budget": overhead.get("p95_ms", 0.0) < OVERHEAD_BUDGET_MS,
    }
    passed = all(
        verdict[k]
        for k in (
            "invoice_numbers_gap_free_and_unique",
            "double_submits_made_one_invoice",
            "every_upload_registered_once",
            "no_dead_letters",
            "zero_5xx_and_connection_errors",
            "rss_flat",
            "create_within_budget",
            "gateway_within_budget",
        )
    )
    result = {"users": args.users, "seconds": seconds, "routes": routes, "checks": verdict, "passed": passed}
    args.results.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nMonth-end load: {args.users} users for {seconds} s against the local cloud")
    print(f"  {'route':<34} {'requests':>8} {'failed':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>6}")
    for row in routes:
        print(
            f"  {row['route']:<34} {row['requests']:8d} {row['failures']:6d} {row['p50_ms']:6.0f} "
            f"{row['p95_ms']:6.0f} {row['p99_ms']:6.0f} {row['per_second']:6.2f}"
        )
    worst = max(growth.values(), default=0.0)
    lines = [
        f"invoices {held['invoices_issued']}; gap-free, unique {held['invoice_numbers_gap_free_and_unique']}",
        f"double submits {held['double_submits']}; one each: {held['double_submits_made_one_invoice']}",
        f"uploads {held['uploads']}; each registered once: {held['every_upload_registered_once']}",
        f"dead letters {sum(dead.values())}; 5xx {len(server_errors)}; resets {len(connection_errors)}",
        f"memory: most any process grew {worst:+.1%} first to last minute (budget +{RSS_GROWTH_BUDGET:.0%})",
        f"create invoice p95 {create_p95:.0f} ms; alone p50 {baseline:.0f} ms (budget {CREATE_BUDGET}x)",
        f"gateway's own time p95 {overhead.get('p95_ms')} ms (budget {OVERHEAD_BUDGET_MS} ms); "
        f"wall outside the function p95 {overhead.get('wall_outside_p95_ms')} ms",
    ]
    print("\n" + "\n".join(f"  {line}" for line in lines))
    print(f"\n{'PASSED' if passed else 'FAILED'}; details in {args.results}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
