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
from dataclasses import dataclass
from typing import Any

from infra.template import REGION, ROOT, FunctionSpec

LogSink = Callable[[str, str], None]


@dataclass
class Invocation:
    """The outcome of one invocation."""

    ok: bool
    result: Any
    error: dict[str, Any] | None
    duration_ms: float
    cold: bool


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


class FunctionRuntime:
    """Invokes the template's functions, keeping up to `concurrency` warm environments each."""

    def __init__(
        self, functions: dict[str, FunctionSpec], base_env: dict[str, str], log: LogSink, concurrency: int = 4
    ) -> None:
        self.functions = functions
        self.base_env = base_env
        self.log = log
        self.concurrency = concurrency
        self._idle: dict[str, list[_Environment]] = {name: [] for name in functions}
        self._slots = {name: threading.Semaphore(concurrency) for name in functions}
        self._lock = threading.Lock()
        self._all: list[_Environment] = []

    def environment_for(self, spec: FunctionSpec) -> dict[str, str]:
        """The process environment of a function, as Lambda would set it, pointed at the local AWS."""
        env = {key: os.environ[key] for key in ("PATH", "LANG", "HOME", "TZ") if key in os.environ}
        env.update(self.base_env)
        env.update(spec.environment)
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
        with self._slots[spec.logical_id]:
            with self._lock:
                idle = self._idle[spec.logical_id]
                environment = idle.pop() if idle else None
            cold = environment is None or not environment.alive()
            if environment is None or not environment.alive():
                environment = _Environment(spec, self.environment_for(spec), self.log)
                with self._lock:
                    self._all.append(environment)
            started = time.perf_counter()
            ok, result, error = environment.invoke(event)
            duration = (time.perf_counter() - started) * 1000
            if environment.alive():
                with self._lock:
                    self._idle[spec.logical_id].append(environment)
        return Invocation(ok, result, error, duration, cold)

    def shutdown(self) -> None:
        with self._lock:
            for environment in self._all:
                environment.kill()
            self._all.clear()
