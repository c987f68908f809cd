"""What keeping the local cloud's promises costs: one durable change at 1,000 and at 100,000 items
held (a journal append, whatever the data), and the CPU an idle local cloud with the demo office
uses (pollers wait on long polls and on table writes, nothing is saved on a timer)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.bulk import free_port
from bench.load import ROOT, Cloud, children
from infra.localcloud.embedded_aws import EmbeddedAws, Journal

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
        port = free_port()
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
    """CPU ticks used so far by a process and its children (Linux /proc)."""
    total = 0
    for each in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def idle_cpu(seconds: float = 60.0) -> Idle:
    """A local cloud holding the demo office, left alone: its share of one core."""
    with tempfile.TemporaryDirectory() as folder:
        cloud = Cloud(Path(folder) / "state").start()
        assert cloud.process is not None
        try:
            subprocess.run(
                [sys.executable, "-m", "infra.cli", "seed-demo"],
                cwd=ROOT,
                env=cloud.env,
                capture_output=True,
                check=True,
                timeout=600,
            )
            time.sleep(20)  # let the office's own work (deliveries, streams) finish
            ticks = os.sysconf("SC_CLK_TCK")
            before = _cpu_ticks(cloud.process.pid)
            time.sleep(seconds)
            share = (_cpu_ticks(cloud.process.pid) - before) / ticks / seconds
        finally:
            cloud.stop()
    return Idle(seconds, round(share, 4), share < IDLE_BUDGET)
