"""The embedded AWS: moto's server, made to keep the promises of the services it stands in for.

- **Isolation.** moto serves requests on threads, and some of its operations are not safe against each
  other: a failed TransactWriteItems rolls back by putting back a copy of the table taken before it,
  erasing whatever another request wrote meanwhile. Here each service's requests run one at a time
  (one lock per service), so conditional writes and transactions are atomic and isolated as in
  DynamoDB. SQS long polls wait outside the lock (moto's queues guard themselves).
- **Durability.** Every request that changed something (a table write, an object stored or deleted, an
  event put on a bus, a message sent) is appended to a journal and flushed to disk before its answer
  goes out. A restart loads the last snapshot and replays the journal in order — objects keep their
  version ids — so what was acknowledged survives `kill -9`, and replayed uploads, events and
  messages are delivered again (every consumer is idempotent). Making one change durable costs one
  append, whatever the data held; the snapshot is written on a clean stop and after a replay.
"""

from __future__ import annotations

import copy
import io
import json
import os
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock
from uuid import UUID

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

JOURNALLED_TARGETS = {
    "DynamoDB_20120810": {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"},
    "AWSEvents": {"PutEvents"},
    "AmazonSQS": {"SendMessage", "SendMessageBatch"},
}
UNLOCKED_TARGETS = {"AmazonSQS.ReceiveMessage"}  # a long poll waits on the queue, not on the service
# Requests signed with this access key come from the API's functions, which a person is waiting on.
# While any API invocation runs, every other request (queues, streams, schedules, the local cloud's
# own pollers) waits for up to YIELD_SECONDS before it is served, as their functions' processes yield
# the CPU: the embedded AWS is one process, and one request of background work holds it for all.
API_ACCESS_KEY = "local-api"
YIELD_SECONDS = 0.25


class ApiFirst:
    """How many API invocations are running, for background requests to wait on."""

    def __init__(self) -> None:
        self._running = 0
        self._quiet = threading.Condition()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._quiet:
            self._running += 1
        try:
            yield
        finally:
            with self._quiet:
                self._running -= 1
                self._quiet.notify_all()

    def wait_for_quiet(self, timeout: float = YIELD_SECONDS) -> None:
        with self._quiet:
            self._quiet.wait_for(lambda: self._running == 0, timeout=timeout)


HEADER = struct.Struct(">II")


def _target(environ: Environ) -> tuple[str, str]:
    prefix, _, action = str(environ.get("HTTP_X_AMZ_TARGET", "")).partition(".")
    return prefix, action


def service_of(environ: Environ) -> str:
    """Which service a request is for: its X-Amz-Target prefix, else its credential scope, else S3
    (browser form uploads and pre-signed URLs carry neither)."""
    prefix, _ = _target(environ)
    if prefix.startswith("DynamoDBStreams"):
        # a stream read slices its shard's record list, which table writes only append to: it waits
        # for other stream reads, never for the tables
        return "dynamodbstreams"
    if prefix.startswith("DynamoDB"):
        return "dynamodb"
    if prefix:
        return prefix
    authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
    if "Credential=" in authorization:
        scope = authorization.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) >= 4:
            return scope[3]
    return "s3"


TABLE_READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
TABLE_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


def tables_named(body: bytes, *, checks: bool = True) -> set[str]:
    """Every table a DynamoDB data request names; without `checks`, not those a transaction only
    checks a condition on (the tables a successful write changed)."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return set()
    names = {request["TableName"]} if "TableName" in request else set()
    names |= set(request.get("RequestItems") or {})
    for item in request.get("TransactItems") or []:
        names |= {
            part["TableName"]
            for kind, part in item.items()
            if isinstance(part, dict) and "TableName" in part and (checks or kind != "ConditionCheck")
        }
    return names


class ReadWriteLock:
    """Many readers at once, or one writer; a writer waiting goes before readers that come after it."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._changed:
            self._writers_waiting += 1
            self._changed.wait_for(lambda: not self._writing and not self._readers)
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


class TableLocks:
    """DynamoDB as it isolates: reads of a table run together, a write to it runs alone, tables do not
    wait for each other, and a transaction holds every table it names (taken in name order, so two
    never wait on each other). Anything else (creating, describing, listing tables) runs alone."""

    def __init__(self) -> None:
        self._all = ReadWriteLock()
        self._tables: dict[str, ReadWriteLock] = {}
        self._guard = threading.Lock()

    def _of(self, table: str) -> ReadWriteLock:
        with self._guard:
            return self._tables.setdefault(table, ReadWriteLock())

    @contextmanager
    def held(self, action: str, body: bytes) -> Iterator[None]:
        tables = tables_named(body) if action in TABLE_READS | TABLE_WRITES else set()
        if not tables:
            with self._all.writing():
                yield
            return
        with self._all.reading(), ExitStack() as stack:
            for table in sorted(tables):
                lock = self._of(table)
                stack.enter_context(lock.reading() if action in TABLE_READS else lock.writing())
            yield


