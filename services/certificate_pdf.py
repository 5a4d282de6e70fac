"""The certificate of a finished season as a PDF: pure rendering (texts in, bytes out), on the
document services/portfolio_pdf.py starts every PDF from (A4, DejaVu Sans for Cyrillic)."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.enums import XPos, YPos

from services.portfolio_pdf import FAMILY, new_document

TITLE_SIZE, NAME_SIZE, TEXT_SIZE, CODE_SIZE = 22, 20, 12, 14
LINE = 8


def render_certificate(
    title: str, name: str, lines: Sequence[str], notes: Sequence[str], code_line: str
) -> bytes:
    """A4: the title, the name, the lines (season, team, project, role, result), the notes
    (the coursework mark) and the verification line at the bottom."""
    pdf = new_document(f"{title}: {name}")
    pdf.ln(20)
    pdf.set_font(FAMILY, "B", TITLE_SIZE)
    pdf.multi_cell(0, LINE + 4, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    pdf.set_font(FAMILY, "B", NAME_SIZE)
    pdf.multi_cell(0, LINE + 4, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_font(FAMILY, "", TEXT_SIZE)
    for line in lines:
        pdf.multi_cell(0, LINE, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for note in notes:
        pdf.ln(6)
        pdf.multi_cell(0, LINE, note, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(16)
    pdf.set_font(FAMILY, "B", CODE_SIZE)
    pdf.multi_cell(0, LINE, code_line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
