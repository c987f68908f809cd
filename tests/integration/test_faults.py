"""DynamoDB throttling and transaction conflicts injected at the HTTP layer, under moto: botocore
retries them with backoff; what outlasts the retries becomes a 503 to retry; a conflict is retried by
the service and leaves no gap in the invoice numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import TransactionCanceledException

from bench.operations import EVENTS, Context, http, office

CREATE = "InvoicesApiFunction/create-invoice-json.json"


class Faults:
    """moto's DynamoDB answers chosen operations with an error, as DynamoDB would over HTTP, so the
    functions' own botocore clients (and their retry logic) meet it."""

    def __init__(self) -> None:
        self.plan: dict[str, list[tuple[str, str]]] = {}
        self.seen: list[str] = []

    def fail(self, operation: str, times: int, code: str, message: str = "injected") -> None:
        self.plan[operation] = [(code, message)] * times

    def check(self, operation: str, items: int) -> None:
        self.seen.append(operation)
        planned = self.plan.get(operation)
        if planned:
            code, message = planned.pop(0)
            if code == "TransactionCanceledException":  # a reason per item, as DynamoDB gives them
                conflict = [("TransactionConflict", message, None)] + [(None, None, None)] * (items - 1)
                raise TransactionCanceledException(conflict)
            raise JsonRESTError(code, message)


@pytest.fixture
def faults() -> Iterator[Faults]:
    from moto.dynamodb.models import DynamoDBBackend

    injected = Faults()
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: Any) -> Any:
        injected.check("TransactWriteItems", len(transact_items))
        return original(self, transact_items)

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        with office():
            yield injected
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]


def create(body_note: str) -> dict[str, Any]:
    import invoicing.api

    request = json.loads(json.loads((EVENTS / CREATE).read_text())["body"])
    return dict(invoicing.api.handler(http(CREATE, body={**request, "notes": body_note}), Context()))


def test_throttling_is_retried_with_backoff_and_the_invoice_is_made_once(faults: Faults) -> None:
    faults.fail("TransactWriteItems", 2, "ProvisionedThroughputExceededException")
    response = create("throttled twice")
    assert response["statusCode"] == 201
    assert faults.seen.count("TransactWriteItems") == 3  # two refused, the third went through
    assert json.loads(response["body"])["number"].endswith("000001")


def test_throttling_that_outlasts_the_retries_is_a_503_and_nothing_half_written(faults: Faults) -> None:
    faults.fail("TransactWriteItems", 50, "ThrottlingException", "Rate exceeded")
    response = create("throttled for good")
    assert response["statusCode"] == 503 and response["headers"]["Retry-After"]
    faults.plan.clear()
    again = create("after the storm")
    assert again["statusCode"] == 201
    assert json.loads(again["body"])["number"].endswith("000001")  # the failed one took no number


def test_a_transaction_conflict_is_retried_by_the_service_without_a_gap(faults: Faults) -> None:
    faults.fail(
        "TransactWriteItems", 1, "TransactionCanceledException", "Transaction is ongoing for the item"
    )
    first = create("conflicted once")
    second = create("next one")
    numbers = [json.loads(r["body"])["number"] for r in (first, second)]
    assert [r["statusCode"] for r in (first, second)] == [201, 201]
    assert [n[-6:] for n in numbers] == ["000001", "000002"]
