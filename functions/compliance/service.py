"""Compliance operations and the scheduled runs (daily reminders/escalations, the weekly digest)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from compliance import calendar
from compliance.model import (
    OPEN,
    CompleteRequest,
    Obligation,
    ObligationFields,
    ObligationPatch,
    Sent,
    Status,
)
from compliance.store import ObligationStore
from core.clock import Clock, business_date, system_clock
from core.dynamo import Table
from core.errors import ConditionFailed, Conflict, Invalid
from core.identity import Caller
from core.mailer import Mailer
from core.observability import logger, metrics
from core.retry import retry_on_conflict
from core.settings import env, settings

DIGEST_DAYS = 30
SYSTEM = "system:compliance"


def deterministic_id(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass
class Compliance:
    store: ObligationStore
    mailer: Mailer
    clock: Clock
    timezone: ZoneInfo
    grace_days: int
    closed_days: frozenset[date]
    document_exists: Callable[[str], bool]
    feed_token_days: int = 365

    def today(self) -> date:
        return business_date(self.clock(), self.timezone)

    # --------------------------------------------------------------- building
    def _resolved(self, obligation: Obligation) -> Obligation:
        """Effective due date (business-day rule) and status as of today."""
        effective = calendar.effective_due(
            obligation.due_date, obligation.business_day_rule, obligation.jurisdiction, self.closed_days
        )
        status = obligation.status
        if status in OPEN:
            status = calendar.status_on(effective, self.today())
        return obligation.model_copy(update={"effective_due_date": effective, "status": status})

    def _new(self, fields: ObligationFields, caller: Caller, obligation_id: str | None = None) -> Obligation:
        oid = obligation_id or uuid.uuid4().hex
        draft = Obligation(
            **fields.model_dump(),
            id=oid,
            series_id=oid,
            effective_due_date=fields.due_date,
            status=Status.UPCOMING,
            created_at=self.clock(),
            created_by=caller.actor,
        )
        return self._resolved(draft)

    def create(self, fields: ObligationFields, caller: Caller) -> Obligation:
        obligation = self._new(fields, caller)
        history = [self.store.history_entry(obligation, "created", self.clock(), by=caller.actor)]
        return self.store.save(
            obligation,
            read_version=None,
            action="created",
            actor=caller.actor,
            at=self.clock(),
            history=history,
        )

    def import_rows(self, rows: list[ObligationFields], caller: Caller) -> tuple[list[Obligation], int]:
        """Create each row's obligation; a row already imported (same title, place, date) is skipped."""
        created, skipped = [], 0
        for fields in rows:
            oid = deterministic_id(fields.title, fields.jurisdiction or "", fields.due_date.isoformat())
            if self.store.exists(oid):
                skipped += 1
                continue
            obligation = self._new(fields, caller, oid)
            history = [self.store.history_entry(obligation, "imported", self.clock(), by=caller.actor)]
            created.append(
                self.store.save(
                    obligation,
                    read_version=None,
                    action="imported",
                    actor=caller.actor,
                    at=self.clock(),
                    history=history,
                )
            )
        return created, skipped

    def edit(self, obligation_id: str, patch: ObligationPatch, caller: Caller) -> Obligation:
        current = self.store.get(obligation_id)
        if current.status not in OPEN:
            raise Conflict(f"a {current.status.value} obligation is history; it is not edited")
        changes = patch.model_dump(exclude_unset=True)
        merged = ObligationFields.model_validate(
            {**current.model_dump(include=set(ObligationFields.model_fields)), **changes}
        )
        updated = current.model_copy(update=merged.model_dump())
        if updated.due_date != current.due_date or updated.business_day_rule != current.business_day_rule:
            updated = updated.model_copy(update={"sent": []})  # a new date: its reminders start over
        updated = self._resolved(updated)
        return self.store.save(
            updated,
            read_version=current.version,
            action="edited",
            actor=caller.actor,
            at=self.clock(),
            changes={k: str(v) for k, v in changes.items()},
        )

    def archive(self, obligation_id: str, caller: Caller) -> Obligation:
        current = self.store.get(obligation_id)
        if current.status is Status.ARCHIVED:
            return current
        archived = current.model_copy(update={"status": Status.ARCHIVED})
        history = [self.store.history_entry(current, "archived", self.clock(), by=caller.actor)]
        return self.store.save(
            archived,
            read_version=current.version,
            action="archived",
            actor=caller.actor,
            at=self.clock(),
            history=history,
        )

    def complete(self, obligation_id: str, request: CompleteRequest, caller: Caller) -> Obligation:
        """Record the completion and, for a recurring obligation, create the next occurrence."""
        current = self.store.get(obligation_id)
        if current.status not in OPEN:
            raise Conflict(f"this obligation is already {current.status.value}")
        if request.evidence_document_id and not self.document_exists(request.evidence_document_id):
            raise Invalid(
                f"no document {request.evidence_document_id} in the register", slug="unknown-evidence"
            )
        following = self._following(current)
        done = current.model_copy(
            update={
                "status": Status.COMPLETED,
                "completed_on": request.completed_on,
                "completed_by": caller.actor,
                "evidence_document_id": request.evidence_document_id,
                "completion_note": request.note,
                "next_id": following.id if following else None,
            }
        )
        now = self.clock()
        history = [
            self.store.history_entry(
                current,
                "completed",
                now,
                by=caller.actor,
                evidence=request.evidence_document_id,
                note=request.note,
            )
        ]
        if following:
            later = now + timedelta(microseconds=1)  # so the history reads in order
            history.append(self.store.history_entry(following, "occurrence_created", later, by=SYSTEM))
        return self.store.save(
            done,
            read_version=current.version,
            action="completed",
            actor=caller.actor,
            at=now,
            changes={"completed_on": request.completed_on.isoformat(), "next_id": done.next_id},
            also=[following] if following else [],
            history=history,
        )

    def _following(self, current: Obligation) -> Obligation | None:
        """The next occurrence, counted from the scheduled due date (not the completion date)."""
        if not current.recurrence:
            return None
        anchor = self._anchor(current)
        due = calendar.next_occurrence(current.recurrence, anchor, current.due_date)
        if due is None:
            return None
        shift = relativedelta(due, current.due_date)  # a calendar shift: 1 Feb stays 1 Feb in a leap year
        window = current.window_start + shift if current.window_start else None
        following = current.model_copy(
            update={
                "id": deterministic_id(current.series_id, due.isoformat()),
                "occurrence": current.occurrence + 1,
                "due_date": due,
                "window_start": window,
                "status": Status.UPCOMING,
                "sent": [],
                "completed_on": None,
                "completed_by": None,
                "evidence_document_id": None,
                "completion_note": None,
                "next_id": None,
                "created_at": self.clock(),
                "created_by": SYSTEM,
                "version": 1,
            }
        )
        return self._resolved(following)

    def _anchor(self, current: Obligation) -> date:
        """The series' first due date (the RRULE's DTSTART)."""
        if current.occurrence == 1:
            return current.due_date
        first = self.store.get(current.series_id) if self.store.exists(current.series_id) else current
        return first.due_date

    # ------------------------------------------------------------------- runs
    def daily(self) -> dict[str, int]:
        """Statuses, lead reminders, overdue notices and escalations due today; each exactly once.
        Reads only the obligations whose next action day has come (see `calendar.next_action`)."""
        today = self.today()
        counts: dict[str, int] = defaultdict(int)
        for obligation in self.store.actions_due_by(today):
            for outcome in self._act(obligation, today):
                counts[outcome] += 1
        metrics.add_metric(name="ComplianceRemindersSent", unit="Count", value=counts["lead"])
        return dict(counts)

    def _act(self, obligation: Obligation, today: date) -> list[str]:
        """Claim today's messages and status change in one write, then send each and record it sent.
        A claim lost to another run is re-read; a message claimed but never sent is retried later."""
        try:
            claimed = retry_on_conflict(
                obligation, lambda: self.store.get(obligation.id), lambda o: self._claim(o, today)
            )
        except ConditionFailed:
            logger.warning("obligation kept changing; next run", extra={"obligation_id": obligation.id})
            return []
        if claimed is None:
            return []
        obligation, claims, outcomes = claimed
        for claim in claims:
            subject, text = message(obligation, claim.key, today)
            cc = [obligation.owner_email] if claim.key.startswith("escalation") else []
            self.mailer.send(claim.to, subject, text, cc=cc)
            obligation = self._mark_sent(obligation, claim)
            outcomes.append(claim.key.split(":")[0])
        return outcomes

    def _claim(self, obligation: Obligation, today: date) -> tuple[Obligation, list[Sent], list[str]] | None:
        """Store today's status and the claims of today's messages; None when there is nothing to do."""
        if obligation.status not in OPEN:  # closed since the index was read
            return None
        messages = self._due_messages(obligation, today)
        status = calendar.status_on(obligation.effective_due_date, today)
        if not messages and status is obligation.status:
            if (calendar.next_action(obligation, self.grace_days) or date.max) > today:
                self.store.reindex(obligation)  # its key was stale (the grace period changed)
            return None
        now = self.clock()
        due = obligation.effective_due_date
        claims = [
            Sent(
                key=key,
                to=to,
                claimed_at=now,
                late=key.startswith("lead:") and (due - today).days < int(key.split(":")[1]),
            )
            for key, to in messages
        ]
        claimed = {c.key for c in claims}
        saved = self.store.save(
            obligation.model_copy(
                update={
                    "status": status,
                    "sent": [s for s in obligation.sent if s.key not in claimed] + claims,
                }
            ),
            read_version=obligation.version,
            action="reminders_claimed" if claims else f"marked_{status.value}",
            actor=SYSTEM,
            at=now,
            changes={"keys": sorted(claimed), "status": status.value},
        )
        return saved, claims, [status.value] if status is not obligation.status else []

    def _mark_sent(self, obligation: Obligation, claim: Sent) -> Obligation:
        history = [
            self.store.history_entry(
                obligation, "reminder_sent", self.clock(), key=claim.key, to=claim.to, late=claim.late
            )
        ]

        def sent(o: Obligation) -> Obligation:
            stamp = self.clock()
            done = [s.model_copy(update={"sent_at": stamp}) if s.key == claim.key else s for s in o.sent]
            return o.model_copy(update={"sent": done})

        return self._save_retrying(obligation, sent, "reminder_sent", history)

    def _due_messages(self, obligation: Obligation, today: date) -> list[tuple[str, str]]:
        """Today's messages, less those sent or freshly claimed by another run."""
        done = {s.key for s in obligation.sent if s.sent_at} | {
            s.key
            for s in obligation.sent
            if s.sent_at is None and (self.clock() - s.claimed_at) < RETRY_UNSENT_AFTER
        }
        return calendar.due_messages(obligation, today, self.grace_days, done)

    def _save_retrying(
        self,
        obligation: Obligation,
        change: Callable[[Obligation], Obligation],
        action: str,
        history: list[Any],
    ) -> Obligation:
        def save(current: Obligation) -> Obligation:
            return self.store.save(
                change(current),
                read_version=current.version,
                action=action,
                actor=SYSTEM,
                at=self.clock(),
                history=history,
            )

        try:
            return retry_on_conflict(obligation, lambda: self.store.get(obligation.id), save)
        except ConditionFailed:
            logger.warning("obligation kept changing; next run", extra={"obligation_id": obligation.id})
            return obligation

    def digest(self) -> int:
        """Each owner, once a week: what is due in the next 30 days (and what is overdue). Runs daily,
        so the week's first run sends it (Monday's, or the next day's if Monday's never came); an
        owner's digest is marked sent after it leaves. Returns emails sent."""
        today = self.today()
        year, week, _ = today.isocalendar()
        this_week = f"{year}-W{week:02d}"
        by_owner: dict[str, list[Obligation]] = defaultdict(list)
        for obligation in self.store.open_due_by(today + timedelta(days=DIGEST_DAYS)):
            by_owner[obligation.owner_email].append(obligation)
        sent = 0
        for owner, items in sorted(by_owner.items()):
            if self.store.digest_sent(this_week, owner):
                continue
            lines = [
                f"- {o.effective_due_date}  {o.title} ({o.jurisdiction or '—'})"
                + ("  OVERDUE" if o.effective_due_date < today else "")
                for o in sorted(items, key=lambda o: o.effective_due_date)
            ]
            text = f"Due in the next {DIGEST_DAYS} days, as of {today}:\n\n" + "\n".join(lines) + "\n"
            self.mailer.send(
                owner, f"Compliance: {len(items)} due by {today + timedelta(days=DIGEST_DAYS)}", text
            )
            self.store.mark_digest_sent(this_week, owner, self.clock())
            sent += 1
        return sent

    # ----------------------------------------------------------- feed tokens
    def issue_feed_token(self, caller: Caller) -> str:
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
        now = self.clock()
        expires = now + timedelta(days=self.feed_token_days)
        self.store.put_feed_token(token_id, _hash(secret), caller.subject, now, expires)
        return f"{token_id}.{secret}"

    def feed_allowed(self, token: str) -> bool:
        """A token is good while it is neither revoked nor expired (tokens from before expiry
        existed expire a lifetime after they were made)."""
        token_id, _, secret = token.partition(".")
        record = self.store.feed_token(token_id) if token_id and secret else None
        if not record or not hmac.compare_digest(str(record["hash"]), _hash(secret)):
            return False
        made = datetime.fromisoformat(str(record["at"]))
        expires = record.get("expires_at")
        until = (
            datetime.fromisoformat(str(expires)) if expires else made + timedelta(days=self.feed_token_days)
        )
        return self.clock() < until

    def feed_tokens(self, caller: Caller) -> list[dict[str, Any]]:
        """Admins see every feed link; anyone else their own."""
        return self.store.feed_tokens(None if "admin" in caller.groups else caller.subject)

    def upcoming(self, days: int = 400) -> list[Obligation]:
        return list(self.store.open_due_by(self.today() + timedelta(days=days)))


RETRY_UNSENT_AFTER = timedelta(minutes=15)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


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


def closed_days(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(part.strip()) for part in text.split(",") if part.strip())


@cache
def compliance() -> Compliance:
    documents = Table(env("DOCUMENTS_TABLE"))
    grace_days = int(env("ESCALATION_GRACE_DAYS"))
    return Compliance(
        store=ObligationStore(Table(env("COMPLIANCE_TABLE")), env("AUDIT_TABLE"), grace_days),
        mailer=Mailer(env("SENDER_EMAIL"), env("BUSINESS_NAME")),
        clock=system_clock,
        timezone=settings().timezone,
        grace_days=grace_days,
        closed_days=closed_days(os.environ.get("CLOSED_DAYS", "")),
        document_exists=lambda doc_id: documents.get({"pk": f"DOC#{doc_id}", "sk": "DOC"}) is not None,
        feed_token_days=int(os.environ.get("FEED_TOKEN_DAYS", "365")),
    )
