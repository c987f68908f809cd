"""A small DynamoDB adapter: typed items, cursor pagination, conditional and transactional writes.
All DynamoDB access of every capability goes through this one module, which is why it is longer
than the others: a change of retry, paging or error handling is made once.

Optimistic locking: every mutable item carries a numeric `version`; an update states the version
it read and fails with `ConditionFailed` if someone else wrote in between.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import BaseModel

from core.errors import Busy, ConditionFailed, Malformed
from core.i18n import N_

Item = dict[str, Any]
BATCH_GET = 100
# A full read asks for pages of this many items: a worker's memory then stays the same whatever the
# table holds (a page of DynamoDB's own 1 MB cap parses into some 20 MB of Python objects).
READ_PAGE = 100
TRANSACTION_ITEMS = 100
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@cache
def dynamodb_client() -> Any:
    """The process's DynamoDB client, built on first use (not at import: cold start and moto)."""
    import boto3

    return boto3.client("dynamodb")


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in item.items() if value is not None}


def deserialize(raw: Mapping[str, Any]) -> Item:
    return {key: _deserializer.deserialize(value) for key, value in raw.items()}


def encode_cursor(key: Mapping[str, Any] | None) -> str | None:
    """An opaque, URL-safe cursor for the next page, or None on the last page."""
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise Malformed(N_("the cursor is not one this API returned"), slug="bad-cursor") from None
    if not isinstance(decoded, dict):
        raise Malformed(N_("the cursor is not one this API returned"), slug="bad-cursor")
    return decoded


@dataclass
class Page:
    items: list[Item]
    cursor: str | None


@dataclass
class Write:
    """One operation of a transaction (Put, Update, Delete or ConditionCheck) on a table."""

    kind: str
    table: str
    params: dict[str, Any] = field(default_factory=dict)

    def request(self) -> dict[str, Any]:
        return {self.kind: {"TableName": self.table, **self.params}}


def put(table: str, item: Mapping[str, Any], condition: str | None = None, **expr: Any) -> Write:
    params: dict[str, Any] = {"Item": serialize(item)}
    if condition:
        params["ConditionExpression"] = condition
    params.update(_expressions(**expr))
    return Write("Put", table, params)


def put_new(table: str, item: Mapping[str, Any]) -> Write:
    """Put an item that must not exist yet."""
    return put(table, item, condition="attribute_not_exists(pk)")


def put_claim(table: str, key: Mapping[str, Any], owner_attribute: str, owner: str) -> Write:
    """Claim a unique thing (a checksum, a cheque number) for one owner: succeeds if it is free or
    already this owner's, so a retry of the same work claims it again harmlessly."""
    return put(
        table,
        {**key, owner_attribute: owner},
        condition="attribute_not_exists(pk) OR #owner = :me",
        names={"#owner": owner_attribute},
        values={":me": owner},
    )


def put_versioned(table: str, item: Mapping[str, Any], read_version: int | None) -> Write:
    """Optimistic locking: store a new item (read_version None: it must not exist yet), or replace
    the version that was read. The item carries its next version (see `next_version`)."""
    if read_version is None:
        return put_new(table, item)
    return put(
        table,
        item,
        condition="#version = :read",
        names={"#version": "version"},
        values={":read": read_version},
    )


def next_version[Versioned: BaseModel](model: Versioned, read_version: int | None) -> Versioned:
    """The model as it is stored: a new one as it is, a replaced one with its version bumped."""
    return model if read_version is None else model.model_copy(update={"version": read_version + 1})


def attributes(item: Mapping[str, Any]) -> Item:
    """An item without its table and index keys: what a model is read from."""
    return {key: value for key, value in item.items() if not key.startswith(("pk", "sk", "gsi"))}


def update(
    table: str,
    key: Mapping[str, Any],
    set_values: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    condition: str | None = None,
    add: Mapping[str, Any] | None = None,
    **expr: Any,
) -> Write:
    """SET attributes (and ADD counters); with expected_version, bump `version` only if it still matches."""
    names: dict[str, str] = dict(expr.pop("names", {}) or {})
    values: dict[str, Any] = dict(expr.pop("values", {}) or {})
    assignments = []
    for index, (attr, value) in enumerate(set_values.items()):
        names[f"#s{index}"] = attr
        values[f":s{index}"] = value
        assignments.append(f"#s{index} = :s{index}")
    conditions = [condition] if condition else []
    if expected_version is not None:
        names["#version"] = "version"
        values[":expected_version"] = expected_version
        values[":next_version"] = expected_version + 1
        assignments.append("#version = :next_version")
        conditions.append("#version = :expected_version")
    expression = ("SET " + ", ".join(assignments)) if assignments else ""
    if add:
        adds = []
        for index, (attr, value) in enumerate(add.items()):
            names[f"#a{index}"] = attr
            values[f":a{index}"] = value
            adds.append(f"#a{index} :a{index}")
        expression += " ADD " + ", ".join(adds)
    params: dict[str, Any] = {"Key": serialize(key), "UpdateExpression": expression.strip()}
    if conditions:
        params["ConditionExpression"] = " AND ".join(f"({c})" for c in conditions)
    params.update(_expressions(names=names, values=values))
    return Write("Update", table, params)


def delete(table: str, key: Mapping[str, Any], condition: str | None = None, **expr: Any) -> Write:
    params: dict[str, Any] = {"Key": serialize(key)}
    if condition:
        params["ConditionExpression"] = condition
    params.update(_expressions(**expr))
    return Write("Delete", table, params)


