"""The paper consent form a parent without a messenger prints and signs, drawn by fpdf2.

Pure rendering (texts in, bytes out), with the DejaVu font matplotlib ships (see
services/portfolio_pdf.py for why): services/applications/paper.py decides what goes in.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.portfolio_pdf import FAMILY, new_document

TITLE_SIZE, TEXT_SIZE, SMALL_SIZE = 14, 10, 9
LINE_HEIGHT = 5
BLANK = "_" * 44


def render_consent_form(
    title: str, heading: str, consent_text: str, fields: Sequence[str], footer: str
) -> bytes:
    """An A4 PDF: the title, a line about whose application it is, the consent text, then each
    field's label with a blank line to fill in by hand, and a footer."""
    from fpdf.enums import XPos, YPos  # fpdf2 when drawn (services/portfolio_pdf.py)

    pdf = new_document(title)
    pdf.set_font(FAMILY, "B", TITLE_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT + 2, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, "", TEXT_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FAMILY, "", SMALL_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT, consent_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", TEXT_SIZE)
    for label in fields:
        pdf.ln(3)
        pdf.multi_cell(0, LINE_HEIGHT + 2, f"{label}: {BLANK}", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(6)
    pdf.set_font(FAMILY, "", SMALL_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT, footer, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
