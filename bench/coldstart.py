"""Cold start: in a fresh interpreter with only the function's environment, import its handler and
invoke it once with its first sample event (`events/FUNCTION/`) against a moto server holding the
template's resources — so work deferred to the first call is counted too. The floor does what any
function must: `import boto3`, one client, and as many AWS requests as the function made.

The interpreters are clean virtual environments holding only what the functions deploy
(`make bench` builds them under `.tools/`), so no development package changes what is measured.
Variants show what each step is worth: without `PYDANTIC_DISABLE_PLUGINS`, and on Python 3.13 (when
`python3.13` is installed) against a floor on 3.13.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.bulk import moto_server
from infra.template import FunctionSpec, Template

RUNS = 5
ROOT = Path(__file__).resolve().parents[1]
INTERPRETERS = {
    version: ROOT / ".tools" / f"lambda-python{version}" / "bin" / "python" for version in ("3.11", "3.13")
}
PROBE = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, {code!r})
import botocore.endpoint
sent = []
send = botocore.endpoint.Endpoint._send
def counted(self, request):
    sent.append(request.url)
    return send(self, request)
botocore.endpoint.Endpoint._send = counted
import importlib
handler = getattr(importlib.import_module({module!r}), {name!r})
class Context:
    function_name = {function!r}
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + {function!r}
    aws_request_id = "bench"
    @staticmethod
    def get_remaining_time_in_millis():
        return 30000
handler(json.loads({event!r}), Context())
print(json.dumps({{"ms": (time.perf_counter() - start) * 1000, "requests": len(sent)}}))
"""
FLOOR = """
import json, time
start = time.perf_counter()
import boto3
client = boto3.client("dynamodb")
for _ in range({requests}):
    client.list_tables(Limit=1)
print(json.dumps({{"ms": (time.perf_counter() - start) * 1000, "requests": {requests}}}))
"""


@dataclass
class ColdStart:
    function: str
    handler: str
    requests: int
    ms: float
    floor_ms: float
    without_plugin_switch_ms: float
    python313_ms: float | None
    python313_floor_ms: float | None

    @property
    def ratio(self) -> float:
        return self.ms / self.floor_ms


def _median(python: Path, code: str, environment: dict[str, str], endpoint: str) -> tuple[float, int]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        **environment,
        "AWS_ENDPOINT_URL": endpoint,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    samples, requests = [], 0
    for _ in range(RUNS):
        out = subprocess.run(
            [str(python), "-I", "-c", code], env=env, capture_output=True, text=True, check=False
        )
        if out.returncode:
            raise RuntimeError(out.stderr[-2000:])
        measured = json.loads(out.stdout.strip().splitlines()[-1])
        samples.append(float(measured["ms"]))
        requests = int(measured["requests"])
    return statistics.median(samples), requests


def _measure(spec: FunctionSpec, endpoint: str) -> ColdStart:
    sample = sorted((ROOT / "events" / spec.logical_id).glob("*.json"))[0]
    module, _, name = spec.handler.rpartition(".")
    probe = PROBE.format(
        code=str(spec.code_dir),
        module=module,
        name=name,
        function=spec.logical_id,
        event=sample.read_text(encoding="utf-8"),
    )
    python = INTERPRETERS["3.11"]
    ms, requests = _median(python, probe, spec.environment, endpoint)
    plain = {k: v for k, v in spec.environment.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    without, _ = _median(python, probe, plain, endpoint)
    floor, _ = _median(python, FLOOR.format(requests=requests), {}, endpoint)
    newer = INTERPRETERS["3.13"]
    on_313 = _median(newer, probe, spec.environment, endpoint)[0] if newer.exists() else None
    floor_313 = _median(newer, FLOOR.format(requests=requests), {}, endpoint)[0] if newer.exists() else None
    return ColdStart(spec.logical_id, spec.handler, requests, ms, floor, without, on_313, floor_313)


def cold_starts() -> list[ColdStart]:
    from infra.localcloud.provision import Clients, provision

    with moto_server() as endpoint:
        template = Template(endpoint_url=endpoint)
        provision(template, Clients(endpoint), notifications=False)
        results = [_measure(spec, endpoint) for spec in template.functions.values()]
    return sorted(results, key=lambda r: -r.ratio)
