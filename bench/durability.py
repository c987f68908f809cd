"""What keeping the local cloud's promises costs: one durable change at 1,000 and at 100,000 items
held (a journal append, whatever the data), and the CPU an idle local cloud with the demo office
uses (pollers wait on long polls and on table writes, nothing is saved on a timer)."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.localcloud.embedded_aws import EmbeddedAws, Journal

ROOT = Path(__file__).resolve().parents[1]
IDLE_BUDGET = 0.01  # of one core


@dataclass
class Durable:
    items_held: int
    median_ms: float
    p95_ms: float


@dataclass
class Idle:
    seconds: float
    cpu_share: float
    within: bool


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - the embedded AWS takes any
    )


def _timed_writes(dynamodb: Any, count: int, tag: str) -> list[float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        dynamodb.put_item(TableName="held", Item={"pk": {"S": f"{tag}-{i}"}, "v": {"S": "x" * 200}})
        times.append((time.perf_counter() - started) * 1000)
    return times


def durable_writes(sizes: tuple[int, ...] = (1_000, 100_000), sample: int = 200) -> list[Durable]:
    """The time a client waits for one acknowledged (journalled, fsynced) write, by items held."""
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        journal = Journal(Path(folder) / "journal")
        journal.open()
        port = _port()
        aws = EmbeddedAws("127.0.0.1", port, journal)
        aws.start()
        endpoint = f"http://127.0.0.1:{port}"
        dynamodb = _client(endpoint)
        dynamodb.create_table(
            TableName="held",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )
        held = 0
        for size in sizes:
            while held < size:
                batch = [
                    {"PutRequest": {"Item": {"pk": {"S": f"bulk-{held + i}"}, "v": {"S": "x" * 200}}}}
                    for i in range(min(25, size - held))
                ]
                dynamodb.batch_write_item(RequestItems={"held": batch})
                held += len(batch)
            times = sorted(_timed_writes(dynamodb, sample, f"at-{size}"))
            held += sample
            results.append(
                Durable(size, round(statistics.median(times), 2), round(times[int(0.95 * len(times))], 2))
            )
        aws.stop()
        journal.close()
    return results


def _cpu_ticks(pid: int) -> int:
    total = 0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def idle_cpu(seconds: float = 60.0) -> Idle:
    """A local cloud holding the demo office, left alone: its share of one core (Linux /proc)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "BACKOFFICE_API_PORT": str(_port()),
            "BACKOFFICE_AWS_PORT": str(_port()),
            "BACKOFFICE_STATE_DIR": str(Path(folder) / "state"),
        }
        log = (Path(folder) / "cloud.log").open("wb")
        cloud = subprocess.Popen(
            [sys.executable, "-m", "infra.cli", "local"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(120):
                if (
                    subprocess.run(
                        [sys.executable, "-m", "infra.cli", "outbox"],
                        cwd=ROOT,
                        env=env,
                        capture_output=True,
                        check=False,
                    ).returncode
                    == 0
                ):
                    break
                time.sleep(1)
            subprocess.run(
                [sys.executable, "-m", "infra.cli", "seed-demo"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                check=True,
                timeout=600,
            )
            time.sleep(20)  # let the office's own work (deliveries, streams) finish
            ticks = os.sysconf("SC_CLK_TCK")
            before = _cpu_ticks(cloud.pid)
            time.sleep(seconds)
            share = (_cpu_ticks(cloud.pid) - before) / ticks / seconds
        finally:
            cloud.send_signal(2)
            cloud.wait(timeout=120)
    return Idle(seconds, round(share, 4), share < IDLE_BUDGET)
