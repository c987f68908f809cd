"""Start the local cloud as a subprocess on free ports and drive it from the outside."""

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext

from core.clock import business_date, system_clock
from infra import timeshift
from infra.localcloud.provision import Clients

ROOT = Path(__file__).resolve().parents[2]
PROBE_TEMPLATE = Path(__file__).parent / "probe" / "template.yaml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningCloud:
    """A `backoffice local` process and what it takes to talk to it."""

    template: Path
    state_dir: Path
    api_port: int = field(default_factory=free_port)
    aws_port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    log_path: Path | None = None
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "BACKOFFICE_API_PORT": str(self.api_port),
            "BACKOFFICE_AWS_PORT": str(self.aws_port),
            "BACKOFFICE_STATE_DIR": str(self.state_dir),
            "BACKOFFICE_RETRY_DELAY": "1",
        }

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start(self) -> "RunningCloud":
        """Start it and wait until it answers, for as long as it is still starting; a port another process
        took between `free_port` and the bind is traded for fresh ones."""
        for _ in range(3):
            if self._started():
                return self
            if "Address already in use" not in self.log():
                raise RuntimeError(f"local cloud exited:\n{self.log()}")
            self.api_port, self.aws_port = free_port(), free_port()
        raise RuntimeError(f"local cloud found no free port:\n{self.log()}")

    def _started(self) -> bool:
        self.log_path = self.state_dir.parent / f"local-cloud-{self.api_port}.log"
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.cli", "local", "--template", str(self.template)]
            + (
                ["--parameter-overrides", *(f"{k}={v}" for k, v in self.parameters.items())]
                if self.parameters
                else []
            ),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        give_up = time.monotonic() + 300  # a cloud that is alive and still starting is waited for
        while self.process.poll() is None and time.monotonic() < give_up:
            try:
                self.get("/_local/resources")
                return True
            except OSError:
                time.sleep(0.3)
        if self.process.poll() is None:
            raise RuntimeError(f"local cloud did not start:\n{self.log()}")
        return False

    def stop(self) -> None:
        """Ctrl-C, as a person stops it; one still saving after a minute (a backlog of deliveries under a
        loaded machine) is killed: a test's cloud keeps nothing."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path else ""

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.api + path, data=data, method=method, headers=headers or {})
        if data is not None and "content-type" not in {k.lower() for k in (headers or {})}:
            req.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.api + path, timeout=10) as response:
            return json.loads(response.read())

    def token(self, role: str = "staff", **extra: Any) -> str:
        status, _, body = self.request("POST", "/_local/tokens", {"role": role, **extra})
        assert status == 200
        return str(json.loads(body)["token"])

    def client(self, service: str) -> Any:
        return getattr(Clients(f"http://127.0.0.1:{self.aws_port}"), service)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "infra.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


CHEQUE_NUMBERS = itertools.count(700000)
"""Cheque numbers for tests that need ones no other test of the run uses (the office is shared)."""


def cheque_numbers(count: int = 1) -> list[str]:
    """`count` consecutive cheque numbers, never handed out before in this run."""
    first = next(CHEQUE_NUMBERS)
    for _ in range(count - 1):
        next(CHEQUE_NUMBERS)
    return [str(first + i) for i in range(count)]


def on_the_run_s_clock(context: BrowserContext) -> BrowserContext:
    """A browser context whose pages live at a `NOW=` run's moment, as the local cloud does (a browser
    keeps its own clock: it is told, and ticks on from there)."""
    if os.environ.get(timeshift.ENV):
        context.clock.install(time=system_clock())
    return context


def office_today(cloud: RunningCloud) -> date:
    """Today in the office's timezone, by the one clock (a `NOW=` run's moment, else the real one)."""
    return business_date(system_clock(), ZoneInfo(cloud.get("/_local/resources")["timezone"]))


def wait_for(check: Any, timeout: float = 30.0, interval: float = 0.3) -> Any:
    """Poll until check() returns something truthy."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="module")
def probe_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    cloud = RunningCloud(PROBE_TEMPLATE, tmp_path_factory.mktemp("probe") / "state").start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    """The real back office, from template.yaml."""
    cloud = RunningCloud(ROOT / "template.yaml", tmp_path_factory.mktemp("office") / "state").start()
    yield cloud
    cloud.stop()
