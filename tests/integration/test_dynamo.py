"""The DynamoDB adapter and the audit trail against moto, on tables created from template.yaml."""

from datetime import UTC, datetime

import pytest

from core import dynamo
from core.audit import audit_entry, history
from core.errors import ConditionFailed, Malformed


@pytest.fixture
def tables(aws):
    template, clients = aws
    names = {lid: template.physical_name(lid) for lid in template.of_type("AWS::DynamoDB::Table")}
    return clients.dynamodb, names


def test_optimistic_locking_refuses_a_stale_write(tables) -> None:
    client, names = tables
    table = dynamo.Table(names["InvoicesTable"], client)
    table.write(dynamo.put_new(table.name, {"pk": "INV#1", "sk": "META", "status": "issued", "version": 1}))
    table.write(
        dynamo.update(table.name, {"pk": "INV#1", "sk": "META"}, {"status": "paid"}, expected_version=1)
    )
    with pytest.raises(ConditionFailed):
        table.write(
            dynamo.update(table.name, {"pk": "INV#1", "sk": "META"}, {"status": "void"}, expected_version=1)
        )
    item = table.get({"pk": "INV#1", "sk": "META"})
    assert item is not None and item["status"] == "paid" and item["version"] == 2


def test_put_new_refuses_duplicates(tables) -> None:
    client, names = tables
    table = dynamo.Table(names["DocumentsTable"], client)
    table.write(dynamo.put_new(table.name, {"pk": "SHA#abc", "sk": "SHA"}))
    with pytest.raises(ConditionFailed):
        table.write(dynamo.put_new(table.name, {"pk": "SHA#abc", "sk": "SHA"}))


def test_change_and_audit_are_written_together_or_not_at_all(tables) -> None:
    client, names = tables
    invoices, audit = names["InvoicesTable"], names["AuditTable"]
    at = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    entry = audit_entry(
        audit,
        entity="invoice",
        entity_id="1",
        action="issued",
        actor="user:u1",
        at=at,
        changes={"status": "issued"},
    )
    dynamo.transact(client, [dynamo.put_new(invoices, {"pk": "INV#1", "sk": "META", "version": 1}), entry])
    # the second transaction's change fails its condition: its audit entry must not land either
    failing = audit_entry(
        audit, entity="invoice", entity_id="1", action="issued-again", actor="user:u2", at=at
    )
    with pytest.raises(ConditionFailed):
        dynamo.transact(client, [dynamo.put_new(invoices, {"pk": "INV#1", "sk": "META"}), failing])
    entries = history(dynamo.Table(audit, client), "invoice", "1")
    assert [(e["action"], e["actor"]) for e in entries] == [("issued", "user:u1")]
    assert entries[0]["changes"] == {"status": "issued"}


def test_pagination_cursor_walks_every_item_once(tables) -> None:
    client, names = tables
    table = dynamo.Table(names["ComplianceTable"], client)
    for n in range(7):
        table.write(
            dynamo.put(
                table.name, {"pk": "OBL", "sk": f"{n:02d}", "gsi1pk": "DUE", "gsi1sk": f"2026-12-{n + 1:02d}"}
            )
        )
    seen, cursor = [], None
    while True:
        page = table.query("gsi1pk = :p", index="gsi1", values={":p": "DUE"}, limit=3, cursor=cursor)
        seen += [item["sk"] for item in page.items]
        cursor = page.cursor
        if not cursor:
            break
    assert seen == [f"{n:02d}" for n in range(7)]
    with pytest.raises(Malformed):
        table.query("gsi1pk = :p", index="gsi1", values={":p": "DUE"}, cursor="not-a-cursor!")


def test_a_filtered_page_holds_its_matches_however_rare(tables) -> None:
    """DynamoDB counts `Limit` before the filter; a search must not answer an empty page with a cursor."""
    client, names = tables
    table = dynamo.Table(names["ComplianceTable"], client)
    for n in range(30):
        kind = "rare" if n in (4, 17, 18, 29) else "common"
        table.write(
            dynamo.put(
                table.name,
                {"pk": f"OBL#{n}", "sk": "OBL", "gsi1pk": "DUE", "gsi1sk": f"{n:02d}", "kind": kind},
            )
        )
    seen, pages, cursor = [], 0, None
    while True:
        page = table.query(
            "gsi1pk = :p",
            index="gsi1",
            names={"#kind": "kind"},
            values={":p": "DUE", ":kind": "rare"},
            filter_expression="#kind = :kind",
            limit=3,
            cursor=cursor,
        )
        pages += 1
        seen += [item["gsi1sk"] for item in page.items]
        cursor = page.cursor
        if not cursor:
            break
    assert seen == ["04", "17", "18", "29"]
    assert pages == 2


def test_a_cursor_from_another_listing_is_a_400_not_a_crash(aws) -> None:
    template, clients = aws
    table = dynamo.Table(template.physical_name("InvoicesTable"), clients.dynamodb)
    table.write(
        dynamo.put(table.name, {"pk": "INV#1", "sk": "INV", "gsi1pk": "INVOICES", "gsi1sk": "2026#1"})
    )
    foreign = dynamo.encode_cursor({"pk": "OBL#1", "sk": "OBL", "gsi2pk": "OBLIGATIONS", "gsi2sk": "2026#1"})
    with pytest.raises(Malformed):
        table.query("gsi1pk = :pk", index="gsi1", values={":pk": "INVOICES"}, cursor=foreign)
