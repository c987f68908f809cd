"""The office analysis: figures counted as records change, the report of a month, and the monthly
run that closes the month that ended (PDF with charts in S3, emailed to the office)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from analysis import charts, pdf, report, summary
from analysis.figures import Context, Increment, increments
from analysis.store import AnalysisStore, Month
from core.clock import Clock, business_date, system_clock
from core.dynamo import Table
from core.i18n import language_of, translator
from core.mailer import Attachment, Mailer
from core.observability import logger
from core.settings import env, settings
from core.storage import ObjectStore

REPORTS = "reports/office-analysis"
SUMMARIES = "reports/monthly-summary"


@dataclass
class Counting:
    """Counts each change of a record (a stream record) into the monthly figures, once. A closed month
    is locked: what a later change adds to it is counted in the month of the change instead, with a
    note saying which month it belonged to."""

    store: AnalysisStore
    clock: Clock
    timezone: ZoneInfo
    closed: set[str] = field(default_factory=set)  # months seen closed (a month never reopens)

    def record(
        self, change_id: str, old: dict[str, Any] | None, new: dict[str, Any] | None, at: datetime
    ) -> None:
        found: dict[str, Increment] = {}
        now = business_date(max(at, self.clock()), self.timezone).isoformat()[:7]
        for increment in increments(old, new, Context(self.timezone, at)):
            if self._locked(increment.month, now):
                found[now] = found.get(now, Increment(now)).merged(increment)
            else:
                found[increment.month] = (
                    found[increment.month].merged(increment) if increment.month in found else increment
                )
        if not self.store.record(change_id, list(found.values()), self.clock()):
            logger.info("change already counted", extra={"change": change_id})

    def _locked(self, month: str, now: str) -> bool:
        if month >= now:
            return False
        if month not in self.closed and self.store.closed(month):
            self.closed.add(month)
        return month in self.closed


@dataclass
class Reports:
    """A month's report and its charts, from the monthly figures."""

    store: AnalysisStore
    clock: Clock
    timezone: ZoneInfo
    currency: str

    def report(self, month: str) -> dict[str, Any]:
        months = self.store.months(month)
        for name in report.previous(month, report.TREND_MONTHS):
            months[name] = self.store.details(months.get(name, Month(name)))
        today = business_date(self.clock(), self.timezone).isoformat()[:7]
        return report.build(month, months, today)

    def summary(self, month: str, country: str) -> dict[str, Any]:
        """The month's books (`analysis.summary`)."""
        found = self.store.details(Month(month))
        return summary.build(found, country, closed="sent_at" in found.snapshot)

    def charts(self, built: dict[str, Any], language: str = "en") -> dict[str, str]:
        return charts.charts(built, self.currency, language)


@dataclass
class Monthly:
    """The daily run: the first run of a month snapshots the month that ended, stores its PDF and
    emails it once; the other days find it closed (a missed 1st is caught up on the 2nd)."""

    reports: Reports
    files: ObjectStore
    mailer: Mailer
    clock: Clock
    business: str
    recipients: list[str]
    month_end_snapshot: Callable[[date], dict[str, Any]]
    language: str = "en"
    country: str = "US"

    def close_month(self) -> str:
        reports = dataclasses.replace(self.reports, clock=self.clock)
        today = business_date(self.clock(), reports.timezone)
        end = today.replace(day=1) - timedelta(days=1)
        month = end.isoformat()[:7]
        key = f"{REPORTS}/{month}.pdf"
        if reports.store.closed(month):
            return key
        reports.store.save_snapshot(month, self.month_end_snapshot(end))
        built = reports.report(month)
        document = pdf.render(built, reports.charts(built, self.language), self.business, self.language)
        self.files.put(key, document, "application/pdf", {"month": month})
        books = reports.summary(month, self.country)
        books_pdf = pdf.render_summary({**books, "closed": True}, self.business, self.language)
        self.files.put(f"{SUMMARIES}/{month}.pdf", books_pdf, "application/pdf", {"month": month})
        if reports.store.claim_sending(month, self.clock()):
            attachments = [
                Attachment(f"office-analysis-{month}.pdf", "application/pdf", document),
                Attachment(f"monthly-summary-{month}.pdf", "application/pdf", books_pdf),
            ]
            _ = translator(self.language)
            subject = _("Office analysis {month}").format(month=month)
            text = _("The office analysis for {month} is attached, with the five months before it.")
            text += "\n" + _("The month's income, expenses and VAT are in the second attachment.")
            for recipient in self.recipients:
                self.mailer.send(recipient, subject, text.format(month=month) + "\n", attachments=attachments)
        return key


@cache
def counting() -> Counting:
    return Counting(AnalysisStore(Table(env("ANALYSIS_TABLE"))), system_clock, settings().timezone)


@cache
def reports() -> Reports:
    office = settings()
    return Reports(
        AnalysisStore(Table(env("ANALYSIS_TABLE"))), system_clock, office.timezone, office.default_currency
    )


@cache
def monthly() -> Monthly:
    from invoicing.interface import receivables_at  # only the monthly run reads the invoices

    return Monthly(
        reports=reports(),
        files=ObjectStore(env("DOCUMENTS_BUCKET")),
        mailer=Mailer(env("SENDER_EMAIL"), env("BUSINESS_NAME")),
        clock=system_clock,
        business=env("BUSINESS_NAME"),
        recipients=[a.strip() for a in env("OFFICE_EMAIL").split(",") if a.strip()],
        month_end_snapshot=receivables_at,
        language=language_of(None, settings().country),
        country=settings().country,
    )
