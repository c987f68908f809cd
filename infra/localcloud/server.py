"""`backoffice local`: the embedded AWS, the HTTP API, the queue pollers and the scheduler in one process."""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from infra.localcloud import portal
from infra.localcloud.embedded_aws import EmbeddedAws, Journal
from infra.localcloud.gateway import Gateway, HttpRequest, HttpResponse, json_response
from infra.localcloud.outbox import Outbox
from infra.localcloud.provision import Clients, apply_notifications, provision
from infra.localcloud.runtime import FunctionRuntime, Invocation
from infra.localcloud.state import renotify_inbox, restore, snapshot
from infra.localcloud.tokens import Signer
from infra.localcloud.triggers import (
    QueuePoller,
    Schedule,
    Scheduler,
    StreamPoller,
    failure_record,
    queue_mappings,
    schedules,
    stream_mappings,
)
from infra.localcloud.watchdog import Watchdog, dead_man_alarms, utc_now
from infra.publish import office_settings
from infra.template import TEMPLATE_PATH, Template


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")  # noqa: DTZ005 - console time is local on purpose


class LocalCloud:
    """Everything `make run` starts, wired from one template."""

    def __init__(
        self,
        *,
        template_path: Path = TEMPLATE_PATH,
        state_dir: Path,
        api_port: int,
        aws_port: int,
        host: str = "127.0.0.1",
        retry_delay: int = 2,
        parameters: dict[str, str] | None = None,
    ) -> None:
        self.host = host
        self.api_port = api_port
        self.aws_port = aws_port
        self.state_dir = state_dir
        self.retry_delay = retry_delay
        self.endpoint = f"http://{host}:{aws_port}"
        self.api_url = f"http://{host}:{api_port}"
        overrides = dict(parameters or {})
        self.template = Template(
            template_path,
            endpoint_url=self.endpoint,
            parameters={**overrides, **self._own_origin(template_path, overrides)},
        )
        self.portal_headers = portal.security_headers(self.template, self.endpoint)
        self.portal_paths = portal.viewer_request(self.template.resources)
        self.stop_event = threading.Event()
        self._print_lock = threading.Lock()
        self._request = threading.local()
        self.overheads: deque[tuple[float, float]] = deque(maxlen=100_000)  # ms: own CPU, wall outside

    def _own_origin(self, template_path: Path, overrides: dict[str, str]) -> dict[str, str]:
        """The portal is served from the API's origin here (from CloudFront in AWS, whose origin the
        template adds to CORS): allow it too."""
        origins = Template(template_path, parameters=overrides).parameters.get("AllowedOrigins")
        if origins is None or self.api_url in origins:
            return {}
        return {"AllowedOrigins": ",".join([*[o for o in origins if o], self.api_url])}

    # ------------------------------------------------------------- console
    def say(self, line: str) -> None:
        with self._print_lock:
            print(line, flush=True)

    def function_log(self, function: str, line: str) -> None:
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict) and "message" in record:
            skip = {
                "timestamp",
                "service",
                "location",
                "message",
                "level",
                "xray_trace_id",
                "function_arn",
                "function_request_id",
                "function_memory_size",
                "function_name",
                "cold_start",
                "sampling_rate",
            }
            extra = {k: v for k, v in record.items() if k not in skip}
            text = f"{record.get('level', 'INFO'):<5} {record['message']}"
            if extra:
                text += " " + json.dumps(extra, ensure_ascii=False, default=str)[:2000]
            line = text
        self.say(f"           {function} | {line}")

    def invoke(self, function: str, event: Any, trigger: str, label: str) -> Invocation:
        started = time.perf_counter()
        outcome = self.runtime.invoke(function, event)
        self._request.in_function = time.perf_counter() - started  # waiting for an environment included
        self.watchdog.invoked(self.runtime.resolve(function).logical_id)
        status = "ok" if outcome.ok else f"ERROR {outcome.error.get('errorType') if outcome.error else ''}"
        if trigger == "HTTP" and outcome.ok and isinstance(outcome.result, dict):
            status = str(outcome.result.get("statusCode", 200))
        cold = " (cold start)" if outcome.cold else ""
        self.say(
            f"{_clock()}  {trigger:<8} {label:<34} -> {function:<28} {status:<6} "
            f"{outcome.duration_ms:7.0f} ms{cold}"
        )
        if trigger != "HTTP":  # off the API's path; `backoffice outbox` collects before it reads
            self.outbox.collect()
        return outcome

    # ------------------------------------------------------------- lifecycle
    def start(self) -> None:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.journal = Journal(self.state_dir / "journal")
        self.aws = EmbeddedAws(self.host, self.aws_port)
        self.aws.start()
        self.clients = Clients(self.endpoint)
        provision(self.template, self.clients, notifications=False)
        restored = restore(self.template, self.clients, self.state_dir)
        apply_notifications(self.template, self.clients)
        restored["replayed"] = self.aws.replay(self.journal)
        renotify_inbox(self.template)
        if restored["replayed"]:
            snapshot(self.template, self.clients, self.state_dir)  # the journal's changes are in it now
        self.journal.truncate()  # opens it, empty: everything in it is now in the snapshot
        self.aws.keep(self.journal)  # from here on, every acknowledged change is on disk first
        self.outbox = Outbox(self.state_dir)
        self.outbox.collect()
        self.watchdog = Watchdog(dead_man_alarms(self.template), self.state_dir, self.say, utc_now)

        authorizers = (self.template.http_api().get("Auth") or {}).get("Authorizers") or {}
        first: dict[str, Any] = next(iter(authorizers.values()), {})
        jwt_config: dict[str, Any] = first.get("JwtConfiguration") or {}
        self.signer = Signer(
            self.state_dir,
            jwt_config.get("issuer", self.api_url),
            (jwt_config.get("audience") or ["local"])[0],
        )
        base_env = {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "local",
        }
        self.runtime = FunctionRuntime(
            self.template.functions,
            base_env,
            self.function_log,
            concurrency=int(os.environ.get("BACKOFFICE_CONCURRENCY", "4")),
            api_first=self.aws.app.api_first if self.aws.app else None,
        )
        self.gateway = Gateway(
            self.template,
            self.signer,
            lambda fn, event: self.invoke(fn, event, "HTTP", event["routeKey"]),
        )
        self.http = Front((self.host, self.api_port), self._handler_class())
        threading.Thread(target=self.http.serve_forever, daemon=True, name="http-api").start()

        self.pollers = [
            QueuePoller(
                m, self.clients.sqs, self._queue_invoker(m.queue_url), self.stop_event, self.retry_delay
            )
            for m in queue_mappings(self.template)
        ]
        for poller in self.pollers:
            poller.start()
        for stream in stream_mappings(self.template):
            StreamPoller(
                stream,
                self.clients.dynamodb,
                self.clients.dynamodbstreams,
                self.clients.sqs,
                self._stream_invoker(stream.table),
                self.stop_event,
                self.aws.app.wait_for_table_write if self.aws.app else None,
            ).start()
        self.schedules = schedules(self.template)
        Scheduler(self.schedules, self.fire, self.stop_event).start()
        threading.Thread(target=self._reap_loop, daemon=True, name="reaper").start()
        self._banner(restored)
        threading.Thread(
            target=self.watchdog.watch, args=(self.stop_event,), daemon=True, name="watchdog"
        ).start()

    def _stream_invoker(self, table: str) -> Callable[[str, Any], Invocation]:
        return lambda function, event: self.invoke(function, event, "STREAM", table)

    def _queue_invoker(self, queue_url: str) -> Callable[[str, Any], Invocation]:
        label = queue_url.rsplit("/", 1)[-1]
        return lambda function, event: self.invoke(function, event, "SQS", label)

    def _banner(self, restored: dict[str, int]) -> None:
        resources = self.resources()
        lines = [
            "",
            "Back Office local cloud is running",
            f"  staff portal    {self.api_url}/   (sign in as staff, admin or an employee)",
            f"  HTTP API        {self.api_url}   (docs: {self.api_url}/docs)",
            f"  embedded AWS    {self.endpoint}",
            f"  documents       s3://{resources['bucket']}/inbox/",
            f"  state folder    {self.state_dir}   "
            f"(restored {restored['items']} items, {restored['objects']} objects; "
            f"{restored['replayed']} changes replayed from the journal)",
            "  tables          " + ", ".join(resources["tables"].values()),
            "  queues          " + ", ".join(resources["queues"].values()),
            "  functions       " + ", ".join(resources["functions"]),
        ]
        for entry in self.schedules:
            lines.append(
                f"  schedule        {entry.name}: {entry.expression} {entry.timezone.key} -> {entry.function}"
            )
        lines += ["  Get a token:    backoffice token --role staff", "  Stop:           Ctrl-C", ""]
        self.say("\n".join(lines))

    def resources(self) -> dict[str, Any]:
        t = self.template
        buckets = [t.physical_name(lid) for lid in t.of_type("AWS::S3::Bucket")]
        return {
            "api_url": self.api_url,
            "aws_endpoint": self.endpoint,
            "bucket": next((b for b in buckets if "documents" in b), buckets[0] if buckets else None),
            "buckets": buckets,
            "tables": {lid: t.physical_name(lid) for lid in t.of_type("AWS::DynamoDB::Table")},
            "queues": {lid: t.physical_name(lid) for lid in t.of_type("AWS::SQS::Queue")},
            "functions": list(t.functions),
            "timezone": t.output("OfficeTimezone", "UTC"),
            "country": str(t.parameters.get("OfficeCountry", "US")),
            "schedules": [
                {
                    "name": s.name,
                    "function": s.function,
                    "expression": s.expression,
                    "timezone": s.timezone.key,
                }
                for s in self.schedules
            ],
        }

    def fire(self, entry: Schedule, at: datetime) -> Invocation:
        """Run one schedule as if at `at`. The scheduler hands it over once (its own retries and dead-letter
        queue are for failing to hand it over, which does not happen here); the function's run is
        asynchronous, so Lambda retries it (EventInvokeConfig, twice by default) and then sends its record
        to the function's on-failure destination, or drops it, as in AWS."""
        spec = self.template.functions[entry.function]
        attempts = 1 + spec.async_retries
        outcome = None
        for _ in range(attempts):
            outcome = self.invoke(entry.function, entry.event(at, 1), "SCHEDULE", entry.name)
            if outcome.ok:
                return outcome
        assert outcome is not None
        failed = failure_record(spec, entry.event(at, 1), outcome.error, attempts)
        if spec.on_failure:
            url = self.clients.sqs.get_queue_url(QueueName=spec.on_failure.rsplit(":", 1)[-1])["QueueUrl"]
            self.clients.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(failed))
        else:
            self.say(f"{_clock()}  WARNING  {entry.function} failed {attempts} times; dropped, as in AWS")
        return outcome

    def _reap_loop(self) -> None:
        while not self.stop_event.wait(60):
            self.runtime.reap()

    def save(self) -> None:
        """Fold the journal into a fresh snapshot, so the next start replays nothing."""
        try:
            snapshot(self.template, self.clients, self.state_dir)
        except Exception as error:  # the journal still holds every change
            self.say(
                f"{_clock()}  WARNING  could not save a snapshot ({error}); the journal keeps the changes"
            )
            return
        self.journal.truncate()

    def stop(self) -> None:
        self.stop_event.set()
        self.http.shutdown()
        self.runtime.shutdown()
        self.outbox.collect()
        self.save()
        self.aws.stop()
        self.journal.close()
        self.say("state saved; bye")

    # ------------------------------------------------------------ HTTP layer
    def control(self, request: HttpRequest) -> HttpResponse | None:
        """The local-only endpoints that the `backoffice` command uses."""
        url = urlsplit(request.target)
        parts = [p for p in url.path.split("/") if p]
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/jwks.json":
            return json_response(200, self.signer.jwks())
        if request.method in ("GET", "HEAD"):
            page = portal.serve(
                self.template.path.parent / "web" / "portal",
                url.path,
                office_settings(
                    self.template.parameters,
                    {
                        name: self.template.output(name)
                        for name in ("OfficeCurrency", "OfficeTimezone", "OfficeTaxRate")
                    },
                ),
                self.portal_headers,
                self.portal_paths,
            )
            if page is not None:
                return page
        if not parts or parts[0] != "_local":
            return None
        body = json.loads(request.body or b"{}") if request.method == "POST" else {}
        route = (request.method, *parts[1:2])
        if route == ("GET", "stats"):
            return json_response(200, overhead_stats(list(self.overheads)))
        if route == ("GET", "resources"):
            return json_response(200, self.resources())
        if route == ("GET", "outbox") and len(parts) == 2:
            return json_response(200, self.outbox.list(query.get("to")))
        if route == ("GET", "outbox") and len(parts) == 3:
            message = self.outbox.read(parts[2])
            return json_response(200 if message else 404, message or {"message": "no such email"})
        if route == ("POST", "tokens"):
            token = self.signer.issue(
                body.get("role", "staff"),
                employee_id=body.get("employee_id"),
                expires_in=int(body.get("expires_in", 8 * 3600)),
                email=body.get("email"),
                name=body.get("name"),
                subject=body.get("subject"),
            )
            return json_response(200, {"token": token})
        if route == ("POST", "schedules") and len(parts) == 3:
            entry = next((s for s in self.schedules if parts[2] in (s.name, f"{s.function}.{s.name}")), None)
            if entry is None:
                return json_response(
                    404, {"message": f"no schedule {parts[2]}", "known": [s.name for s in self.schedules]}
                )
            at = (
                datetime.fromisoformat(body["at"].replace("Z", "+00:00"))
                if body.get("at")
                else datetime.now(UTC)
            )
            if at.tzinfo is None:
                at = at.replace(tzinfo=entry.timezone)
            outcome = self.fire(entry, at)
            return json_response(200, {"ok": outcome.ok, "result": outcome.result, "error": outcome.error})
        if route == ("POST", "functions") and len(parts) == 4 and parts[3] == "invocations":
            try:
                self.runtime.resolve(parts[2])
            except KeyError as error:
                return json_response(404, {"message": str(error)})
            outcome = self.invoke(parts[2], body, "INVOKE", "backoffice invoke")
            return json_response(200, {"ok": outcome.ok, "result": outcome.result, "error": outcome.error})
        return json_response(404, {"message": "unknown local endpoint"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        cloud = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = HttpRequest(
                    self.command,
                    self.path,
                    list(self.headers.items()),
                    self.rfile.read(length) if length else b"",
                    self.client_address[0],
                )
                started, cpu = time.perf_counter(), time.thread_time()
                cloud._request.in_function = 0.0
                try:
                    response = cloud.control(request)
                    if response is None:
                        response, function = cloud.gateway.handle(request)
                        if function:  # the gateway's own CPU time, and its wall time outside the function
                            outside = time.perf_counter() - started - cloud._request.in_function
                            cloud.overheads.append(((time.thread_time() - cpu) * 1000, outside * 1000))
                except Exception as error:
                    cloud.say(f"{_clock()}  ERROR    {request.method} {request.target}: {error}")
                    response = json_response(500, {"message": "Internal Server Error"})
                if response.status in (401, 404) and not request.target.startswith("/_local"):
                    elapsed = (time.perf_counter() - started) * 1000
                    cloud.say(
                        f"{_clock()}  HTTP     {request.method} {urlsplit(request.target).path:<29} "
                        f"{'':<31} {response.status:<6} {elapsed:7.0f} ms"
                    )
                self.send_response(response.status)
                for name, value in response.headers:
                    self.send_header(name, value)
                self.send_header("content-length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            def __getattr__(self, name: str) -> Any:
                """Every HTTP method reaches the gateway (which answers 404 where no route has it)."""
                if name.startswith("do_"):
                    return self._serve
                raise AttributeError(name)

        return Handler


def overhead_stats(samples: list[tuple[float, float]]) -> dict[str, float]:
    """Percentiles of what the local gateway adds to API calls: its own CPU time, and the wall time
    outside the function (which also counts waiting for a core the functions and moto are using)."""
    if not samples:
        return {"requests": 0}

    def at(values: list[float], share: float) -> float:
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    own, outside = [s[0] for s in samples], [s[1] for s in samples]
    return {
        "requests": len(samples),
        "p50_ms": at(own, 0.50),
        "p95_ms": at(own, 0.95),
        "p99_ms": at(own, 0.99),
        "wall_outside_p50_ms": at(outside, 0.50),
        "wall_outside_p95_ms": at(outside, 0.95),
    }


class Front(ThreadingHTTPServer):
    """The API's listening socket: a crowd waits in the accept queue, as at API Gateway's door,
    instead of being reset (the standard library's default backlog is 5)."""

    request_queue_size = 1024
    daemon_threads = True


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


def run(
    template_path: Path, state_dir: Path, api_port: int, aws_port: int, parameters: dict[str, str]
) -> None:
    """Start the local cloud and serve until Ctrl-C or SIGTERM."""
    # The embedded AWS holds every item and object as Python objects: collect the young generations
    # less often and leave what survived the start out of the full collections, which otherwise
    # stop every request for a time that grows with the data held.
    gc.set_threshold(50_000, 20, 20)
    for variable, port in (("BACKOFFICE_API_PORT", api_port), ("BACKOFFICE_AWS_PORT", aws_port)):
        if port_in_use("127.0.0.1", port):
            sys.exit(
                f"backoffice local: port {port} is already in use (is the local cloud already running?); "
                f"choose another with {variable}"
            )
    cloud = LocalCloud(
        template_path=template_path,
        state_dir=state_dir,
        api_port=api_port,
        aws_port=aws_port,
        retry_delay=int(os.environ.get("BACKOFFICE_RETRY_DELAY", "2")),
        parameters=parameters,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    cloud.start()
    gc.freeze()
    stopped.wait()
    cloud.stop()
    sys.exit(0)
