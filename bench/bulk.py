"""Bulk work in a child process that plays the function against a moto server in another process,
so the child's peak memory is the function's own: a 200 MB upload filed, a 10,000-cheque register
imported. Linux only (/proc)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.template import Template

ROOT = Path(__file__).resolve().parents[1]
UPLOAD_MB = 200
CHEQUES = 10_000

CHILD = """
import json, sys, time
from collections import Counter
sys.path[:0] = [{code!r}, {root!r}]
import boto3
calls = Counter()
boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register(
    "before-call", lambda model, **_: calls.update([model.service_model.service_name + ":" + model.name])
)
from bench.operations import STAFF_UPLOAD, Context, bus_event, s3_event
import {module}

def kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))

with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset the high-water mark: the peak below is the invocation's own
baseline = kb("VmRSS:")
start = time.perf_counter()
result = {call}
elapsed = time.perf_counter() - start
above = (kb("VmHWM:") - baseline) / 1024
print(json.dumps({{
    "seconds": elapsed,
    "peak_mb_above_baseline": above,
    "peak_mb": kb("VmHWM:") / 1024,
    "result": result,
    "calls": calls,
}}))
"""


@dataclass
class Bulk:
    name: str
    seconds: float
    peak_mb_above_baseline: float
    budget_mb: float
    peak_mb: float
    limit: str
    within: bool
    writes: int | None = None
    write_minimum: int | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    serve = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import bench.moto_speed as speed; "
        f"speed.no_transaction_backups(); from moto.server import main; main(['-p', '{port}'])"
    )
    command = [sys.executable, "-c", serve]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run_child(function: str, endpoint: str, call: str, extra_env: dict[str, str]) -> Any:
    spec = Template(endpoint_url=endpoint).functions[function]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        **spec.environment,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        **extra_env,
    }
    module = spec.handler.rpartition(".")[0]
    code = CHILD.format(code=str(spec.code_dir), root=str(ROOT), module=module, call=call)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(f"{function} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bulk() -> list[Bulk]:
    from infra.localcloud.provision import Clients, provision

    with moto_server() as endpoint:
        template = Template(endpoint_url=endpoint)
        clients = Clients(endpoint)
        provision(template, clients, notifications=False)
        return [_upload(template, clients, endpoint), _register(template, clients, endpoint)]


def _upload(template: Template, clients: Any, endpoint: str) -> Bulk:
    bucket = template.physical_name("DocumentsBucket")
    line = b"2026-11-20,ACME Supplies,Office chairs and desks,1250.00,USD\n"
    body = line * (UPLOAD_MB * 1024 * 1024 // len(line))
    version = clients.s3.put_object(Bucket=bucket, Key="inbox/big-ledger.csv", Body=body)["VersionId"]
    del body
    event = f"s3_event({bucket!r}, 'inbox/big-ledger.csv', {version!r}, 'intake')"
    out = _run_child(
        "IntakeFunction",
        endpoint,
        f"intake.handlers.inbox({event}, Context())",
        {"MAX_UPLOAD_MB": str(UPLOAD_MB + 50)},
    )
    assert out["result"]["batchItemFailures"] == [], out
    filed = clients.s3.list_objects_v2(Bucket=bucket, Prefix="documents/")["Contents"]
    assert filed[0]["Size"] >= UPLOAD_MB * 1024 * 1024 - len(line)
    return Bulk(
        f"file a {UPLOAD_MB} MB upload (hashed streaming, spooled to /tmp)",
        out["seconds"],
        out["peak_mb_above_baseline"],
        128,
        out["peak_mb"],
        "peak 128 MB above the start",
        out["peak_mb_above_baseline"] <= 128,
    )


def _register(template: Template, clients: Any, endpoint: str) -> Bulk:
    """One invocation imports the whole register: every cheque's number claim and the cheque itself in
    transactions of 100 items (2 per cheque), the minimum the batch APIs allow."""
    from bench.operations import register_csv

    spec = template.functions["PayrollRegisterFunction"]
    bucket = template.physical_name("DocumentsBucket")
    key = f"documents/payroll_register/2026/11/run-{CHEQUES}.csv"
    clients.s3.put_object(Bucket=bucket, Key=key, Body=register_csv(CHEQUES, 800000))
    event = (
        f"bus_event('DocumentFiled', {{'document_id': 'bulk', 'key': {key!r}, 'provenance': STAFF_UPLOAD}})"
    )
    out = _run_child("PayrollRegisterFunction", endpoint, f"payroll.filed.handler({event}, Context())", {})
    assert out["result"]["batchItemFailures"] == [], out
    pages = clients.dynamodb.get_paginator("scan").paginate(
        TableName=template.physical_name("PayrollTable"), Select="COUNT"
    )
    stored = sum(page["Count"] for page in pages)
    assert stored >= 2 * CHEQUES, stored  # every cheque and its number claim
    writes = out["calls"].get("dynamodb:TransactWriteItems", 0) + out["calls"].get("dynamodb:PutItem", 0)
    minimum = -(-2 * CHEQUES // 100) + 1
    return Bulk(
        f"import a register of {CHEQUES:,} cheques in one invocation",
        out["seconds"],
        out["peak_mb_above_baseline"],
        float(spec.memory),
        out["peak_mb"],
        f"{spec.memory} MB, {spec.timeout} s; writes <= 1.05 x {minimum}",
        out["peak_mb"] <= spec.memory and out["seconds"] <= spec.timeout and writes <= 1.05 * minimum,
        writes,
        minimum,
    )
