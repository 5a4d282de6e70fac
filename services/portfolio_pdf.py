"""The PDF portfolio: a title, the participant's name and headed lists of lines, drawn by fpdf2.

Pure rendering (texts in, bytes out): no database, no messenger; services/profile.py decides
what goes in. Why these libraries: fpdf2 is pure Python and well kept, so the bot needs no
native PDF toolchain; its built-in fonts are Latin-1 only, so Cyrillic needs a TrueType font,
and a server image cannot be assumed to have one installed. matplotlib (a dependency anyway,
for the office's charts) ships DejaVu Sans, regular and bold, with full Cyrillic, inside its
package data: the font comes with `pip install`, at `matplotlib.get_data_path()`/fonts/ttf.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF


FAMILY = "DejaVu"
TITLE_SIZE, NAME_SIZE, HEADING_SIZE, TEXT_SIZE = 14, 18, 12, 11
LINE_HEIGHT = 6


@cache
def font_files() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold, as matplotlib ships them."""
    import matplotlib  # imported here: loading it costs time only when a PDF is drawn

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def new_document(title: str) -> FPDF:
    # fpdf2 (~30 MB) is imported when a document is drawn, not at the bot's start.
    from fpdf import FPDF

    """An A4 document with its title and the Cyrillic font (regular and bold), on its first
    page: what every PDF the bot draws starts from."""
    regular, bold = font_files()
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    pdf.add_page()
    return pdf


def render_portfolio(title: str, name: str, sections: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    from fpdf.enums import XPos, YPos

    """An A4 PDF: the title, the name, then each section's heading and its lines."""
    pdf = new_document(f"{title}: {name}")
    pdf.set_font(FAMILY, "", TITLE_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT + 2, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", NAME_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT + 4, name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for heading, lines in sections:
        pdf.ln(4)
        pdf.set_font(FAMILY, "B", HEADING_SIZE)
        pdf.multi_cell(0, LINE_HEIGHT + 1, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "", TEXT_SIZE)
        for line in lines:
            pdf.multi_cell(0, LINE_HEIGHT, f"• {line}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
