"""The monthly figures in DynamoDB (moto): each change counted once, months read back in order."""

from datetime import UTC, datetime
from decimal import Decimal

from analysis.figures import Increment
from analysis.store import AnalysisStore
from core.dynamo import Table
from infra.localcloud.provision import Clients
from infra.template import Template

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def test_a_change_delivered_twice_is_counted_once_and_months_read_back_in_order(
    aws: tuple[Template, Clients],
) -> None:
    template, clients = aws
    store = AnalysisStore(Table(template.physical_name("AnalysisTable"), clients.dynamodb))
    change = [
        Increment(
            "2026-10", {"invoicing.issued": Decimal(1), "invoicing.issued_total.USD": Decimal("110.00")}
        ),
        Increment("2026-11", {"intake.received": Decimal(1)}, {"intake.seconds_to_file": [Decimal("2.5")]}),
    ]
    assert store.record("event-1", change, NOW) is True
    assert store.record("event-1", change, NOW) is False  # the stream delivered it again
    store.record("event-2", [Increment("2026-11", {"intake.received": Decimal(1)})], NOW)

    months = store.months("2026-11")
    assert list(months) == ["2026-10", "2026-11"]
    assert months["2026-10"].figures == {
        "invoicing.issued": 1,
        "invoicing.issued_total.USD": Decimal("110.00"),
    }
    november = store.details(months["2026-11"])
    assert november.get("intake.received") == 2 and november.samples == {
        "intake.seconds_to_file": [Decimal("2.5")]
    }
    assert store.months("2026-10").keys() == {"2026-10"}


def test_the_month_s_report_is_sent_once_even_when_the_snapshot_is_taken_again(
    aws: tuple[Template, Clients],
) -> None:
    template, clients = aws
    store = AnalysisStore(Table(template.physical_name("AnalysisTable"), clients.dynamodb))
    store.save_snapshot("2026-10", {"overdue_by_bucket": {"USD": {"1-30": "50.00"}}})
    assert store.claim_sending("2026-10", NOW) is True
    store.save_snapshot("2026-10", {"overdue_by_bucket": {"USD": {"1-30": "60.00"}}})
    assert store.claim_sending("2026-10", NOW) is False
