"""A compliance calendar from a spreadsheet (CSV): every row checked, all or nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from compliance.model import ObligationFields
from core.i18n import N_
from core.validation import field_errors

COLUMNS = {
    "title",
    "category",
    "jurisdiction",
    "due_date",
    "window_start",
    "recurrence",
    "remind_days_before",
    "owner_email",
    "escalation_email",
    "business_day_rule",
    "notes",
}
REQUIRED = {"title", "due_date", "owner_email"}


def read_calendar(text: str) -> tuple[list[ObligationFields], list[dict[str, Any]]]:
    """The rows as obligations, or the problems (line, field, message) that stop the import."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = REQUIRED - headers
    if missing:
        return [], [
            {
                "line": 1,
                "field": name,
                "message": N_("column {column} is missing"),
                "params": {"column": name},
            }
            for name in sorted(missing)
        ]
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        data: dict[str, Any] = {k: v for k, v in row.items() if k in COLUMNS and v != ""}
        if "remind_days_before" in data:
            data["remind_days_before"] = [
                p.strip() for p in data["remind_days_before"].split("|") if p.strip()
            ]
        try:
            rows.append(ObligationFields.model_validate(data))
        except ValidationError as error:
            problems += [{**problem, "line": line} for problem in field_errors(error.errors())]
    return rows, problems
