"""Bank statements as the banks write them: three CSV layouts, OFX and CAMT.053 read into the same
lines, each line's id stable across imports, and files that are not statements refused in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import Invalid
from core.statements import read_statement
from tests import files

BANK = files.SAMPLES / "bank"


def sample(name: str) -> bytes:
    return (BANK / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "layout", "account", "currency", "first", "payer"),
    [
        (
            "kbank.csv",
            "kbank",
            "123-4-56789-0",
            "THB",
            "10700.00",
            "From X5521 SIAM TRADING CO LTD INV-2026-000001",
        ),
        ("scb.csv", "scb", "987-6-54321-0", "THB", "10700.00", "บจก. สยามเทรดดิ้ง INV-2026-000001"),
        ("vietcombank.csv", "vietcombank", "0071000123456", "VND", "10800000", "CONG TY TNHH ANH DUONG"),
        ("statement.ofx", "ofx", "1234567890", "THB", "10700.00", "SIAM TRADING CO LTD"),
        ("camt053.xml", "camt.053", "0071000123456", "VND", "10800000", "CONG TY TNHH ANH DUONG"),
    ],
)
def test_each_format_reads_into_the_same_lines(
    name: str, layout: str, account: str, currency: str, first: str, payer: str
) -> None:
    statement = read_statement(sample(name))
    assert (statement.format, statement.account) == (layout, account)
    credit, _, debit = statement.lines[:3]
    assert (credit.date, credit.amount, credit.currency) == (date(2026, 11, 2), Decimal(first), currency)
    assert credit.payer == payer and "INV-2026-000001" in f"{credit.reference} {credit.payer}"
    assert debit.amount < 0 and debit.date == date(2026, 11, 10)


def test_a_thai_bank_s_buddhist_era_year_is_read_as_the_common_era() -> None:
    assert read_statement(sample("scb.csv")).lines[0].date == date(2026, 11, 2)  # written 02/11/2569


def test_vietnamese_grouping_with_dots_is_read_exactly() -> None:
    lines = read_statement(sample("vietcombank.csv")).lines
    assert [line.amount for line in lines] == [Decimal(10800000), Decimal(4320000), Decimal(-25000000)]


def test_a_closing_total_row_is_not_a_line() -> None:
    assert len(read_statement(sample("kbank.csv")).lines) == 4


def test_a_line_has_the_same_id_every_time_it_is_read_and_twin_lines_differ() -> None:
    twin = b'05-11-26,13:02,Transfer Deposit,,"4,280.00","114,980.00",Internet/Mobile,'
    twin += b"From X8810 KHUN MALEE SHOP\n"
    once = read_statement(sample("kbank.csv")).lines
    twice = read_statement(sample("kbank.csv").replace(twin, twin + twin)).lines
    assert [line.id for line in once] == [line.id for line in read_statement(sample("kbank.csv")).lines]
    assert twice[1].id == once[1].id and twice[2].id not in {line.id for line in once}
    assert twice[2].amount == twice[1].amount and [line.id for line in twice[3:]] == [
        line.id for line in once[2:]
    ]


def test_the_bank_s_own_transaction_id_names_the_line_in_ofx_and_camt() -> None:
    ofx = sample("statement.ofx")
    moved = ofx.replace(b"<MEMO>INV-2026-000001", b"<MEMO>INV-2026-000001 (corrected)")
    assert read_statement(ofx).lines[0].id == read_statement(moved).lines[0].id


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"Name,Amount\nA,1\n", "not a statement layout"),
        (sample("kbank.csv").replace(b"02-11-26", b"2026-11-02"), "is not a date"),
        (sample("kbank.csv").replace(b'"10,700.00"', b'"ten"'), "is not an amount"),
        (sample("kbank.csv").replace(b'"10,700.00"', b'"10,700.005"'), "at most 2 decimals"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&a;</Document>',
            "declares entities",
        ),
    ],
)
def test_what_is_not_a_readable_statement_is_refused_in_words(data: bytes, says: str) -> None:
    with pytest.raises(Invalid, match=says):
        read_statement(data)
