"""Run functions as Lambda does: one process per concurrent execution, warm between invocations.

Each execution environment gets the function's environment from the template (plus the local
endpoint and credentials) and its handler's timeout; a timed-out environment is killed.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from infra.localcloud.embedded_aws import API_ACCESS_KEY, ApiFirst
from infra.template import REGION, ROOT, FunctionSpec
from infra.timeshift import ENV

LogSink = Callable[[str, str], None]
BACKGROUND_NICENESS = 19


@dataclass
class Invocation:
    """The outcome of one invocation."""

    ok: bool
    result: Any
    error: dict[str, Any] | None
    duration_ms: float
    cold: bool


def _serves_http(spec: FunctionSpec) -> bool:
    return any(event.type == "HttpApi" for event in spec.events)


class _Environment:
    """One warm process of a function."""

    def __init__(self, spec: FunctionSpec, env: dict[str, str], log: LogSink) -> None:
        self.spec = spec
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.localcloud.worker"],
            env=env,
            cwd=str(spec.code_dir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        if not _serves_http(spec):
            # In AWS every environment has a CPU of its own; here they share a few, so work nobody
            # waits on (queues, streams, schedules) yields to the API, and catches up after.
            os.setpriority(os.PRIO_PROCESS, self.process.pid, BACKGROUND_NICENESS)
        self.responses: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, args=(log,), daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.responses.put(line)
        self.responses.put(None)

    def _read_stderr(self, log: LogSink) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            log(self.spec.logical_id, line.rstrip("\n"))

    def alive(self) -> bool:
        return self.process.poll() is None

    def invoke(self, event: Any) -> tuple[bool, Any, dict[str, Any] | None]:
        assert self.process.stdin is not None
        request = {"event": event, "requestId": str(uuid.uuid4()), "timeout": self.spec.timeout}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        try:
            line = self.responses.get(timeout=self.spec.timeout)
        except queue.Empty:
            self.kill()
            return (
                False,
                None,
                {"errorType": "Timeout", "errorMessage": f"Task timed out after {self.spec.timeout} seconds"},
            )
        if line is None:
            return (
                False,
                None,
                {"errorType": "Runtime.ExitError", "errorMessage": "the function's process exited"},
            )
        response = json.loads(line)
        return bool(response["ok"]), response.get("result"), response.get("error")

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
            self.process.wait(timeout=5)


THROTTLED = {"errorType": "TooManyRequestsException", "errorMessage": "Rate Exceeded."}


class FunctionRuntime:
    """Invokes the template's functions as Lambda scales them. A function with
    `ReservedConcurrentExecutions` runs at most that many at once and refuses more (429, as Lambda
    throttles); any other grows to `concurrency` environments, and invocations beyond wait their turn
    (locally there is one machine, not a fleet). Environments idle for `idle_seconds` are stopped."""

    def __init__(
        self,
        functions: dict[str, FunctionSpec],
        base_env: dict[str, str],
        log: LogSink,
        concurrency: int = 4,
        idle_seconds: float = 300.0,
        api_first: ApiFirst | None = None,
    ) -> None:
        self.functions = functions
        self.base_env = base_env
        self.log = log
        self.concurrency = concurrency
        self.idle_seconds = idle_seconds
        self.api_first = api_first or ApiFirst()
        self._idle: dict[str, list[tuple[float, _Environment]]] = {name: [] for name in functions}
        self._slots = {
            name: threading.BoundedSemaphore(spec.reserved_concurrency or concurrency)
            for name, spec in functions.items()
        }
        self._lock = threading.Lock()
        self._all: list[_Environment] = []

    def environment_for(self, spec: FunctionSpec) -> dict[str, str]:
        """The process environment of a function, as Lambda would set it, pointed at the local AWS."""
        env = {key: os.environ[key] for key in ("PATH", "LANG", "HOME", "TZ", ENV) if key in os.environ}
        env.update(self.base_env)
        env.update(spec.environment)
        if _serves_http(spec):  # its AWS requests go first in the embedded AWS
            env["AWS_ACCESS_KEY_ID"] = API_ACCESS_KEY
        env.update(
            {
                "_HANDLER": spec.handler,
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_LAMBDA_FUNCTION_NAME": spec.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "LAMBDA_TASK_ROOT": str(spec.code_dir),
                "PYTHONPATH": os.pathsep.join([str(spec.code_dir), str(ROOT)]),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def resolve(self, name: str) -> FunctionSpec:
        """A function by logical id or physical name."""
        for spec in self.functions.values():
            if name in (spec.logical_id, spec.name):
                return spec
        raise KeyError(f"no function named {name}; known: {', '.join(self.functions)}")

    def invoke(self, name: str, event: Any) -> Invocation:
        spec = self.resolve(name)
        slots = self._slots[spec.logical_id]
        if not slots.acquire(blocking=spec.reserved_concurrency is None):
            return Invocation(False, None, dict(THROTTLED), 0.0, False)
        try:
            with self._lock:
                idle = self._idle[spec.logical_id]
                environment = idle.pop()[1] if idle else None
            cold = environment is None or not environment.alive()
            if environment is None or not environment.alive():
                environment = _Environment(spec, self.environment_for(spec), self.log)
                with self._lock:
                    self._all.append(environment)
            started = time.perf_counter()
            with self.api_first.running() if _serves_http(spec) else nullcontext():
                ok, result, error = environment.invoke(event)
            duration = (time.perf_counter() - started) * 1000
            if environment.alive():
                with self._lock:
                    self._idle[spec.logical_id].append((time.monotonic(), environment))
        finally:
            slots.release()
        return Invocation(ok, result, error, duration, cold)

    def reap(self) -> int:
        """Stop the environments that have waited longer than `idle_seconds`; returns how many."""
        cutoff = time.monotonic() - self.idle_seconds
        stale: list[_Environment] = []
        with self._lock:
            for name, idle in self._idle.items():
                stale += [environment for since, environment in idle if since < cutoff]
                self._idle[name] = [(since, e) for since, e in idle if since >= cutoff]
            self._all = [e for e in self._all if e not in stale]
        for environment in stale:
            environment.kill()
        return len(stale)

    def shutdown(self) -> None:
        with self._lock:
            for environment in self._all:
                environment.kill()
            self._all.clear()