def journalled(environ: Environ, service: str) -> bool:
    """Whether a successful request changed state that must survive a crash."""
    prefix, action = _target(environ)
    if prefix:
        return action in JOURNALLED_TARGETS.get(prefix, set())
    if service != "s3":
        return False
    method = environ.get("REQUEST_METHOD", "GET")
    parts = [p for p in str(environ.get("PATH_INFO", "")).split("/") if p]
    if parts[:1] == ["moto-api"]:  # moto's own controls, not data
        return False
    query = str(environ.get("QUERY_STRING", ""))
    if method == "POST":  # a form upload to the bucket, or DeleteObjects
        return len(parts) >= 1 and (not query or query.startswith("delete"))
    return method in ("PUT", "DELETE") and len(parts) >= 2  # objects, not bucket settings


class Journal:
    """Changes in the order they were acknowledged: each one on disk before its answer goes out."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file: io.BufferedWriter | None = None

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("ab")

    def append(self, request: dict[str, Any], body: bytes) -> None:
        meta = json.dumps(request).encode()
        with self._lock:
            assert self._file is not None, "the journal is not open"
            self._file.write(HEADER.pack(len(meta), len(body)) + meta + body)
            self._file.flush()
            os.fsync(self._file.fileno())

    def entries(self) -> Iterator[tuple[dict[str, Any], bytes]]:
        """Every complete entry; a torn last one (the crash came mid-write) was never acknowledged."""
        if not self.path.exists():
            return
        with self.path.open("rb") as source:
            while True:
                head = source.read(HEADER.size)
                if len(head) < HEADER.size:
                    return
                meta_size, body_size = HEADER.unpack(head)
                meta, body = source.read(meta_size), source.read(body_size)
                if len(meta) < meta_size or len(body) < body_size:
                    return
                yield json.loads(meta), body

    def truncate(self) -> None:
        with self._lock:
            if self._file:
                self._file.close()
            self.path.write_bytes(b"")
            self._file = self.path.open("ab")

    def close(self) -> None:
        with self._lock:
            if self._file:
                self._file.close()
                self._file = None


def _recorded(environ: Environ) -> dict[str, Any]:
    keep = ("REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "RAW_URI", "REQUEST_URI")
    return {k: v for k, v in environ.items() if k in keep or (k.startswith("HTTP_") and isinstance(v, str))}


class Serialised:
    """WSGI middleware in front of moto: requests isolated as their service does, changes journalled."""

    def __init__(self, app: WsgiApp, journal: Journal | None) -> None:
        self.app = app
        self.journal = journal
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._tables = TableLocks()
        self.api_first = ApiFirst()
        self._writes = threading.Condition()
        # acknowledged writes per table: each stream reader waits on its own table's count
        self.table_writes: dict[str, int] = {}

    def wait_for_table_write(self, table: str, seen: int, timeout: float) -> int:
        """Block until `table` has a write after its `seen`-th one (or the timeout); returns the count."""
        with self._writes:
            self._writes.wait_for(lambda: self.table_writes.get(table, 0) > seen, timeout=timeout)
            return self.table_writes.get(table, 0)

    def _yield_to_api(self, environ: Environ) -> None:
        """Background work (signed with another key than the API's) waits while API invocations
        run, at most YIELD_SECONDS; a browser's upload form and pre-signed URLs carry no
        Authorization header and do not wait."""
        authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
        if "Credential=" in authorization and f"Credential={API_ACCESS_KEY}/" not in authorization:
            self.api_first.wait_for_quiet()

    def _held(self, environ: Environ, service: str, body: bytes) -> AbstractContextManager[Any]:
        """What a request holds while moto serves it: its tables (DynamoDB), else its whole service."""
        if service == "dynamodb":
            return self._tables.held(_target(environ)[1], body)
        with self._guard:
            return self._locks.setdefault(service, threading.Lock())

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        prefix, action = _target(environ)
        if f"{prefix}.{action}" in UNLOCKED_TARGETS:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        service = service_of(environ)
        self._yield_to_api(environ)
        return self._serve(environ, start_response, service, body)

    def _serve(
        self, environ: Environ, start_response: StartResponse, service: str, body: bytes
    ) -> list[bytes]:
        answered: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answered[:] = [status, headers, exc_info]
            return lambda _: None

        with self._held(environ, service, body):
            request = _recorded(environ)
            chunks = self.app(environ, capture)
            try:
                payload = b"".join(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
            status, headers, exc_info = answered
            changed = int(status.split()[0]) < 300 and journalled(environ, service)
            if changed and self.journal:
                version = next((v for k, v in headers if k.lower() == "x-amz-version-id"), None)
                self.journal.append({**request, "version_id": version}, body)
        if changed and service == "dynamodb":
            with self._writes:
                for table in tables_named(body, checks=False):
                    self.table_writes[table] = self.table_writes.get(table, 0) + 1
                self._writes.notify_all()
        start_response(status, headers, exc_info)
        return [payload]

    def replay(self, journal: Journal) -> int:
        """Apply every journalled change again, in order, keeping S3 version ids; returns how many."""
        count = 0
        for request, body in journal.entries():
            environ: Environ = {
                **{k: v for k, v in request.items() if k != "version_id"},
                "SERVER_NAME": "localhost",
                "SERVER_PORT": "4566",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": io.StringIO(),
                "CONTENT_LENGTH": str(len(body)),
            }
            with version_ids(request.get("version_id")):
                list(self.app(environ, lambda *_: lambda _: None))
            count += 1
        return count


@contextmanager
def version_ids(version: str | None) -> Iterator[None]:
    """While replaying an object write, moto gives the new version the id it had the first time."""
    if not version or version == "null":
        yield
        return
    from moto.s3 import models

    with mock.patch.object(models.random, "uuid4", return_value=UUID(version)):
        yield


def cheap_transactions(patches: ExitStack) -> None:
    """Give moto's TransactWriteItems an item-level rollback in place of a copy of every table it
    touches (which costs as much as the tables hold, on every transaction). Sound only because a
    transaction here holds every table it names alone (`TableLocks`): the items it names are copied
    first and put back, with the stream left as it was, if any of its writes is refused."""
    import moto.dynamodb.models as models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items
    table_copy = SimpleNamespace(
        deepcopy=lambda value, memo=None: value if isinstance(value, Table) else copy.deepcopy(value, memo)
    )
    patches.enter_context(mock.patch.object(models, "copy", table_copy))

    def key_of(table: Table, op: dict[str, Any]) -> tuple[DynamoType, DynamoType | None]:
        attrs = op.get("Key") or op["Item"]
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
        return hash_key, range_key

    def transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
        before: list[tuple[Table, DynamoType, DynamoType | None, Any]] = []
        streams: dict[str, int] = {}
        for entry in transact_items:
            op: dict[str, Any] = next(iter(entry.values()), {})
            table = backend.tables.get(op.get("TableName"))
            try:
                hash_key, range_key = key_of(table, op)
                before.append(
                    (table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key)))
                )
            except Exception:  # noqa: S112 - moto refuses this request itself, with its own message
                continue
            if table.stream_shard is not None:
                streams.setdefault(table.name, len(table.stream_shard.items))
        try:
            original(backend, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(before):
                if item is None:
                    table.delete_item(hash_key, range_key)
                elif range_key is not None:
                    table.items[hash_key][range_key] = item
                else:
                    table.items[hash_key] = item
            for name, length in streams.items():
                del backend.tables[name].stream_shard.items[length:]
            raise

    patches.enter_context(
        mock.patch.object(models.DynamoDBBackend, "transact_write_items", transact_write_items)
    )


def quick_queries(patches: ExitStack) -> None:
    """Three costs moto's Query pays on every page that DynamoDB does not, each growing with the
    table: it sorts every item of the table before it picks the partition (which it sorts again),
    it measures each item it returns twice, and it deep-copies the page before answering. Here a
    Query skips the first sort, measures each item once and answers from the items themselves:
    sound because no write to a table runs while a read of it does (`TableLocks`), and the page is
    written out before the read lets the table go."""
    from moto.dynamodb.models import table as module
    from moto.dynamodb.models.dynamo_type import Item

    state = threading.local()
    query, all_items, size = module.Table.query, module.Table.all_items, Item.size

    def quick_all_items(self: Any) -> list[Any]:
        if getattr(state, "sizes", None) is None:  # not in a Query (a Scan pages in this order)
            return all_items(self)
        groups = self.items.values()
        return [i for group in groups for i in (group.values() if self.range_key_attr else [group])]

    def measured_once(self: Any) -> Any:
        sizes = getattr(state, "sizes", None)
        if sizes is None:
            return size(self)
        if id(self) not in sizes:
            sizes[id(self)] = size(self)
        return sizes[id(self)]

    def quick_query(self: Any, *args: Any, **kwargs: Any) -> Any:
        state.sizes = {}
        try:
            return query(self, *args, **kwargs)
        finally:
            state.sizes = None

    def deepcopy(value: Any, memo: Any = None) -> Any:
        return value if getattr(state, "sizes", None) is not None else copy.deepcopy(value, memo)

    patches.enter_context(
        mock.patch.object(module, "copy", SimpleNamespace(deepcopy=deepcopy, copy=copy.copy))
    )
    patches.enter_context(mock.patch.object(module.Table, "query", quick_query))
    patches.enter_context(mock.patch.object(module.Table, "all_items", quick_all_items))
    patches.enter_context(mock.patch.object(Item, "size", measured_once))


def listed_once(patches: ExitStack) -> None:
    """moto's server lists its own package folder (a stat per service) on every request to find the
    service a host names; the list does not change while it runs."""
    import moto.backends as backends

    modules = tuple(backends.list_of_moto_modules())
    patches.enter_context(mock.patch.object(backends, "list_of_moto_modules", return_value=modules))


def _epoch_seconds(value: Any) -> float:
    """A timestamp as the JSON protocols write it (a stream record's ApproximateCreationDateTime)."""
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"{type(value).__name__} is not JSON")


def fast_table_responses(patches: ExitStack) -> None:
    """Answer DynamoDB and DynamoDB Streams with their results as they are: moto's results for these
    JSON services are already the wire format, and its generic serializer walks every attribute of
    every item against the service model (about 400 times slower, measured). Timestamps become epoch
    seconds, as the JSON protocol has them; a result JSON cannot hold otherwise goes through moto's
    serializer as before."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    for handler in (DynamoHandler, DynamoDBStreamsHandler):
        original = handler.serialized

        def serialized(self: Any, result: Any, original: Any = original) -> Any:
            if isinstance(result.result, dict):
                try:
                    body = json.dumps(result.result, default=_epoch_seconds)
                except TypeError:
                    return original(self, result)
                headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
                return 200, headers, body
            return original(self, result)

        patches.enter_context(mock.patch.object(handler, "serialized", serialized))


MOTO_VERSION = "5.2.5"
"""The moto the patches below were written for: a test fails on another (read them again first)."""


class _Patches:
    """The patches, applied once for every embedded AWS that serves in this process (however many, in
    whatever order they stop) and undone when the last one stops."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0
        self.applied: ExitStack | None = None

    def acquire(self) -> None:
        with self.lock:
            if self.users == 0:
                applied = ExitStack()
                try:
                    for patch in (cheap_transactions, fast_table_responses, quick_queries, listed_once):
                        patch(applied)
                except BaseException:
                    applied.close()
                    raise
                self.applied = applied
            self.users += 1

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0 and self.applied is not None:
                self.applied.close()
                self.applied = None


PATCHES = _Patches()


@contextmanager
def patched_moto() -> Iterator[None]:
    """moto made fit to stand in for AWS here, while an embedded AWS serves; as it was afterwards, so
    nothing else in the process (a test run's own moto) sees the patches."""
    PATCHES.acquire()
    try:
        yield
    finally:
        PATCHES.release()


class EmbeddedAws:
    """moto's server on a port, behind `Serialised`, with an optional journal."""

    def __init__(self, host: str, port: int, journal: Journal | None = None) -> None:
        self.host, self.port = host, port
        self.journal = journal  # None: nothing is kept (tests), or kept from `keep()` on
        self._server: Any = None
        self.app: Serialised | None = None
        self._patches = ExitStack()

    def start(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        self._patches.enter_context(patched_moto())
        try:
            self.app = Serialised(DomainDispatcherApplication(create_backend_app), self.journal)
            self._server = make_server(
                self.host, self.port, self.app, threaded=True, request_handler=MotoRequestHandler
            )
            self._server.socket.listen(1024)
            threading.Thread(target=self._server.serve_forever, daemon=True, name="embedded-aws").start()
        except BaseException:  # a port taken (werkzeug exits), or anything else: moto as it was
            self._server = None
            self._patches.close()
            raise

    def replay(self, journal: Journal) -> int:
        """Apply a journal's changes (before serving anyone else)."""
        assert self.app is not None
        return self.app.replay(journal)

    def keep(self, journal: Journal) -> None:
        """From now on, each acknowledged change is in `journal` before its answer goes out."""
        assert self.app is not None
        self.app.journal = journal

    def stop(self) -> None:
        try:
            if self._server:
                self._server.shutdown()
                self._server.server_close()
        finally:
            self._patches.close()
