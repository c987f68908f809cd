"""The embedded AWS isolates DynamoDB requests as DynamoDB does, without making unrelated ones wait."""

import json
import threading

from infra.localcloud.embedded_aws import TableLocks


def body(*tables: str) -> bytes:
    if len(tables) == 1:
        return json.dumps({"TableName": tables[0]}).encode()
    return json.dumps({"TransactItems": [{"Put": {"TableName": t, "Item": {}}} for t in tables]}).encode()


def started(locks: TableLocks, action: str, request: bytes, release: threading.Event) -> threading.Event:
    """Run a request that holds its locks until `release`; the event returned is set once it holds them."""
    holding = threading.Event()

    def run() -> None:
        with locks.held(action, request):
            holding.set()
            release.wait(10)

    threading.Thread(target=run, daemon=True).start()
    return holding


def test_a_long_read_holds_up_writes_to_its_own_table_only_and_other_reads_not_at_all() -> None:
    locks, release = TableLocks(), threading.Event()
    assert started(locks, "Query", body("invoices"), release).wait(5)
    assert started(locks, "Query", body("invoices"), release).wait(5)  # reads run together
    assert started(locks, "PutItem", body("idempotency"), release).wait(5)  # another table carries on
    write = started(locks, "TransactWriteItems", body("audit", "invoices"), release)
    assert not write.wait(0.3)  # a transaction waits for the reads of any table it names
    release.set()
    assert write.wait(5)


def test_a_write_runs_alone_on_its_table_and_table_management_runs_alone() -> None:
    locks, release, created = TableLocks(), threading.Event(), threading.Event()
    assert started(locks, "UpdateItem", body("invoices"), release).wait(5)
    read = started(locks, "GetItem", body("invoices"), release)
    assert not read.wait(0.3)
    create = started(locks, "CreateTable", body("new"), created)
    assert not create.wait(0.3)  # table management waits for every table request
    release.set()
    assert read.wait(5) and create.wait(5)
    created.set()
