"""Date rules: business days (the `holidays` package plus the
office's own closing days), and where an occurrence stands on a given day.

All dates are calendar dates in the business timezone; the caller turns "now" into today's date
there before asking anything (a run at 00:30 on a DST-change day asks about the right day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from compliance.model import OPEN, BusinessDayRule, Obligation, Status

DUE_SOON_DAYS = 7
MAX_SHIFT_DAYS = 14


@cache
def _public_holidays(jurisdiction: str, year: int) -> frozenset[date]:
    import holidays

    country, _, region = jurisdiction.partition("-")  # "US-CA": California's holidays too
    try:
        found = holidays.country_holidays(country, subdiv=region or None, years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(found.keys())


def is_business_day(day: date, jurisdiction: str | None, closed: Iterable[date] = ()) -> bool:
    if day.weekday() >= 5 or day in set(closed):
        return False
    return not (jurisdiction and day in _public_holidays(jurisdiction, day.year))


def effective_due(
    due: date, rule: BusinessDayRule, jurisdiction: str | None, closed: Iterable[date] = ()
) -> date:
    """The due date moved off weekends and holidays as the obligation's rule says."""
    if rule is BusinessDayRule.NONE:
        return due
    step = timedelta(days=1 if rule is BusinessDayRule.NEXT else -1)
    closed_days = set(closed)
    day = due
    for _ in range(MAX_SHIFT_DAYS):
        if is_business_day(day, jurisdiction, closed_days):
            return day
        day += step
    return day


def status_on(effective: date, today: date) -> Status:
    """Upcoming, due soon (within a week) or overdue, for an open occurrence."""
    if today > effective:
        return Status.OVERDUE
    if (effective - today).days <= DUE_SOON_DAYS:
        return Status.DUE_SOON
    return Status.UPCOMING


def lead_stage(
    effective: date, today: date, leads: Iterable[int], sent: Iterable[str]
) -> tuple[int, bool] | None:
    """The lead reminder to send today: the most urgent one reached and not sent, and whether it is
    late (its day has passed: the run was missed). Earlier unsent ones are covered by it."""
    days_left = (effective - today).days
    if days_left < 0:
        return None
    reached = sorted(lead for lead in leads if lead >= days_left)
    if not reached:
        return None
    urgent = reached[0]
    if f"lead:{urgent}" in set(sent):
        return None
    return urgent, days_left < urgent


def escalation_stage(effective: date, today: date, grace_days: int) -> int | None:
    """Escalation number due today: 0 after the grace period, then one more each week."""
    late = (today - effective).days - grace_days
    return late // 7 if late >= 0 else None


def due_messages(
    obligation: Obligation, today: date, grace_days: int, done: Iterable[str]
) -> list[tuple[str, str]]:
    """The (key, recipient) of each message due today — lead reminder, overdue notice, escalation —
    that is not among `done`."""
    handled = set(done)
    due = obligation.effective_due_date
    wanted: list[tuple[str, str]] = []
    lead = lead_stage(due, today, obligation.remind_days_before, handled)
    if lead:
        wanted.append((f"lead:{lead[0]}", obligation.owner_email))
    if today > due:
        wanted.append(("overdue", obligation.owner_email))
        stage = escalation_stage(due, today, grace_days)
        if stage is not None and obligation.escalation_email:
            wanted.append((f"escalation:{stage}", obligation.escalation_email))
    return [(key, to) for key, to in wanted if key not in handled]


def next_action(obligation: Obligation, grace_days: int) -> date | None:
    """The first day the daily run has something to do for an obligation — a lead reminder, a
    status change, the overdue notice, the next escalation, or finishing a claimed but unsent
    message — or None when nothing is left (closed, or overdue with everything sent)."""
    if obligation.status not in OPEN:
        return None
    due = obligation.effective_due_date
    keys = {sent.key for sent in obligation.sent}
    days = [sent.claimed_at.date() for sent in obligation.sent if sent.sent_at is None]
    if obligation.status is not Status.OVERDUE:
        sent_leads = [int(key.split(":")[1]) for key in keys if key.startswith("lead:")]
        pending = [lead for lead in obligation.remind_days_before if lead < min(sent_leads, default=10**6)]
        if pending:
            days.append(due - timedelta(days=max(pending)))
        if obligation.status is Status.UPCOMING:
            days.append(due - timedelta(days=DUE_SOON_DAYS))
        days.append(due + timedelta(days=1))
    elif "overdue" not in keys:
        days.append(due + timedelta(days=1))
    if obligation.escalation_email:
        stages = [int(key.split(":")[1]) for key in keys if key.startswith("escalation:")]
        following = max(stages) + 1 if stages else 0
        days.append(due + timedelta(days=grace_days + 7 * following))
    return min(days, default=None)
