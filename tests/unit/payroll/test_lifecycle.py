"""A cheque's allowed moves, the illegal ones, and the Positive Pay file."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.clock import business_days_between
from core.errors import Conflict
from payroll.lifecycle import is_stale, move
from payroll.model import ChequeStatus
from payroll.positive_pay import Layout, issue_file
from tests.builders import cheque

AT = datetime(2026, 11, 20, 15, tzinfo=UTC)


def test_a_hand_over_records_who_and_how() -> None:
    handed = move(cheque(), "handover", by="user:clerk", at=AT, received_by="Lan", method="photo_id")
    assert handed.status is ChequeStatus.HANDED_OVER
    assert handed.history[-1].by == "user:clerk" and handed.history[-1].detail == {
        "received_by": "Lan",
        "method": "photo_id",
    }


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ChequeStatus.VOID, "handover"),
        (ChequeStatus.VOID, "void"),
        (ChequeStatus.HANDED_OVER, "handover"),
        (ChequeStatus.CASHED, "void"),
        (ChequeStatus.RECEIVED, "handover"),
        (ChequeStatus.UNMATCHED, "handover"),
        (ChequeStatus.MAILED, "mail"),
        (ChequeStatus.READY, "receive"),
        (ChequeStatus.VOID, "cash"),
    ],
)
def test_illegal_moves_are_409(status: ChequeStatus, action: str) -> None:
    with pytest.raises(Conflict) as refused:
        move(cheque(status), action, by="user:x", at=AT)
    assert "204501" in refused.value.detail


def test_a_cheque_goes_stale_180_days_after_pay_date_unless_it_was_handed_over() -> None:
    assert not is_stale(cheque(), date(2027, 5, 18))
    assert is_stale(cheque(), date(2027, 5, 19))
    assert not is_stale(cheque(ChequeStatus.HANDED_OVER), date(2027, 6, 1))


def test_business_days_skip_weekends() -> None:
    assert business_days_between(date(2026, 11, 20), date(2026, 11, 24)) == 2  # Fri → Tue


def test_positive_pay_default_and_a_bank_specific_layout() -> None:
    void = cheque(ChequeStatus.VOID, cheque_number="204502", amount=Decimal("1520.00"))
    text = issue_file([cheque(), void], Layout.parse(""))
    assert text.splitlines() == [
        "account_number,cheque_number,issue_date,amount,payee,code",
        "000123456789,204501,2026-11-20,1843.20,Nguyễn Thị Lan,I",
        "000123456789,204502,2026-11-20,1520.00,Nguyễn Thị Lan,V",
    ]
    bank = Layout.parse(
        '{"columns": ["cheque_number", "amount_cents", "issue_date", "code"], "header": false, '
        '"date_format": "%m%d%Y", "issue_code": "O", "void_code": "C"}'
    )
    assert issue_file([cheque(), void], bank).splitlines() == [
        "204501,184320,11202026,O",
        "204502,152000,11202026,C",
    ]
    with pytest.raises(ValueError, match="unknown"):
        Layout.parse('{"columns": ["memo"]}')
