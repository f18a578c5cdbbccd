"""The Word skeleton the measure documents share: house style, header, title block, text tables.

The dossier, the status report and the annual calendar (årshjul) are filed by the
steering group next to the conference report and the initiative forms, so they look
the same: `exports.docx_common` styles, A4, the organisation in the page header,
"Side X av Y" in the footer. This class holds only that common frame; each document
adds its own sections.

Everything the user typed goes through `clean_text()` (`self.clean`) before it lands here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Length, Pt
from docx.styles.style import BaseStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from exports.docx_common import (
    GREY,
    NAVY,
    add_para,
    add_table,
    apply_house_styles,
    facts_line,
    fill_header,
    keep_row_together,
    run,
    set_core_properties,
    setup_a4_page,
    styled_run,
)
from exports.initiatives import WARNING_BORDER, WARNING_FILL, WARNING_TEXT, box, cell_text, placeholder
from exports.labels import format_date, normalize_lang
from exports.measure_data import MeasuresReport
from exports.measure_labels import measure_labels_for
from exports.text import clean_text


def day_of(moment: datetime | date) -> date:
    """The calendar day of a status change; the caller gives local (Europe/Oslo) times."""
    return moment.date() if isinstance(moment, datetime) else moment


def short_date(day: date, lang: str) -> str:
    """Numeric date for narrow table columns: 05.03.2027 (en: 5 Mar 2027, no day/month confusion)."""
    if lang == "en":
        return (
            f"{day.day} {format_date(day, 'en').split()[1][:3]} {day.year}"  # not %b: that follows the locale
        )
    return f"{day:%d.%m.%Y}"


# A row with more text than this may be taller than a page; it must be allowed to break.
SHORT_ROW_CHARS = 600


def keep_short_row_together(row: _Row, values: Sequence[str]) -> None:
    """No page break inside a short row (a date on one page, its text on the next reads badly)."""
    if sum(len(v) for v in values) <= SHORT_ROW_CHARS:
        keep_row_together(row)


class MeasureDocument:
    """One .docx in the house style; subclasses write the body between `__init__` and `save()`."""

    def __init__(self, report: MeasuresReport, lang: str, *, doc_title: str, title_key: str) -> None:
        self.report = report
        self.lang = normalize_lang(lang)
        self.t = measure_labels_for(self.lang)
        self.doc: DocxDocument = Document()
        styles = self.doc.styles
        # Resolved once: name lookups walk the whole styles part every time.
        self.s_title = styles["Title"]
        self.s_h1 = styles["Heading 1"]
        self.s_h2 = styles["Heading 2"]
        self.organisation = self.clean(report.organisation)
        kind = self.t[title_key]
        apply_house_styles(self.doc, self.lang)
        setup_a4_page(self.doc, self.organisation or kind, self.t["page_prefix"], self.t["page_middle"])
        level = report.level if report.level in ("municipal", "school") else "school"
        set_core_properties(
            self.doc,
            title=f"{kind} – {doc_title}" if doc_title and doc_title != kind else kind,
            subject=kind,
            lang=self.lang,
            category=self.t[f"level_{level}"],
        )
        self.doc.core_properties.keywords = kind

    @staticmethod
    def clean(text: str | None) -> str:
        return clean_text(text).strip()

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    # -- blocks ----------------------------------------------------------------------------------------

    def para(self, text: str = "", style: BaseStyle | None = None) -> Paragraph:
        return add_para(self.doc, text, style)

    def heading(self, text: str, *, level: int = 1) -> Paragraph:
        p = self.para(text, self.s_h1 if level == 1 else self.s_h2)
        p.paragraph_format.keep_with_next = True
        return p

    def title_block(self, kicker: str, title: str, facts: Sequence[tuple[str, str]], intro: str) -> None:
        """Kicker (what kind of document, for whom), title, one line of facts, a grey sentence of purpose."""
        top = self.para()
        top.paragraph_format.space_after = Pt(2)
        styled_run(top, kicker, size=12, color=NAVY).bold = True
        self.para(title, self.s_title)
        if facts:
            line = self.para()
            line.paragraph_format.space_after = Pt(6)
            facts_line(line, facts)
        note = self.para()
        note.paragraph_format.space_after = Pt(10)
        styled_run(note, intro, size=10, color=GREY)

    def warnings_box(self, warnings: Sequence[str]) -> None:
        """Rule warnings in the orange box the initiative form uses for its coordinator warning."""
        lines = [w for w in (self.clean(w) for w in warnings) if w]
        if not lines:
            return
        head = self.para()
        styled_run(head, self.t["m_warnings"], size=10, color=WARNING_TEXT).bold = True
        paragraphs = [head]
        for line in lines:
            p = self.para()
            styled_run(p, "• " + line, size=10, color=WARNING_TEXT)
            paragraphs.append(p)
        for p in paragraphs:
            box(p, fill=WARNING_FILL, border=WARNING_BORDER)
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = True
        paragraphs[-1].paragraph_format.keep_with_next = False
        paragraphs[-1].paragraph_format.space_after = Pt(10)

    def placeholder_para(self, text: str) -> None:
        placeholder(self.para(), text)

    def text_table(
        self, header: Sequence[str], widths: Sequence[Length], rows: Sequence[Sequence[str]]
    ) -> Table:
        """A header row and plain-text rows; empty cells get the grey "not filled in" mark."""
        table = add_table(self.doc, len(rows) + 1, widths)
        fill_header(table.rows[0], header)
        for row, values in zip(table.rows[1:], rows, strict=True):
            keep_short_row_together(row, values)
            for cell, value in zip(row.cells, values, strict=True):
                if value:
                    cell_text(cell, value)
                else:
                    placeholder(cell.paragraphs[0], self.t["m_open"])
        return table

    def label_table(self, rows: Sequence[tuple[str, str]], widths: Sequence[Length]) -> Table:
        """Question | answer rows with bold questions, for the evaluation forms."""
        table = add_table(self.doc, len(rows), widths, first_row=False, first_col=True, banded_rows=False)
        for row, (label, value) in zip(table.rows, rows, strict=True):
            label_cell, value_cell = row.cells
            run(label_cell.paragraphs[0], label).bold = True
            if value:
                cell_text(value_cell, value)
            else:
                placeholder(value_cell.paragraphs[0], self.t["m_open"])
        return table

    # -- words -----------------------------------------------------------------------------------------

    def long_date(self, day: date) -> str:
        return format_date(day, self.lang)

    def short_date(self, day: date) -> str:
        return short_date(day, self.lang)
