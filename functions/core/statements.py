"""Bank statements read into one shape, whatever the bank wrote: CSV (each bank's columns described
in `bank_layouts.toml`), OFX (by ofxparse) and ISO 20022 CAMT.053.

Each line gets an id that is the same every time the same line is read again — from the bank's own
transaction id where the format has one (OFX FITID, CAMT entry reference), else from the line's
account, date, amount and text and how many identical lines came before it in the file — so importing
a statement twice, or two overlapping ones, finds the lines it has seen.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from core.errors import Invalid
from core.i18n import N_
from core.money import is_currency
from core.validation import exact_amount

NOT_A_CURRENCY = N_("the currency {currency} is not a currency code (ISO 4217)")

LAYOUTS = Path(__file__).with_name("bank_layouts.toml")
HEADER_ROWS = 15  # how far down a CSV export may put its header row
BUDDHIST_ERA = 543
CAMT = "urn:iso:std:iso:20022:tech:xsd:camt.053"


@dataclass(frozen=True)
class StatementLine:
    id: str
    date: date
    amount: Decimal  # money in is positive, money out negative
    currency: str
    reference: str
    payer: str | None
    account: str | None


@dataclass(frozen=True)
class Statement:
    format: str  # a CSV layout's key, "ofx" or "camt.053"
    account: str | None
    lines: list[StatementLine]


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    currency: str
    columns: list[str]
    date: str
    date_format: str
    reference: list[str]
    era: str = "common"
    credit: str | None = None
    debit: str | None = None
    amount: str | None = None
    thousands: str = ","
    decimal: str = "."
    payer: str | None = None
    account: str | None = None


@cache
def layouts() -> list[Layout]:
    with LAYOUTS.open("rb") as handle:
        return [Layout(key=key, **spec) for key, spec in tomllib.load(handle).items()]


def _line_id(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


Row = tuple[date, Decimal, str, str, str | None, str | None, str | None]


def _with_ids(rows: Sequence[Row]) -> list[StatementLine]:
    """Lines from (date, amount, currency, reference, payer, account, bank id) rows; a row without the
    bank's id is told from an identical one by how many came before it."""
    seen: Counter[tuple[Any, ...]] = Counter()
    lines = []
    for day, amount, currency, reference, payer, account, bank_id in rows:
        if bank_id:
            line_id = _line_id(account, bank_id)
        else:
            key = (account, day, amount, currency, reference, payer)
            seen[key] += 1
            line_id = _line_id(*key, seen[key])
        lines.append(StatementLine(line_id, day, amount, currency, reference, payer, account))
    return lines


def read_statement(data: bytes) -> Statement:
    """The statement in `data`, or `Invalid` saying why it cannot be read."""
    text = _decode(data)
    head = text.lstrip("\ufeff \r\n\t")[:4096]
    if head.startswith("OFXHEADER") or "<OFX>" in head.upper():
        return _ofx(data)
    if CAMT in head:
        return _camt(text)
    return _csv(text)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(N_("the statement's text encoding is not one a bank uses"), slug="bad-statement")


# --------------------------------------------------------------------------------------------- CSV
def _number(raw: str, layout: Layout) -> Decimal | None:
    cleaned = raw.strip().replace(" ", "").replace(layout.thousands, "").replace(layout.decimal, ".")
    if cleaned in ("", "-"):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise Invalid(N_("{raw} is not an amount"), slug="bad-statement", raw=repr(raw)) from None


def _day(raw: str, layout: Layout) -> date:
    try:
        day = datetime.strptime(raw.strip(), layout.date_format).date()  # noqa: DTZ007 a date, no time
    except ValueError:
        raise Invalid(
            N_("{raw} is not a date as {layout} writes it"),
            slug="bad-statement",
            raw=repr(raw),
            layout=layout.name,
        ) from None
    return day.replace(year=day.year - BUDDHIST_ERA) if layout.era == "buddhist" else day


def _csv(text: str) -> Statement:
    rows = list(csv.reader(io.StringIO(text)))
    for index, row in enumerate(rows[:HEADER_ROWS]):
        cells = [cell.strip() for cell in row]
        layout = next((lay for lay in layouts() if set(lay.columns) <= set(cells)), None)
        if layout:
            return _csv_rows(layout, rows[:index], cells, rows[index + 1 :])
    known = ", ".join(layout.name for layout in layouts())
    raise Invalid(N_("not a statement layout this office knows ({known})"), slug="bad-statement", known=known)


