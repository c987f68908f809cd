"""The obligations as an iCalendar (RFC 5545) feed that calendar apps subscribe to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vRecur

from compliance.model import Obligation

PRODUCT = "-//Back Office//Compliance calendar//EN"


def feed(obligations: Iterable[Obligation], name: str, now: datetime) -> bytes:
    """One all-day event per open occurrence on its effective due date; recurring ones carry their RRULE."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name} — compliance")
    for obligation in obligations:
        event = Event()
        event.add("uid", f"{obligation.id}@backoffice")
        event.add("dtstamp", now)
        event.add("summary", f"Due: {obligation.title}")
        start = obligation.window_start or obligation.effective_due_date
        event.add("dtstart", start)
        event.add("dtend", obligation.effective_due_date + timedelta(days=1))
        details = [f"Category: {obligation.category.value}", f"Owner: {obligation.owner_email}"]
        if obligation.jurisdiction:
            details.append(f"Jurisdiction: {obligation.jurisdiction}")
        if obligation.effective_due_date != obligation.due_date:
            details.append(f"Scheduled for {obligation.due_date}; moved to the next business day")
        event.add("description", "\n".join(details))
        event.add("status", "CONFIRMED")
        if obligation.recurrence and not obligation.window_start:
            event.add("rrule", vRecur.from_ical(obligation.recurrence))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
