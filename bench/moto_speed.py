"""moto backs up every table it touches (a deep copy) before each TransactWriteItems, so that it can
roll back; that costs time in proportion to the table, which DynamoDB's transactions do not. Bench
runs whose transactions all succeed (each run's results are asserted) turn the backup off, so what
is measured is the function, not moto's bookkeeping."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any


def _table_or_copy(value: Any, memo: Any = None) -> Any:
    from moto.dynamodb.models.table import Table

    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def no_transaction_backups() -> None:
    """For this process (a bench child or a moto server started for the bench)."""
    import moto.dynamodb.models as models

    models.copy = SimpleNamespace(deepcopy=_table_or_copy)  # type: ignore[assignment]


@contextmanager
def without_transaction_backups() -> Iterator[None]:
    import moto.dynamodb.models as models

    saved = models.copy
    no_transaction_backups()
    try:
        yield
    finally:
        models.copy = saved
