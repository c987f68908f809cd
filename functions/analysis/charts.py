"""Bar and line charts of the monthly figures as small SVG documents (pure).

The same SVG goes into the PDF (fpdf2 draws SVG shapes natively) and onto the portal's dashboard,
so the two show the same picture. Plain shapes and presentation attributes only: no CSS, no script.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from core.i18n import translator

FONT = "Noto, Helvetica"  # the PDF's font (Thai and Vietnamese included), else the browser's

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 34, 52
COLOURS = ("#0b5cad", "#e07b00", "#1a7f37", "#b42318", "#6f42c1")
Series = tuple[str, Sequence[Decimal | None]]


def _scale(series: Sequence[Series], stacked: bool) -> float:
    """The axis top: four equal steps of 1, 2, 2.5 or 5 times a power of ten."""
    if stacked:
        totals = [sum(float(s[1][i] or 0) for s in series) for i in range(len(series[0][1]))]
        top = max(totals, default=0)
    else:
        top = max((float(v) for _, values in series for v in values if v is not None), default=0)
    if top <= 0:
        return 4.0
    magnitude = 10 ** math.floor(math.log10(top / 4))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude * 4 >= top)
    return float(step * 4)


def _frame(title: str, labels: Sequence[str], top: float, unit: str) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="20" font-family="{FONT}" font-size="14" font-weight="bold" fill="#1d2430">'
        f"{escape(title)}</text>",
    ]
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
            'stroke="#d5dae3" stroke-width="1"/>'
        )
        text = f"{value:g}{unit}"
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-family="{FONT}" font-size="10" fill="#5b6576" '
            f'text-anchor="end">{escape(text)}</text>'
        )
    slot = plot_w / max(len(labels), 1)
    for index, label in enumerate(labels):
        x = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" font-family="{FONT}" font-size="10" '
            'fill="#5b6576" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], LEFT
    for index, (name, _) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 18}" width="10" height="10" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{HEIGHT - 9}" font-family="{FONT}" font-size="10" fill="#1d2430">'
            f"{escape(name)}</text>"
        )
        x += 24 + 6 * len(name)
    return parts


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, stacked: bool = False) -> str:
    """Bars per month: side by side per series, or stacked."""
    top = _scale(series, stacked)
    parts = _frame(title, labels, top, "")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    width = slot * 0.7 / (1 if stacked else len(series))
    for index in range(len(labels)):
        base = float(TOP + plot_h)
        for number, (_, values) in enumerate(series):
            value = float(values[index] or 0)
            height = plot_h * value / top
            x = LEFT + slot * index + slot * 0.15 + (0 if stacked else width * number)
            y = base - height
            colour = COLOURS[number % len(COLOURS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}"/>'
            )
            if stacked:
                base = y
    return "".join([*parts, *_legend(series), "</svg>"])


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, percent: bool = False) -> str:
    """A line per series; a month without a value leaves a gap."""
    scaled = [
        (name, [None if v is None else Decimal(v) * (100 if percent else 1) for v in values])
        for name, values in series
    ]
    top = 100.0 if percent else _scale(scaled, False)
    parts = _frame(title, labels, top, "%" if percent else "")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    for number, (_, values) in enumerate(scaled):
        colour = COLOURS[number % len(COLOURS)]
        points = [
            (LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * float(v) / top)
            for i, v in enumerate(values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
    return "".join([*parts, *_legend(scaled), "</svg>"])


def currencies(report: dict[str, Any], default: str) -> list[str]:
    """The office's currency first, then every other one it invoiced or collected in the months shown."""
    seen = {
        code
        for row in report["figures"]
        for key in ("issued_total", "collected")
        for code in (row["invoicing"].get(key) or {})
    }
    return [default, *sorted(seen - {default})]


def charts(report: dict[str, Any], currency: str, language: str = "en") -> dict[str, str]:
    """The report's charts, by name, in `language`: money charts per currency (the office's first)."""
    _ = translator(language)
    rows = report["figures"]
    labels = [row["month"] for row in rows]

    def series(section: str, key: str, sub: str | None = None) -> list[Decimal | None]:
        values = [row[section][key] for row in rows]
        return [v.get(sub) if isinstance(v, dict) else v for v in values] if sub else values

    money: dict[str, str] = {}
    for code in currencies(report, currency):  # one pair of charts per currency the office used
        suffix = "" if code == currency else f"-{code}"
        money[f"invoicing{suffix}"] = bar_chart(
            _("Invoiced and collected ({currency})").format(currency=code),
            labels,
            [
                (_("invoiced"), series("invoicing", "issued_total", code)),
                (_("collected"), series("invoicing", "collected", code)),
            ],
        )
        money[f"dso{suffix}"] = line_chart(
            _("Days sales outstanding ({currency})").format(currency=code),
            labels,
            [("DSO", series("invoicing", "days_sales_outstanding", code))],
        )
    return {
        "documents": bar_chart(
            _("Documents received"),
            labels,
            [
                (_("filed"), series("intake", "filed")),
                (_("quarantined"), series("intake", "quarantined")),
                (_("duplicate"), series("intake", "duplicate")),
            ],
            stacked=True,
        ),
        **money,
        "cheques": line_chart(
            _("Cheques handed over within 2 business days"),
            labels,
            [(_("share"), series("payroll", "handed_over_within_2_days_share"))],
            percent=True,
        ),
        "compliance": bar_chart(
            _("Obligations by the month they were due"),
            labels,
            [
                (_("on time"), series("compliance", "completed_on_time")),
                (_("late"), series("compliance", "completed_late")),
                (_("still overdue"), series("compliance", "still_overdue")),
            ],
            stacked=True,
        ),
    }
