"""pydantic's refusals in our words: each error's `type` gets a sentence of the catalogues that names
the field in words ("Branch: up to 5 digits, 00000 for the head office"), never pydantic's own English,
its regular expressions or its type names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from core.errors import Invalid, field_error
from core.i18n import N_, Word
from core.money import MoneyError, parse_amount

FIELDS = {
    "active": N_("Active"),
    "address": N_("Address"),
    "amount": N_("Amount"),
    "archived": N_("Archived"),
    "as_of": N_("As of"),
    "bank_account": N_("Bank account"),
    "bill_id": N_("Bill"),
    "branch": N_("Branch"),
    "business_day_rule": N_("Business day rule"),
    "category": N_("Category"),
    "certificate_number": N_("Certificate number"),
    "cheque_id": N_("Cheque"),
    "code": N_("Code"),
    "completed_on": N_("Completed on"),
    "content_type": N_("Kind of file"),
    "country": N_("Country"),
    "currency": N_("Currency"),
    "cursor": N_("Page"),
    "customer": N_("Customer"),
    "customer_email": N_("Customer's email"),
    "customer_id": N_("Customer"),
    "date": N_("Date"),
    "delivery": N_("Delivery"),
    "department": N_("Department"),
    "description": N_("Description"),
    "document_id": N_("Document"),
    "document_type": N_("Type of document"),
    "draft": N_("Draft"),
    "due_before": N_("Due before"),
    "due_date": N_("Due date"),
    "due_days": N_("Days to pay"),
    "email": N_("Email"),
    "employee_id": N_("Employee"),
    "end": N_("End"),
    "escalation_email": N_("Email for escalation"),
    "evidence_document_id": N_("Evidence document"),
    "figures": N_("Figures"),
    "filename": N_("File name"),
    "format": N_("Format"),
    "from": N_("From"),
    "id": N_("Identifier"),
    "idempotency_key": N_("Request key"),
    "invoice_id": N_("Invoice"),
    "invoice_number": N_("Invoice number"),
    "issue_date": N_("Issue date"),
    "item": N_("Item"),
    "jurisdiction": N_("Jurisdiction"),
    "kind": N_("Kind"),
    "language": N_("Language"),
    "limit": N_("How many"),
    "line_id": N_("Bank line"),
    "lines": N_("Lines"),
    "link": N_("Link"),
    "mailing_address": N_("Mailing address"),
    "method": N_("Method"),
    "month": N_("Month"),
    "name": N_("Name"),
    "names": N_("Names"),
    "net": N_("Net"),
    "new_cheque_number": N_("New cheque number"),
    "note": N_("Note"),
    "notes": N_("Notes"),
    "notify": N_("Notify"),
    "number": N_("Number"),
    "obligation_id": N_("Obligation"),
    "owner": N_("Owner"),
    "owner_email": N_("Owner's email"),
    "party_id": N_("Party"),
    "pay_on": N_("Pay on"),
    "payment_id": N_("Payment"),
    "payment_terms_days": N_("Days to pay"),
    "payrun": N_("Pay run"),
    "q": N_("Search"),
    "quantity": N_("Quantity"),
    "quote_id": N_("Quote"),
    "reason": N_("Reason"),
    "received_by": N_("Received by"),
    "recurrence": N_("Recurrence"),
    "reference": N_("Reference"),
    "remember": N_("Remember"),
    "remind_days_before": N_("Remind days before"),
    "rule": N_("Rule"),
    "run_id": N_("Pay run"),
    "send": N_("Send"),
    "series_id": N_("Recurring invoice"),
    "start": N_("Start"),
    "status": N_("Status"),
    "tax_id": N_("Tax ID"),
    "tax_rate": N_("Tax rate"),
    "title": N_("Title"),
    "to": N_("To"),
    "token_id": N_("Calendar link"),
    "total": N_("Total"),
    "tracking": N_("Tracking"),
    "type": N_("Type"),
    "unit_price": N_("Unit price"),
    "valid_days": N_("Days valid"),
    "vat": N_("VAT"),
    "vendor": N_("Vendor"),
    "window_start": N_("Window start"),
    "withheld": N_("Withheld"),
    "withholding_rate": N_("Withholding rate"),
}

# what a field written against its pattern should look like, by the pattern
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PATTERNS = {
    EMAIL: N_("{field}: an email address, like name@example.com"),
    r"^[A-Z]{3}$": N_("{field}: a currency code of three capital letters, like THB or VND"),
    r"^[A-Z]{2}$": N_("{field}: a country code of two capital letters, like TH or VN"),
    r"^[0-9]{1,5}$": N_("{field}: up to five digits, 00000 for the head office"),
    r"^\d{4}-(0[1-9]|1[0-2])$": N_("{field}: a month written like 2026-01"),
    r"^[1-9]\d{3}-(0[1-9]|1[0-2])$": N_("{field}: a month written like 2026-01"),
    r"^[A-Z0-9][A-Z0-9._-]{0,31}$": N_(
        "{field}: up to 32 capital letters, digits, dots, dashes or underscores"
    ),
    r"^\d+$": N_("{field}: digits only"),
}

NUMBER = N_("{field}: a number, like 12,000.50")
DATE = N_("{field}: a date, like 2026-01-31")
MOMENT = N_("{field}: a date and time, like 2026-01-31T09:00:00+07:00")
SHAPE = N_("{field}: not in the form this field takes")
MESSAGES = {
    "missing": N_("{field}: fill this in"),
    "extra_forbidden": N_("{field}: this form has no such field"),
    "string_too_short": N_("{field}: at least {min_length} characters"),
    "string_too_long": N_("{field}: at most {max_length} characters"),
    "too_short": N_("{field}: at least {min_length}"),
    "too_long": N_("{field}: at most {max_length}"),
    "greater_than": N_("{field}: more than {gt}"),
    "greater_than_equal": N_("{field}: at least {ge}"),
    "less_than": N_("{field}: less than {lt}"),
    "less_than_equal": N_("{field}: at most {le}"),
    "decimal_max_places": N_("{field}: at most {decimal_places} decimals"),
    "decimal_max_digits": N_("{field}: the number is too long"),
    "decimal_whole_digits": N_("{field}: the number is too long"),
    "finite_number": NUMBER,
    "decimal_parsing": NUMBER,
    "decimal_type": NUMBER,
    "float_parsing": NUMBER,
    "float_type": NUMBER,
    "int_parsing": N_("{field}: a whole number, like 30"),
    "int_type": N_("{field}: a whole number, like 30"),
    "int_from_float": N_("{field}: a whole number, like 30"),
    "bool_parsing": N_("{field}: yes or no"),
    "bool_type": N_("{field}: yes or no"),
    "date_parsing": DATE,
    "date_type": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_parsing": MOMENT,
    "datetime_type": MOMENT,
    "datetime_from_date_parsing": MOMENT,
    "timezone_naive": MOMENT,
    "timezone_aware": MOMENT,
    "literal_error": N_("{field}: one of {expected}"),
    "enum": N_("{field}: one of {expected}"),
    "string_type": N_("{field}: text"),
    "string_unicode": N_("{field}: text"),
    "url_parsing": N_("{field}: a web address, like https://example.com"),
    "url_type": N_("{field}: a web address, like https://example.com"),
    "url_scheme": N_("{field}: a web address, like https://example.com"),
}
FIELD_PROBLEM = N_("{field}: {problem}")
NOT_VALID = N_("{field}: not valid")
THE_REQUEST = N_("The request")
LINE = N_("{field} (line {line})")
PLACES = ("body", "query", "path", "header")


def field_word(loc: Sequence[Any]) -> Word:
    """A field's name as a person reads it: "Branch", "Unit price (line 2)"."""
    names = [str(part) for part in loc if isinstance(part, str) and part not in PLACES]
    lines = [part for part in loc if isinstance(part, int)]
    word = Word(next((FIELDS[name] for name in reversed(names) if name in FIELDS), THE_REQUEST))
    return Word(LINE, field=word, line=lines[0] + 1) if lines else word


