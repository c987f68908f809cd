"""The office analysis PDF is written in the office's language, its charts too."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from analysis.charts import charts
from analysis.labels import FIGURES
from analysis.pdf import render
from analysis.report import build
from analysis.store import Month

MONTHS = {
    "2026-11": Month(
        "2026-11",
        {
            "intake.received.receipt": Decimal(4),
            "intake.filed": Decimal(4),
            "invoicing.issued": Decimal(2),
            "invoicing.issued_total.THB": Decimal("1605.00"),
            "compliance.due": Decimal(1),
        },
    )
}


def lines(language: str) -> list[str]:
    report = build("2026-11", MONTHS, today_month="2026-12")
    pdf = render(report, charts(report, "THB", language), "บริษัท แบ็คออฟฟิศ จำกัด", language)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).splitlines()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Document intake", "invoices issued 2 0", "Invoiced and collected (THB)"]),
        ("th", ["การรับเอกสาร", "ใบแจ้งหนี้ที่ออก 2 0", "ออกใบแจ้งหนี้และรับชำระ (THB)"]),
        ("vi", ["Tiếp nhận tài liệu", "hóa đơn đã lập 2 0", "Đã lập hóa đơn và đã thu (THB)"]),
    ],
)
def test_the_report_reads_in_the_office_s_language(language: str, expected: list[str]) -> None:
    text = lines(language)
    for line in expected:
        assert line in text


def test_every_figure_of_the_report_has_a_name_for_people() -> None:
    report = build("2026-11", MONTHS, today_month="2026-12")
    sections = ("intake", "invoicing", "payroll", "compliance")
    names = {name for section in sections for name in report["figures"][-1][section]}
    assert names <= set(FIGURES)


def test_each_currency_the_office_used_gets_its_own_money_charts() -> None:
    months = {
        "2026-11": Month("2026-11", {**MONTHS["2026-11"].figures, "invoicing.issued_total.USD": Decimal(90)})
    }
    report = build("2026-11", months, today_month="2026-12")
    drawn = charts(report, "THB")
    assert [name for name in drawn if name.startswith(("invoicing", "dso"))] == [
        "invoicing",
        "dso",
        "invoicing-USD",
        "dso-USD",
    ]
    assert "(USD)" in drawn["invoicing-USD"] and "(THB)" in drawn["invoicing"]


def test_the_month_s_books_print_the_pp30_boxes_in_thai_and_what_a_closed_month_carried() -> None:
    from analysis.pdf import render_summary
    from analysis.summary import build as books

    month = Month(
        "2026-11",
        {
            "invoicing.net_at_7.THB": Decimal("20000.00"),
            "invoicing.vat_at_7.THB": Decimal("1400.00"),
            "payables.net.THB": Decimal("10000.00"),
            "payables.input_vat.THB": Decimal("700.00"),
        },
    )
    month.notes = [{"from": "2026-10", "figures": {"payables.input_vat.THB": Decimal("70.00")}}]
    pdf = render_summary(books(month, "TH", closed=True), "บริษัท ตัวอย่าง จำกัด", "th")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "แบบ ภ.พ.30 (THB)" in text
    assert "[8] ภาษีที่ต้องชำระ 700.00" in text  # 1,400.00 output less 700.00 input
    assert "[5] ภาษีขาย 1,400.00" in text
    assert "ยกมาจากเดือนที่ปิดแล้ว 2026-10" in text and "ภาษีซื้อ 70.00 THB" in text
