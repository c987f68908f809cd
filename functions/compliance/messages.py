"""The emails compliance sends: reminders, overdue notices, escalations and the weekly digest."""

from __future__ import annotations

from datetime import date, timedelta

from compliance.model import Obligation

DIGEST_DAYS = 30


def message(obligation: Obligation, key: str, today: date) -> tuple[str, str]:
    """Subject and text of a reminder, overdue notice or escalation."""
    due = obligation.effective_due_date
    moved = f" (moved from {obligation.due_date}, a non-business day)" if due != obligation.due_date else ""
    window = f"It must hold from {obligation.window_start} until {due}.\n" if obligation.window_start else ""
    facts = f"{obligation.title}\nJurisdiction: {obligation.jurisdiction or '—'}\nDue: {due}{moved}\n{window}"
    if key.startswith("lead:"):
        days = (due - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        return f"Due {when}: {obligation.title}", f"{facts}\nThis is due {when}.\n"
    late = (today - due).days
    if key == "overdue":
        return (
            f"OVERDUE: {obligation.title}",
            f"{facts}\nThis is {late} days overdue. Record it as done when it is.\n",
        )
    return (
        f"Escalation — overdue {late} days: {obligation.title}",
        f"{facts}\nOwner: {obligation.owner_email}\nThis is {late} days overdue and not recorded as done.\n",
    )


def digest(items: list[Obligation], today: date) -> tuple[str, str]:
    """Subject and text of an owner's digest: what falls due in the next `DIGEST_DAYS` days."""
    lines = [
        f"- {o.effective_due_date}  {o.title} ({o.jurisdiction or '—'})"
        + ("  OVERDUE" if o.effective_due_date < today else "")
        for o in sorted(items, key=lambda o: o.effective_due_date)
    ]
    text = f"Due in the next {DIGEST_DAYS} days, as of {today}:\n\n" + "\n".join(lines) + "\n"
    return f"Compliance: {len(items)} due by {today + timedelta(days=DIGEST_DAYS)}", text
