"""The daily run: statuses, lead reminders, overdue notices and escalations, each sent once; and the
weekly digest to each owner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from compliance import calendar, messages
from compliance.base import SYSTEM, ComplianceBase
from compliance.model import OPEN, Obligation, Sent
from core.errors import ConditionFailed
from core.i18n import language_of
from core.observability import logger, metrics
from core.retry import retry_on_conflict

RETRY_UNSENT_AFTER = timedelta(minutes=15)


class DailyReminders(ComplianceBase):
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
            language = language_of(obligation.language, self.country)
            subject, text = messages.message(obligation, claim.key, today, language)
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
                obligation, "reminder_sent", self.clock(), SYSTEM, key=claim.key, to=claim.to, late=claim.late
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
        for obligation in self.store.open_due_by(today + timedelta(days=messages.DIGEST_DAYS)):
            by_owner[obligation.owner_email].append(obligation)
        sent = 0
        for owner, items in sorted(by_owner.items()):
            if self.store.digest_sent(this_week, owner):
                continue
            language = language_of(items[0].language, self.country)  # the owner's, as stated on an obligation
            self.mailer.send(owner, *messages.digest(items, today, language))
            self.store.mark_digest_sent(this_week, owner, self.clock())
            sent += 1
        return sent
