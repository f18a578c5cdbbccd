"""The conference report as a Word file.

A school owner files this document in the municipality's archive and mails it to
the steering group, so it has to look like a normal Word document: real heading
styles (the navigation pane and a table of contents work), real tables, real
bullet lists, A4, page numbers. Everything the user typed goes through
`clean_text()` first, so a stray control character cannot break the export.

Speed matters because the export runs inside a live server: python-docx scans the
whole styles part on every `style=` assignment and copies text into runs one
character at a time, so the builder resolves styles once, sets them by id, and
writes plain text straight into `w:t` (see `_para` and `_run`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports.data import AgendaItemData, ConferenceReport, GroupData, MemberData, NoteData, RoundData
from exports.docx_common import FONT, GREY, NAVY, TABLE_STYLE
from exports.docx_common import FONT_ATTRS as _FONT_ATTRS
from exports.docx_common import THEME_FONT_ATTRS as _THEME_FONT_ATTRS
from exports.docx_common import add_field as _add_field
from exports.docx_common import fill_header as _fill_header
from exports.docx_common import run as _run
from exports.docx_common import styled_run as _styled_run
from exports.labels import LANGUAGE_TAGS, format_date, labels_for, normalize_lang
from exports.text import clean_text


def build_report(report: ConferenceReport, lang: str = "nb") -> bytes:
    """Return the .docx bytes of the conference report in bokmål ("nb"), nynorsk ("nn") or English."""
    return _ReportBuilder(report, normalize_lang(lang)).build()


class _ReportBuilder:
    def __init__(self, report: ConferenceReport, lang: str) -> None:
        self.report = report
        self.lang = lang
        self.t = labels_for(lang)
        self.doc: DocxDocument = Document()
        styles = self.doc.styles
        # Resolved once: name lookups walk the whole styles part every time.
        self.s_title = styles["Title"]
        self.s_h1 = styles["Heading 1"]
        self.s_h2 = styles["Heading 2"]
        self.s_h3 = styles["Heading 3"]
        self.s_bullet = styles["List Bullet"]
        self.s_table = styles[TABLE_STYLE]
        self.title = clean_text(report.title).strip()

    def _para(self, text: str = "", style: BaseStyle | None = None) -> Paragraph:
        """Add a body paragraph; the style goes in by id.

        `paragraph.style = obj` costs a scan of all ~160 styles per call (python-docx checks
        whether it is the default style), which alone took over a second for a big report.
        """
        p = self.doc.add_paragraph()
        if text:
            _run(p, text)
        if style is not None:
            p._p.style = style.style_id
        return p

    # -- document skeleton -------------------------------------------------------------------------

    def build(self) -> bytes:
        self._setup_styles()
        self._setup_page()
        self._set_properties()
        self._front_matter()
        self._purpose()
        self._agenda()
        self._rounds()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    def _setup_styles(self) -> None:
        """One font everywhere, Norwegian proofing language, sober heading colours."""
        styles_el = self.doc.styles.element
        # The template's styles point at theme fonts (Calibri/Cambria), which Word prefers over
        # explicit names; drop those pointers so that Arial wins everywhere.
        for rfonts in styles_el.iter(qn("w:rFonts")):
            for attr in _THEME_FONT_ATTRS:
                rfonts.attrib.pop(attr, None)
            for attr in _FONT_ATTRS:
                rfonts.set(attr, FONT)
        defaults = styles_el.find(qn("w:docDefaults"))
        if defaults is not None:
            for lang_el in defaults.iter(qn("w:lang")):
                lang_el.set(qn("w:val"), LANGUAGE_TAGS[self.lang])
            for spacing in defaults.iter(qn("w:spacing")):  # template: 10 pt after, 1.15 lines
                spacing.set(qn("w:after"), "120")
                spacing.set(qn("w:line"), "264")

        # A little air above and below cell text; the template's table style has none.
        cell_margins = self.s_table.element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        if cell_margins is not None:
            for side in ("top", "bottom"):
                margin = cell_margins.find(qn(f"w:{side}"))
                if margin is not None:
                    margin.set(qn("w:w"), "29")  # twips: about 0.5 mm

        title_font = self.s_title.font
        title_font.size = Pt(22)
        title_font.color.rgb = NAVY
        for style, size, before in ((self.s_h1, 16, 18), (self.s_h2, 13, 14), (self.s_h3, 11.5, 10)):
            style.font.size = Pt(size)
            style.font.color.rgb = NAVY
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(4)

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)
        section.header_distance = section.footer_distance = Mm(12)

        header_p = section.header.paragraphs[0]
        header_p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _styled_run(header_p, self.title, size=8.5, color=GREY)

        footer_p = section.footer.paragraphs[0]
        footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _styled_run(footer_p, self.t["page_prefix"], size=8.5, color=GREY)
        _add_field(footer_p, "PAGE", size=8.5, color=GREY)
        _styled_run(footer_p, self.t["page_middle"], size=8.5, color=GREY)
        _add_field(footer_p, "NUMPAGES", size=8.5, color=GREY)

    def _set_properties(self) -> None:
        props = self.doc.core_properties
        props.title = self.title
        props.subject = self.t["doc_kind"]
        props.language = LANGUAGE_TAGS[self.lang]
        props.author = ", ".join(f for f in (clean_text(x).strip() for x in self.report.facilitators) if f)
        props.last_modified_by = ""
        props.comments = ""
        props.keywords = ""
        props.category = self._level_label()
        props.revision = 1
        now = datetime.now(UTC).replace(tzinfo=None)
        props.created = now
        props.modified = now
        # The template ships a thumbnail of an empty page that file browsers would show.
        package = self.doc.part.package
        for r_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[r_id]

    # -- sections ----------------------------------------------------------------------------------

    def _front_matter(self) -> None:
        r, t = self.report, self.t
        self._para(self.title, self.s_title)
        sub = self._para()
        _styled_run(sub, f"{t['doc_kind']} – {self._level_label()}", size=13, color=GREY)

        facts: list[tuple[str, str]] = [
            (t["date"], format_date(r.held_on, self.lang)),
            (t["level"], self._level_label()),
        ]
        if label := clean_text(r.template_label).strip():
            facts.append((t["template"], label))
        facilitators = [f for f in (clean_text(x).strip() for x in r.facilitators) if f]
        if facilitators:
            facts.append((t["facilitators"], ", ".join(facilitators)))
        facts.append((t["participants"], str(r.participant_count)))

        table = self._table(len(facts), (Mm(50), Mm(110)), first_row=False, first_col=True)
        for row, (key, value) in zip(table.rows, facts, strict=True):
            key_cell, value_cell = row.cells
            _run(key_cell.paragraphs[0], key).bold = True
            _run(value_cell.paragraphs[0], value)

    def _purpose(self) -> None:
        purpose = clean_text(self.report.purpose).strip()
        if not purpose:
            return
        self._para(self.t["purpose"], self.s_h1)
        for chunk in purpose.split("\n\n"):
            self._para(chunk.strip("\n"))

    def _agenda(self) -> None:
        items: Sequence[AgendaItemData | RoundData] = self.report.agenda or self.report.rounds
        if not items:
            return
        t = self.t
        self._para(t["agenda"], self.s_h1)
        widths = (Mm(11), Mm(31), Mm(50), Mm(54), Mm(14))
        table = self._table(len(items) + 1, widths)
        rows = table.rows
        _fill_header(
            rows[0], (t["col_nr"], t["col_kind"], t["col_title"], t["col_question"], t["col_minutes"])
        )
        for row, item in zip(rows[1:], items, strict=True):
            values = (
                str(item.position),
                t["kind_group"] if item.kind == "group" else t["kind_plenary"],
                clean_text(item.title).strip(),
                clean_text(item.question).strip(),
                "" if item.minutes is None else str(item.minutes),
            )
            for cell, value in zip(row.cells, values, strict=True):
                if value:
                    _run(cell.paragraphs[0], value)

    def _rounds(self) -> None:
        t = self.t
        self._para(t["proceedings"], self.s_h1)
        if not self.report.rounds:
            self._para(t["no_rounds"])
            return
        group_round_no = 0
        for rnd in self.report.rounds:
            title = clean_text(rnd.title).strip()
            if rnd.kind == "group":
                group_round_no += 1
                self._para(t["round_heading"].format(n=group_round_no, title=title), self.s_h2)
                self._question(rnd.question)
                if not rnd.groups:
                    self._para(t["no_groups"])
                for group in rnd.groups:
                    self._group(group)
            else:
                self._para(self._plenary_heading(title), self.s_h2)
                self._question(rnd.question)
                self._notes(rnd.notes)

    def _plenary_heading(self, title: str) -> str:
        """'Plenum: Oppsummering', but a title saying 'Plenum …' stands alone (no 'Plenum: Plenum 1')."""
        kind = self.t["kind_plenary"]
        if not title:
            return kind
        if title.casefold().startswith(kind.casefold()):
            return title
        return self.t["plenary_heading"].format(title=title)

    def _question(self, question: str) -> None:
        text = clean_text(question).strip()
        if not text:
            return
        p = self._para()
        _run(p, self.t["question"] + " ").bold = True
        _run(p, text).italic = True

    def _group(self, group: GroupData) -> None:
        t = self.t
        self._para(t["group"].format(n=group.number), self.s_h3)
        if group.members:
            self._members_table(group.members)
        else:
            self._para(t["no_members"])

        label = self._para()
        label.paragraph_format.space_before = Pt(8)
        label.paragraph_format.keep_with_next = True
        _run(label, t["bullets"]).bold = True
        bullets = [(clean_text(b.text).strip(), b.is_plenary_point) for b in group.bullets]
        bullets = [(text, plenary) for text, plenary in bullets if text]
        if not bullets:
            self._para(t["no_bullets"]).runs[0].italic = True
            return
        for text, plenary in bullets:
            p = self._para(style=self.s_bullet)
            run = _run(p, text)
            if plenary:
                run.bold = True
                _run(p, " " + t["plenary_point"]).italic = True

    def _members_table(self, members: Sequence[MemberData]) -> None:
        t = self.t
        table = self._table(len(members) + 1, (Mm(70), Mm(45), Mm(45)))
        rows = table.rows
        _fill_header(rows[0], (t["col_name"], t["col_role"], t["col_unit"]))
        for row, m in zip(rows[1:], members, strict=True):
            name_cell, role_cell, unit_cell = row.cells
            name_p = name_cell.paragraphs[0]
            _run(name_p, clean_text(m.name).strip())
            duties = [t["leader"]] if m.is_leader else []
            if m.is_reporter:
                duties.append(t["reporter"])
            if duties:
                _run(name_p, f" ({', '.join(duties)})").italic = True
            if role := clean_text(m.role).strip():
                _run(role_cell.paragraphs[0], role)
            if unit := clean_text(m.unit).strip():
                _run(unit_cell.paragraphs[0], unit)

    def _notes(self, notes: Sequence[NoteData]) -> None:
        t = self.t
        written = [(clean_text(n.text).strip(), n) for n in notes]
        written = [(text, n) for text, n in written if text]
        if not written:
            self._para(t["no_notes"]).runs[0].italic = True
            return
        for text, note in written:
            p = self._para()
            if note.group_number is not None:
                _run(p, t["note_group"].format(n=note.group_number) + " ").bold = True
            _run(p, text)
            if author := clean_text(note.author).strip():
                _run(p, f" – {author}").italic = True

    # -- helpers -----------------------------------------------------------------------------------

    def _level_label(self) -> str:
        level = self.report.level
        if level in ("municipal", "school"):
            return self.t[f"level_{level}"]
        return clean_text(level).strip()

    def _table(
        self, rows: int, widths: Sequence[int], *, first_row: bool = True, first_col: bool = False
    ) -> Table:
        """An empty table with fixed column widths, the house style, and a repeating header row."""
        table = self.doc.add_table(rows=rows, cols=len(widths))
        tbl = table._tbl
        tbl.tblPr.style = self.s_table.style_id  # by id, for the same reason as in _para()
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        look = tbl.tblPr.find(qn("w:tblLook"))
        if look is not None:
            # Bold/shaded header row only where there is one; no bold first column in lists of names.
            look.set(qn("w:firstRow"), "1" if first_row else "0")
            look.set(qn("w:firstColumn"), "1" if first_col else "0")
            look.set(qn("w:val"), f"{(0x20 if first_row else 0) | (0x80 if first_col else 0) | 0x400:04X}")
        for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
            grid_col.w = width
        # Word takes widths from the cells, LibreOffice from the grid: set both.
        for tr in tbl.tr_lst:
            for tc, width in zip(tr.tc_lst, widths, strict=True):
                tc.width = width
        if first_row:
            tbl.tr_lst[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        return table
