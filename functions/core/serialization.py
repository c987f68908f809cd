"""JSON with exact decimals, shared by the API and the event publishers."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not allowed in JSON", name, 0)


def json_loads(text: str) -> Any:
    """JSON with exact decimals; NaN/Infinity, and nesting too deep to parse, are malformed."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except RecursionError:
        raise json.JSONDecodeError("the JSON is nested too deeply", "", 0) from None


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))
