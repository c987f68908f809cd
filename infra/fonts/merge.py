"""Write the PDF font of the functions: Noto Sans (Latin, with Vietnamese) and Noto Sans Thai merged
into one font per weight, so a line mixing Thai and Latin needs no fallback font.

fpdf2's fallback fonts lose track of the font state after a Thai run and draw the Latin text that
follows with the wrong glyphs (py-pdf/fpdf2 issue 1772); one font with every script avoids it.
Run `python -m infra.fonts.merge` after changing the sources here (SIL Open Font License, OFL.txt).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE.parents[1] / "functions" / "core" / "fonts"
WEIGHTS = ("Regular", "Bold")


def merged(weight: str) -> bytes:
    """The font file of one weight (the same bytes from the same sources)."""
    import io

    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    sources = [str(HERE / f"NotoSans-{weight}.ttf"), str(HERE / f"NotoSansThai-{weight}.ttf")]
    font = Merger().merge(sources)
    latin = TTFont(sources[0])["head"]
    font["head"].created, font["head"].modified = latin.created, latin.modified
    font.recalcTimestamp = False
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


if __name__ == "__main__":
    for weight in WEIGHTS:
        target = TARGET / f"Noto-{weight}.ttf"
        target.write_bytes(merged(weight))
        print(target)
