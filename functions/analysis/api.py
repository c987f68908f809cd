"""GET /reports/office-analysis: a month's figures next to the months before it, as JSON (with the
charts as SVG) or as CSV (one row per figure, one column per month); GET /reports/monthly-summary: the
month's books (`analysis.summary`) as JSON, CSV or PDF."""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from analysis import summary
from analysis.labels import labels
from analysis.pdf import render_summary
from analysis.report import flatten
from analysis.service import reports
from core.api import build_resolver, roles
from core.clock import business_date
from core.errors import Invalid
from core.i18n import N_, reader_language
from core.observability import lambda_entry
from core.serialization import json_dumps
from core.settings import env, settings

router = Router()


@router.get(
    "/reports/office-analysis",
    middlewares=roles("staff", "admin"),
    tags=["Reports"],
    summary="How the back office ran in a month",
)
def office_analysis(
    month: Annotated[
        str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Default: this month.")
    ] = None,
    output: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json",
) -> Response[str]:
    service = reports()
    month = month or business_date(service.clock(), service.timezone).isoformat()[:7]
    built = service.report(month)
    if output == "csv":
        return Response(
            200,
            "text/csv; charset=utf-8",
            to_csv(built),
            headers={"content-disposition": f'attachment; filename="office-analysis-{month}.csv"'},
        )
    language = reader_language(router.current_event.headers.get("accept-language"), settings().country)
    answer = {**built, "charts": service.charts(built, language), "labels": labels(language)}
    return Response(200, "application/json", json_dumps(answer))


MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


@router.get(
    "/reports/monthly-summary",
    middlewares=roles("staff", "admin"),
    tags=["Reports"],
    summary="The month's income, expenses and VAT",
)
def monthly_summary(
    month: Annotated[str | None, Query(pattern=MONTH, description="Default: this month.")] = None,
    output: Annotated[str, Query(alias="format", pattern="^(json|csv)$")] = "json",
) -> Response[str]:
    """Per currency; with the boxes of the VAT return (ภ.พ.30 in Thailand, 01/GTGT in Vietnam). A closed
    month's figures stay as they were; later changes count in the month they happen. As a PDF:
    `/reports/monthly-summary/pdf?month=`."""
    service, office = reports(), settings()
    month = month or business_date(service.clock(), service.timezone).isoformat()[:7]
    built = service.summary(month, office.country)
    if output == "csv":
        disposition = {"content-disposition": f'attachment; filename="monthly-summary-{month}.csv"'}
        return Response(200, "text/csv; charset=utf-8", summary.to_csv(built), headers=disposition)
    language = reader_language(router.current_event.headers.get("accept-language"), office.country)
    return Response(200, "application/json", json_dumps({**built, "labels": labels(language)}))


@router.get(
    "/reports/monthly-summary/pdf",
    middlewares=roles("staff", "admin"),
    tags=["Reports"],
    summary="The month's income, expenses and VAT, as a PDF (?month=YYYY-MM, default this month)",
    enable_validation=False,  # a binary body: nothing to validate, and JSON encoding would break it
)
def monthly_summary_pdf() -> Response[bytes]:
    service, office = reports(), settings()
    month = router.current_event.get_query_string_value("month") or ""
    if month and not re.match(MONTH, month):
        raise Invalid(
            N_("the month is written like 2026-01"),
            slug="validation",
            errors=[{"name": "month", "reason": "YYYY-MM"}],
        )
    month = month or business_date(service.clock(), service.timezone).isoformat()[:7]
    language = reader_language(router.current_event.headers.get("accept-language"), office.country)
    document = render_summary(service.summary(month, office.country), env("BUSINESS_NAME"), language)
    disposition = {"content-disposition": f'inline; filename="monthly-summary-{month}.pdf"'}
    return Response(200, "application/pdf", document, headers=disposition, compress=False)


def to_csv(built: dict[str, Any]) -> str:
    rows = [flatten(figures) for figures in built["figures"]]
    names = sorted({name for row in rows for name in row})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["figure", *built["months"]])
    for name in names:
        writer.writerow([name, *("" if row.get(name) is None else row[name] for row in rows)])
    return out.getvalue()


app = build_resolver(router)


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
