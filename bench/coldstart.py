"""Cold start: import each function's handler module and build one client, in a fresh interpreter
with only that function's environment, next to the floor (`import boto3` and one client)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass

from infra.template import Template

RUNS = 5
PROBE = """
import json, sys, time
start = time.perf_counter()
{statement}
import boto3
boto3.client("dynamodb")
print(json.dumps((time.perf_counter() - start) * 1000))
"""


@dataclass
class ColdStart:
    function: str
    handler: str
    ms: float
    floor_ms: float

    @property
    def ratio(self) -> float:
        return self.ms / self.floor_ms


def _time(statement: str, environment: dict[str, str], code_dir: str) -> float:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": code_dir,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        **environment,
    }
    samples = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-I", "-c", PROBE.format(statement=statement)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(float(json.loads(out.stdout.strip().splitlines()[-1])))
    return statistics.median(samples)


def cold_starts() -> list[ColdStart]:
    template = Template()
    functions = template.functions
    any_spec = next(iter(functions.values()))
    code_dir = str(any_spec.code_dir)
    floor = _time("", {}, code_dir)
    results = []
    for spec in functions.values():
        module = spec.handler.rpartition(".")[0]
        ms = _time(f"import {module}", spec.environment, str(spec.code_dir))
        results.append(ColdStart(spec.logical_id, spec.handler, ms, floor))
    return sorted(results, key=lambda r: -r.ratio)
