"""The emails compliance sends: reminders, overdue notices, escalations and the weekly digest."""

from __future__ import annotations

from datetime import date, timedelta

from compliance.model import Obligation
from core.i18n import translator

DIGEST_DAYS = 30


def message(obligation: Obligation, key: str, today: date, language: str = "en") -> tuple[str, str]:
    """Subject and text of a reminder, overdue notice or escalation, in `language`."""
    _ = translator(language)
    due = obligation.effective_due_date
    moved = " " + _("(moved from {date}, a non-business day)").format(date=obligation.due_date)
    lines = [
        obligation.title,
        _("Jurisdiction: {place}").format(place=obligation.jurisdiction or "—"),
        _("Due: {due}").format(due=due) + (moved if due != obligation.due_date else ""),
    ]
    if obligation.window_start:
        lines.append(
            _("It must hold from {start} until {due}.").format(start=obligation.window_start, due=due)
        )
    facts = "\n".join(lines) + "\n"
    if key.startswith("lead:"):
        days = (due - today).days
        when = (
            _("today") if days == 0 else _("in 1 day") if days == 1 else _("in {days} days").format(days=days)
        )
        subject = _("Due {when}: {title}").format(when=when, title=obligation.title)
        return subject, f"{facts}\n" + _("This is due {when}.").format(when=when) + "\n"
    late = (today - due).days
    if key == "overdue":
        return (
            _("OVERDUE: {title}").format(title=obligation.title),
            f"{facts}\n"
            + _("This is {days} days overdue. Record it as done when it is.").format(days=late)
            + "\n",
        )
    owner = _("Owner: {owner}").format(owner=obligation.owner_email)
    late_text = _("This is {days} days overdue and not recorded as done.").format(days=late)
    return (
        _("Escalation — overdue {days} days: {title}").format(days=late, title=obligation.title),
        f"{facts}\n{owner}\n{late_text}\n",
    )


def digest(items: list[Obligation], today: date, language: str = "en") -> tuple[str, str]:
    """Subject and text of an owner's digest: what falls due in the next `DIGEST_DAYS` days."""
    _ = translator(language)
    lines = [
        f"- {o.effective_due_date}  {o.title} ({o.jurisdiction or '—'})"
        + (f"  {_('OVERDUE')}" if o.effective_due_date < today else "")
        for o in sorted(items, key=lambda o: o.effective_due_date)
    ]
    heading = _("Due in the next {days} days, as of {today}:").format(days=DIGEST_DAYS, today=today)
    subject = _("Compliance: {count} due by {date}").format(
        count=len(items), date=today + timedelta(days=DIGEST_DAYS)
    )
    return subject, f"{heading}\n\n" + "\n".join(lines) + "\n"
