"""The embedded AWS keeps DynamoDB's and S3's promises when many clients write at once, and keeps
what it acknowledged when the process dies."""

from __future__ import annotations

import logging
import socket
import threading
import urllib.request
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from infra.localcloud.embedded_aws import MOTO_VERSION, EmbeddedAws, Journal
from tests.e2e.conftest import free_port

THREADS, EACH = 8, 6


def reset(endpoint: str) -> None:
    """Forget everything moto holds in this process (as a new process would)."""
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))


def client(service: str, endpoint: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(max_pool_connections=THREADS * 2, retries={"max_attempts": 0}),
    )


@pytest.fixture
def aws(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    journal = Journal(tmp_path / "journal")
    journal.open()
    server = EmbeddedAws("127.0.0.1", port, journal)
    server.start()
    try:
        reset(f"http://127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}", tmp_path / "journal"
    finally:
        server.stop()
    journal.close()


def numbered(endpoint: str) -> list[int]:
    """THREADS clients each take EACH numbers as the invoices do: a conditional counter step and a
    conditional claim of the number, in one transaction, retried when another client got there first."""
    dynamodb = client("dynamodb", endpoint)
    dynamodb.create_table(
        TableName="numbers",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    dynamodb.put_item(TableName="numbers", Item={"pk": {"S": "SEQ"}, "n": {"N": "0"}})
    taken: list[int] = []
    guard = threading.Lock()

    def take() -> None:
        own = client("dynamodb", endpoint)
        for _ in range(EACH):
            while True:
                item = own.get_item(TableName="numbers", Key={"pk": {"S": "SEQ"}}, ConsistentRead=True)
                n = int(item["Item"]["n"]["N"])
                try:
                    own.transact_write_items(
                        TransactItems=[
                            {
                                "Update": {
                                    "TableName": "numbers",
                                    "Key": {"pk": {"S": "SEQ"}},
                                    "UpdateExpression": "SET n = :next",
                                    "ConditionExpression": "n = :read",
                                    "ExpressionAttributeValues": {
                                        ":next": {"N": str(n + 1)},
                                        ":read": {"N": str(n)},
                                    },
                                }
                            },
                            {
                                "Put": {
                                    "TableName": "numbers",
                                    "Item": {"pk": {"S": f"NUM#{n + 1}"}},
                                    "ConditionExpression": "attribute_not_exists(pk)",
                                }
                            },
                        ]
                    )
                except own.exceptions.TransactionCanceledException:
                    continue
                with guard:
                    taken.append(n + 1)
                break

    workers = [threading.Thread(target=take) for _ in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return taken


def test_concurrent_conflicting_transactions_lose_nothing_and_double_nothing(aws: tuple[str, Path]) -> None:
    endpoint, _ = aws
    taken = numbered(endpoint)
    dynamodb = client("dynamodb", endpoint)
    stored = {
        int(item["pk"]["S"][4:])
        for page in dynamodb.get_paginator("scan").paginate(TableName="numbers")
        for item in page["Items"]
        if item["pk"]["S"].startswith("NUM#")
    }
    assert sorted(taken) == list(range(1, THREADS * EACH + 1))  # every number acknowledged once, no gap
    assert stored == set(taken)  # and every acknowledged one is still there


def test_what_was_acknowledged_is_replayed_after_a_crash_with_the_same_object_versions(
    aws: tuple[str, Path], tmp_path: Path
) -> None:
    endpoint, journal_path = aws
    s3, dynamodb = client("s3", endpoint), client("dynamodb", endpoint)
    s3.create_bucket(Bucket="docs")
    s3.put_bucket_versioning(Bucket="docs", VersioningConfiguration={"Status": "Enabled"})
    versions = [
        s3.put_object(Bucket="docs", Key=f"inbox/{i}.pdf", Body=b"%PDF-" + bytes([i]))["VersionId"]
        for i in range(5)
    ]
    s3.delete_object(Bucket="docs", Key="inbox/0.pdf", VersionId=versions[0])
    taken = numbered(endpoint)

    # as after kill -9: nothing in memory; the same resources made again, the journal replayed into them
    port = free_port()
    fresh = EmbeddedAws("127.0.0.1", port, None)
    fresh.start()
    try:
        again = f"http://127.0.0.1:{port}"
        reset(again)
        s3_again = client("s3", again)
        s3_again.create_bucket(Bucket="docs")
        s3_again.put_bucket_versioning(Bucket="docs", VersioningConfiguration={"Status": "Enabled"})
        client("dynamodb", again).create_table(
            TableName="numbers",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        )
        assert fresh.app is not None
        fresh.app.replay(Journal(journal_path))
        listed = s3_again.list_object_versions(Bucket="docs", Prefix="inbox/")["Versions"]
        assert sorted(v["VersionId"] for v in listed) == sorted(versions[1:])
        items = client("dynamodb", again).scan(TableName="numbers")["Items"]
        assert {int(i["pk"]["S"][4:]) for i in items if i["pk"]["S"] != "SEQ"} == set(taken)
    finally:
        fresh.stop()
    assert dynamodb is not None


def test_a_refused_transaction_leaves_no_trace_in_the_table_or_its_stream(aws: tuple[str, Path]) -> None:
    endpoint, _ = aws
    dynamodb, streams = client("dynamodb", endpoint), client("dynamodbstreams", endpoint)
    table = dynamodb.create_table(
        TableName="ledger",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    dynamodb.put_item(TableName="ledger", Item={"pk": {"S": "A"}, "sk": {"S": "1"}, "v": {"N": "1"}})
    shard = streams.describe_stream(StreamArn=table["LatestStreamArn"])["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=table["LatestStreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    before = len(streams.get_records(ShardIterator=iterator)["Records"])

    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {  # applies first …
                        "TableName": "ledger",
                        "Key": {"pk": {"S": "A"}, "sk": {"S": "1"}},
                        "UpdateExpression": "SET v = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {"Put": {"TableName": "ledger", "Item": {"pk": {"S": "B"}, "sk": {"S": "1"}}}},
                {
                    "Put": {  # … and this one is refused
                        "TableName": "ledger",
                        "Item": {"pk": {"S": "C"}, "sk": {"S": "1"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    # moto applies the first two before it reaches the refused one: the rollback must undo them
    items = dynamodb.scan(TableName="ledger")["Items"]
    assert items == [{"pk": {"S": "A"}, "sk": {"S": "1"}, "v": {"N": "1"}}]
    assert len(streams.get_records(ShardIterator=iterator)["Records"]) == before


def test_an_index_read_page_by_page_returns_each_item_once_in_order_while_writes_go_on(
    aws: tuple[str, Path],
) -> None:
    endpoint, _ = aws
    dynamodb = client("dynamodb", endpoint)
    dynamodb.create_table(
        TableName="invoices",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gsi1pk", "gsi1sk")
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    days = [f"2026-11-{d:02d}#{n:03d}" for d in range(1, 29) for n in range(9)]
    for day in reversed(days):  # stored in no particular order, among items of other partitions
        item = {
            "pk": {"S": f"INV#{day}"},
            "sk": {"S": "INV"},
            "gsi1pk": {"S": "INVOICES"},
            "gsi1sk": {"S": day},
        }
        dynamodb.put_item(TableName="invoices", Item=item)
        dynamodb.put_item(TableName="invoices", Item={"pk": {"S": f"NUM#{day}"}, "sk": {"S": "NUM"}})
    read: list[str] = []
    start: dict[str, Any] | None = None
    while True:
        page = dynamodb.query(
            TableName="invoices",
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :pk AND gsi1sk <= :last",
            ExpressionAttributeValues={":pk": {"S": "INVOICES"}, ":last": {"S": "2026-11-20~"}},
            Limit=25,
            **({"ExclusiveStartKey": start} if start else {}),
        )
        read += [item["gsi1sk"]["S"] for item in page["Items"]]
        dynamodb.put_item(TableName="invoices", Item={"pk": {"S": f"NEW#{len(read)}"}, "sk": {"S": "X"}})
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert read == [day for day in days if day <= "2026-11-20~"]
    scanned = dynamodb.scan(TableName="invoices", Limit=1000)["Items"]
    assert len(scanned) == 2 * len(days) + 8 and scanned[0]["pk"]["S"] < scanned[-1]["pk"]["S"]


def test_moto_is_patched_only_while_the_embedded_aws_serves() -> None:
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    query, transact = Table.query, DynamoDBBackend.transact_write_items
    first, second = EmbeddedAws("127.0.0.1", free_port()), EmbeddedAws("127.0.0.1", free_port())
    first.start()
    second.start()
    try:
        assert Table.query is not query and DynamoDBBackend.transact_write_items is not transact
        first.stop()  # stopped before the one started after it: the other still serves, patched
        assert Table.query is not query
    finally:
        second.stop()
    assert Table.query is query and DynamoDBBackend.transact_write_items is transact  # the tests' own moto
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        refused = EmbeddedAws("127.0.0.1", int(taken.getsockname()[1]))
        with pytest.raises((SystemExit, OSError)):  # werkzeug exits when the port is taken
            refused.start()
    assert Table.query is query  # a start that failed left moto as it was


def test_the_patches_were_written_for_the_moto_installed() -> None:
    assert version("moto") == MOTO_VERSION, "read infra/localcloud/embedded_aws.py's patches again"
