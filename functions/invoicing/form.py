"""A plain HTML form's invoice (flat `customer_*` and repeated `line_*` fields) in the JSON shape."""

from __future__ import annotations

from typing import Any

FORM_FIELDS = {
    "customer_name": "name",
    "customer_email": "email",
    "customer_address": "address",
    "customer_tax_id": "tax_id",
    "customer_country": "country",
    "customer_branch": "branch",
    "customer_language": "language",
}
FORM_LINE_FIELDS = {
    "line_description": "description",
    "line_quantity": "quantity",
    "line_unit_price": "unit_price",
    "line_tax_rate": "tax_rate",
}


def form_to_request(form: dict[str, Any]) -> dict[str, Any]:
    """A plain HTML form (field → list of values) in the JSON shape; line_* fields pair up in order."""

    def first(name: str) -> Any:
        value = form.get(name)
        value = value[0] if isinstance(value, list) and value else value
        return value if value not in ("", None) else None

    def every(name: str) -> list[Any]:
        value = form.get(name, [])
        return list(value) if isinstance(value, list) else [value]

    columns = {field: every(name) for name, field in FORM_LINE_FIELDS.items()}
    rows = max((len(values) for values in columns.values()), default=0)
    lines = []
    for index in range(rows):
        line = {field: (values[index] if index < len(values) else "") for field, values in columns.items()}
        if not any(str(v).strip() for v in line.values()):
            continue  # the blank rows a form leaves
        if str(line.get("tax_rate", "")).strip() == "":
            line.pop("tax_rate")
        lines.append(line)
    customer = {field: first(name) for name, field in FORM_FIELDS.items()}
    request = {
        "customer": {k: v for k, v in customer.items() if v is not None},
        "lines": lines,
        **{name: first(name) for name in ("currency", "issue_date", "due_date", "due_days", "notes")},
        "draft": str(first("draft") or "").lower() in {"1", "true", "on", "yes"},
        "idempotency_key": first("idempotency_key"),
    }
    return {k: v for k, v in request.items() if v is not None}