def _expressions(
    names: Mapping[str, str] | None = None, values: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if names:
        out["ExpressionAttributeNames"] = dict(names)
    if values:
        out["ExpressionAttributeValues"] = serialize(values)
    return out


class Table:
    """One DynamoDB table, with the client injected (tests pass moto's)."""

    def __init__(self, name: str, client: Any | None = None) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = dynamodb_client()
        return self._client

    def get(self, key: Mapping[str, Any], consistent: bool = True) -> Item | None:
        response = self.client.get_item(TableName=self.name, Key=serialize(key), ConsistentRead=consistent)
        raw = response.get("Item")
        return deserialize(raw) if raw else None

    def claim(self, key: Mapping[str, Any], owner_attribute: str, owner: str) -> bool:
        """`put_claim` on its own: False if someone else holds it."""
        try:
            self.write(put_claim(self.name, key, owner_attribute, owner))
        except ConditionFailed:
            return False
        return True

    def get_many(self, keys: Sequence[Mapping[str, Any]]) -> list[Item]:
        """The items that exist among `keys`, in BatchGetItem requests of 100 (consistent reads)."""
        found: list[Item] = []
        unique = list({json.dumps(dict(k), sort_keys=True): k for k in keys}.values())
        for start in range(0, len(unique), BATCH_GET):
            pending: dict[str, Any] = {
                self.name: {
                    "Keys": [serialize(k) for k in unique[start : start + BATCH_GET]],
                    "ConsistentRead": True,
                }
            }
            while pending:
                response = self.client.batch_get_item(RequestItems=pending)
                found += [deserialize(raw) for raw in response.get("Responses", {}).get(self.name, [])]
                pending = response.get("UnprocessedKeys") or {}
        return found

    def query(
        self,
        key_condition: str,
        *,
        index: str | None = None,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
        filter_expression: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        forward: bool = True,
    ) -> Page:
        """One page of a Query, with an opaque cursor for the next.

        DynamoDB applies `Limit` before `FilterExpression`, so a filtered page is filled from as many
        reads as it takes: a page holds `limit` matches unless the listing ends first.
        """
        params: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": key_condition,
            "ScanIndexForward": forward,
            **_expressions(names, values),
        }
        if index:
            params["IndexName"] = index
        if filter_expression:
            params["FilterExpression"] = filter_expression
        if limit:
            params["Limit"] = limit
        keys = {"pk", "sk"} | ({f"{index}pk", f"{index}sk"} if index else set())
        start = decode_cursor(cursor)
        if start and set(start) != keys:  # a cursor from another listing (each index has its own key set)
            raise Malformed(N_("the cursor belongs to another listing"), slug="bad-cursor")
        items: list[Item] = []
        while True:
            if start:
                params["ExclusiveStartKey"] = serialize(start)
            response = self.client.query(**params)
            items += [deserialize(raw) for raw in response.get("Items", [])]
            last = response.get("LastEvaluatedKey")
            start = deserialize(last) if last else None
            if not start or not limit or len(items) >= limit:
                break
        if limit and len(items) > limit:
            items = items[:limit]
            start = {key: items[-1][key] for key in keys}
        return Page(items, encode_cursor(start))

    def query_all(self, key_condition: str, **kwargs: Any) -> Iterator[Item]:
        """Every item of a Query, page after page (pages of `READ_PAGE` items)."""
        cursor: str | None = None
        while True:
            page = self.query(key_condition, cursor=cursor, limit=READ_PAGE, **kwargs)
            yield from page.items
            if not page.cursor:
                return
            cursor = page.cursor

    def up_to(self, index: str, partition: str, last: str) -> Iterator[Item]:
        """The items of an index partition whose sort key is `last` or sorts before it (an index
        named `gsiN` keys on `gsiNpk` and `gsiNsk`)."""
        return self.query_all(
            f"{index}pk = :pk AND {index}sk <= :last", index=index, values={":pk": partition, ":last": last}
        )

    def write(self, op: Write) -> None:
        """Run one conditional write; a failed condition raises `ConditionFailed`."""
        call = {
            "Put": self.client.put_item,
            "Update": self.client.update_item,
            "Delete": self.client.delete_item,
        }
        try:
            call[op.kind](TableName=op.table, **op.params)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConditionFailed(
                    N_("the record changed or already exists; reload and try again")
                ) from None
            raise

    def rewrite_unchanged(self, item: Mapping[str, Any]) -> None:
        """Rewrite a versioned item as it is (its derived index keys recomputed), unless it changed
        since it was read — then the change already wrote fresh keys."""
        with contextlib.suppress(ConditionFailed):
            self.write(put_versioned(self.name, item, int(item["version"])))


def try_transact(client: Any, writes: Sequence[Write]) -> list[str] | None:
    """Run writes in one TransactWriteItems; None on success, else each write's cancellation reason
    (`None`, `ConditionalCheckFailed`, `TransactionConflict`, ...), in order."""
    if not writes:
        return None
    try:
        client.transact_write_items(TransactItems=[w.request() for w in writes])
    except ClientError as error:
        if error.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
        return reasons or ["TransactionConflict"]
    return None


def transact_chunks(client: Any, writes: Sequence[Write]) -> None:
    """Many independent, repeatable writes in transactions of up to 100 (each chunk all or nothing);
    for bulk imports whose every write may safely be done again."""
    for start in range(0, len(writes), TRANSACTION_ITEMS):
        transact(client, writes[start : start + TRANSACTION_ITEMS])


def transact(client: Any, writes: Sequence[Write]) -> None:
    """All or nothing: run writes in one TransactWriteItems (at most 100); a failed condition raises
    `ConditionFailed`, any other cancellation `Busy`."""
    reasons = try_transact(client, writes)
    if reasons is None:
        return
    if "ConditionalCheckFailed" in reasons:
        raise ConditionFailed(N_("the record changed or already exists; reload and try again"))
    raise Busy(N_("the record is busy; try again"), extensions={"reasons": reasons})
