"""Obligations as people keep them: created, imported, edited, archived, completed — and the next
occurrence of a recurring one created with the completion."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from compliance.base import SYSTEM, ComplianceBase, deterministic_id
from compliance.model import OPEN, CompleteRequest, Obligation, ObligationFields, ObligationPatch, Status
from core.errors import Conflict, Invalid
from core.i18n import N_
from core.identity import Caller
from core.recurrence import next_occurrence


class Obligations(ComplianceBase):
    def get(self, obligation_id: str) -> Obligation:
        return self.store.get(obligation_id)

    def search(
        self,
        *,
        status: str | None,
        category: str | None,
        owner: str | None,
        due_before: date | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Obligation], str | None]:
        return self.store.search(
            status=status, category=category, owner=owner, due_before=due_before, cursor=cursor, limit=limit
        )

    def history(self, obligation_id: str) -> dict[str, Any]:
        """What happened to the obligation's whole series, oldest first."""
        series = self.store.get(obligation_id).series_id
        return {"series_id": series, "entries": self.store.history(series)}

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
        history = [self.store.history_entry(obligation, "created", self.clock(), by=caller)]
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
            history = [self.store.history_entry(obligation, "imported", self.clock(), by=caller)]
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
            raise Conflict(N_("a {status} obligation is history; it is not edited"), status=current.status)
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
        history = [self.store.history_entry(current, "archived", self.clock(), by=caller)]
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
            raise Conflict(N_("this obligation is already {status}"), status=current.status)
        if request.evidence_document_id and not self.document_exists(request.evidence_document_id):
            raise Invalid(
                N_("no document {document} in the register"),
                slug="unknown-evidence",
                document=request.evidence_document_id,
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
                by=caller,
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
        due = next_occurrence(current.recurrence, anchor, current.due_date)
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

    def upcoming(self, days: int = 400) -> list[Obligation]:
        return list(self.store.open_due_by(self.today() + timedelta(days=days)))
