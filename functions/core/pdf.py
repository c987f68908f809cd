"""A4 PDF documents (fpdf2) with the embedded Noto fonts, so Thai and Vietnamese print and extract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONTS = Path(__file__).with_name("fonts")


def new_pdf(title: str) -> Any:
    """An empty A4 document titled `title`, font `Noto` (regular and B): Latin, Vietnamese and Thai
    in one font (`infra/fonts/merge.py` says why)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Back Office")
    for style, weight in (("", "Regular"), ("B", "Bold")):
        pdf.add_font("Noto", style, str(FONTS / f"Noto-{weight}.ttf"))
    return pdf