def _csv_rows(layout: Layout, above: list[list[str]], header: list[str], body: list[list[str]]) -> Statement:
    account = None
    for row in above:
        cells = [cell.strip() for cell in row]
        if layout.account in cells and cells.index(layout.account) + 1 < len(cells):
            account = cells[cells.index(layout.account) + 1] or None
    column = {name: header.index(name) for name in header if name}
    found = []
    for row in body:
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[i] if i < len(row) else "").strip() for name, i in column.items()}
        if not cell.get(layout.date):
            continue  # a closing total or a note under the table
        if layout.amount:
            amount = _number(cell[layout.amount], layout)
        else:
            credit = _number(cell[layout.credit or ""], layout)
            debit = _number(cell[layout.debit or ""], layout)
            amount = credit if credit else (-debit if debit else None)
        if not amount:
            continue
        reference = " ".join(cell[name] for name in layout.reference if cell.get(name))
        payer = cell.get(layout.payer or "") or None
        found.append(
            (
                _day(cell[layout.date], layout),
                exact_amount(amount, layout.currency, "amount", slug="bad-statement"),
                layout.currency,
                reference,
                payer,
                account,
                None,
            )
        )
    return Statement(layout.key, account, _with_ids(found))


# --------------------------------------------------------------------------------------------- OFX
def _ofx(data: bytes) -> Statement:
    from ofxparse import OfxParser  # in the statements layer: only the function reading statements carries it

    try:
        parsed = OfxParser.parse(io.BytesIO(data))
    except Exception as error:  # ofxparse raises bare and library errors alike on a broken file
        raise Invalid(
            N_("the OFX file cannot be read: {error}"), slug="bad-statement", error=str(error)
        ) from None
    found = []
    for account in parsed.accounts:
        currency = str(account.statement.currency or "").upper()
        if not is_currency(currency):
            raise Invalid(NOT_A_CURRENCY, slug="bad-statement", currency=repr(currency))
        number = account.account_id or account.number
        for tx in account.statement.transactions:
            reference = " ".join(p for p in (tx.memo, tx.checknum) if p) or (tx.payee or "")
            found.append(
                (
                    tx.date.date(),
                    exact_amount(Decimal(tx.amount), currency, "amount", slug="bad-statement"),
                    currency,
                    reference,
                    tx.payee or None,
                    number,
                    tx.id,
                )
            )
    first = parsed.accounts[0] if parsed.accounts else None
    return Statement("ofx", first.account_id if first else None, _with_ids(found))


# ---------------------------------------------------------------------------------------- CAMT.053
def _camt(text: str) -> Statement:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring  # refuses entities and remote DTDs

    try:
        root = fromstring(text)
    except DefusedXmlException:
        raise Invalid(
            N_("the CAMT.053 file declares entities, which a statement never needs"), slug="bad-statement"
        ) from None
    except ParseError as error:
        raise Invalid(
            N_("the CAMT.053 file is not well-formed XML: {error}"), slug="bad-statement", error=str(error)
        ) from None
    ns = {"c": root.tag.partition("}")[0].lstrip("{")}

    def value(node: Element, path: str) -> str | None:
        found = node.find(path, ns)
        return found.text.strip() if found is not None and found.text else None

    found = []
    account = None
    for statement in root.iterfind(".//c:Stmt", ns):
        account = value(statement, "c:Acct/c:Id/c:IBAN") or value(statement, "c:Acct/c:Id/c:Othr/c:Id")
        for entry in statement.iterfind("c:Ntry", ns):
            amount_node = entry.find("c:Amt", ns)
            if amount_node is None or not amount_node.text:
                raise Invalid(N_("a CAMT.053 entry has no amount"), slug="bad-statement")
            currency = amount_node.get("Ccy", "")
            if not is_currency(currency):
                raise Invalid(NOT_A_CURRENCY, slug="bad-statement", currency=repr(currency))
            amount = exact_amount(Decimal(amount_node.text.strip()), currency, "amount", slug="bad-statement")
            credit = value(entry, "c:CdtDbtInd") == "CRDT"
            day = value(entry, "c:BookgDt/c:Dt") or value(entry, "c:ValDt/c:Dt") or ""
            details = entry.find("c:NtryDtls/c:TxDtls", ns)
            party = "c:RltdPties/c:Dbtr/c:Nm" if credit else "c:RltdPties/c:Cdtr/c:Nm"
            reference = " ".join(
                p
                for p in (
                    value(details, "c:RmtInf/c:Ustrd") if details is not None else None,
                    value(details, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref") if details is not None else None,
                    value(entry, "c:AddtlNtryInf"),
                    value(details, "c:Refs/c:ChqNb") if details is not None else None,
                )
                if p
            )
            payer = value(details, party) if details is not None else None
            bank_id = value(entry, "c:NtryRef") or value(entry, "c:AcctSvcrRef")
            try:
                booked = date.fromisoformat(day[:10])
            except ValueError:
                raise Invalid(N_("{raw} is not a date"), slug="bad-statement", raw=repr(day)) from None
            found.append(
                (booked, amount if credit else -amount, currency, reference, payer, account, bank_id)
            )
    return Statement("camt.053", account, _with_ids(found))
