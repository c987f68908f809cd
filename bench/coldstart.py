"""Cold start: in a fresh interpreter with only the function's environment, import its handler and
invoke it once with its first sample event (`events/FUNCTION/`) against a moto server holding the
template's resources — so work deferred to the first call is counted too. The floor does what any
function must: `import boto3`, one client, and as many AWS requests as the function made.

The interpreters are clean virtual environments holding only what the functions deploy
(`make bench` builds them under `.tools/`), so no development package changes what is measured.
Variants show what each step is worth: without `PYDANTIC_DISABLE_PLUGINS`, and on Python 3.13, the
next runtime (when `python3.13` is installed), against a floor on 3.13.
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

RUNS = 7
ROOT = Path(__file__).resolve().parents[1]
DEPLOYED = "3.12"  # the template's Runtime (a test checks), and the next one
NEWER = "3.13"
INTERPRETERS = {
    version: ROOT / ".tools" / f"lambda-python{version}" / "bin" / "python" for version in (DEPLOYED, NEWER)
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
    ratio: float  # the median of the ratios of runs made side by side (the machine's drift cancels)
    without_plugin_switch_ms: float
    newer_ms: float | None
    newer_ratio: float | None


def _run(python: Path, code: str, environment: dict[str, str], endpoint: str) -> tuple[float, int]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        **environment,
        "AWS_ENDPOINT_URL": endpoint,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [str(python), "-I", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    return float(measured["ms"]), int(measured["requests"])


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
    plain = {k: v for k, v in spec.environment.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    python, newer = INTERPRETERS[DEPLOYED], INTERPRETERS[NEWER]
    runs: dict[str, list[float]] = {"ms": [], "floor": [], "plain": [], "ms_newer": [], "floor_newer": []}
    requests = _run(python, probe, spec.environment, endpoint)[1]  # and a first run to warm the disk cache
    floor = FLOOR.format(requests=requests)
    for _ in range(RUNS):
        runs["ms"].append(_run(python, probe, spec.environment, endpoint)[0])
        runs["floor"].append(_run(python, floor, {}, endpoint)[0])
        runs["plain"].append(_run(python, probe, plain, endpoint)[0])
        if newer.exists():
            runs["ms_newer"].append(_run(newer, probe, spec.environment, endpoint)[0])
            runs["floor_newer"].append(_run(newer, floor, {}, endpoint)[0])
    ratio = statistics.median(m / f for m, f in zip(runs["ms"], runs["floor"], strict=True))
    ratio_newer = (
        statistics.median(m / f for m, f in zip(runs["ms_newer"], runs["floor_newer"], strict=True))
        if runs["ms_newer"]
        else None
    )
    return ColdStart(
        function=spec.logical_id,
        handler=spec.handler,
        requests=requests,
        ms=statistics.median(runs["ms"]),
        floor_ms=statistics.median(runs["floor"]),
        ratio=ratio,
        without_plugin_switch_ms=statistics.median(runs["plain"]),
        newer_ms=statistics.median(runs["ms_newer"]) if runs["ms_newer"] else None,
        newer_ratio=ratio_newer,
    )


def cold_starts() -> list[ColdStart]:
    from infra.localcloud.provision import Clients, provision

    with moto_server() as endpoint:
        template = Template(endpoint_url=endpoint)
        provision(template, Clients(endpoint), notifications=False)
        results = [_measure(spec, endpoint) for spec in template.functions.values()]
    return sorted(results, key=lambda r: -r.ratio)