def field_problem(field: str, problem: str, **params: Any) -> dict[str, Any]:
    """The parameters of `FIELD_PROBLEM`: the field ("tax_id") named in words, and the problem, a text
    of the catalogues with its own parameters."""
    return {"field": Word(FIELDS.get(field, THE_REQUEST)), "problem": Word(problem, **params)}


def message(error: Any) -> tuple[str, dict[str, Any]]:
    """One pydantic error as a text of the catalogues and its parameters."""
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    params: dict[str, Any] = {
        key: value for key, value in context.items() if isinstance(value, (int, str, Decimal))
    }
    params["field"] = field_word(tuple(error.get("loc", ())))
    if kind == "string_pattern_mismatch":
        sentence = PATTERNS.get(str(context.get("pattern")), NOT_VALID)
    elif kind in ("value_error", "assertion_error"):
        refusal = context.get("error")  # a validator's ValueError, its text marked with N_ (or a MoneyError)
        problem = Word(getattr(refusal, "text", str(refusal)), **getattr(refusal, "params", {}))
        sentence, params["problem"] = FIELD_PROBLEM, problem
    else:
        sentence = MESSAGES.get(kind, NOT_VALID)
    return sentence, params


def field_errors(errors: Iterable[Any]) -> list[dict[str, Any]]:
    """pydantic's errors as field errors (`core.errors.field_error`), each in our words."""
    out = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        sentence, params = message(error)
        field = ".".join(str(part) for part in loc if part not in PLACES) or ".".join(map(str, loc))
        item = field_error(field, sentence, **params)
        item["in"] = str(loc[0]) if loc and loc[0] in PLACES else "body"
        item["code"] = str(error.get("type", ""))
        out.append(item)
    return out


def exact_amount(value: object, currency: str, field: str, *, slug: str = "validation") -> Decimal:
    """`core.money.parse_amount`, or an `Invalid` that names the field ("lines.0.unit_price") in words."""
    try:
        return parse_amount(value, currency)
    except MoneyError as error:
        said = field_problem(field.rsplit(".", 1)[-1], error.text, **error.params)
        raise Invalid(
            FIELD_PROBLEM, slug=slug, errors=[field_error(field, FIELD_PROBLEM, **said)], **said
        ) from None
