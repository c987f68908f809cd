"""A cheque's life: which moves are allowed from which state (anything else is a 409)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.errors import Conflict
from core.i18n import N_
from payroll.model import Cheque, ChequeStatus, Step

S = ChequeStatus
ALLOWED: dict[str, tuple[ChequeStatus, ...]] = {
    "receive": (S.RECEIVED,),
    "match": (S.UNMATCHED,),
    "mail": (S.READY,),
    "handover": (S.READY, S.STALE),
    "acknowledge": (S.READY, S.MAILED),
    "void": (S.UNMATCHED, S.RECEIVED, S.READY, S.MAILED, S.STALE, S.HANDED_OVER),
    "stale": (S.RECEIVED, S.READY, S.MAILED),
    "cash": (S.READY, S.MAILED, S.HANDED_OVER, S.STALE),
}
RESULT = {
    "receive": S.READY,
    "match": S.RECEIVED,
    "mail": S.MAILED,
    "handover": S.HANDED_OVER,
    "acknowledge": S.HANDED_OVER,
    "void": S.VOID,
    "stale": S.STALE,
    "cash": S.CASHED,
}
STALE_AFTER = timedelta(days=180)


def move(cheque: Cheque, action: str, *, by: str, at: datetime, **detail: str) -> Cheque:
    """The cheque after `action`, with the step in its history; a 409 problem if not allowed now."""
    if cheque.status not in ALLOWED[action]:
        raise Conflict(
            N_("cheque {number} is {status}; it cannot be {target}"),
            slug="illegal-transition",
            number=cheque.cheque_number,
            status=cheque.status,
            target=RESULT[action],
        )
    status = RESULT[action]
    step = Step(status=status, at=at, by=by, detail={k: v for k, v in detail.items() if v})
    return cheque.model_copy(update={"status": status, "history": [*cheque.history, step]})


def is_stale(cheque: Cheque, today: date) -> bool:
    return cheque.status in ALLOWED["stale"] and today - cheque.pay_date >= STALE_AFTER
