"""The development measures (utviklingstiltak) drafted after a conference, as a Word form.

The guide asks the steering group for one plan per measure with six fixed points; this
module writes exactly those six labels into a two-column form table per measure. In the
real project the measure template was mistaken for a referral form for an individual
pupil, so the document says on its title page, in plain words, that it is a plan for the
whole school and not a referral; each measure starts on its own page under a heading
with its title; and the conference bullets it came from go into an appendix, so anyone
can trace a measure back to what the groups wrote.

Layout and speed follow `exports.report` (shared helpers in `exports.docx_common`).
Everything the user typed goes through `clean_text()` first.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from exports.data import InitiativeData, InitiativesReport, SourceBulletData
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
    shade_cell,
    styled_run,
)
from exports.labels import format_date, labels_for, normalize_lang
from exports.text import clean_text

# The six points of the plan, in the guide's order: (label key, InitiativeData field).
# main_arena is special-cased because it holds a code, not text.
PLAN_FIELDS: tuple[tuple[str, str], ...] = (
    ("ini_goal", "goal"),
    ("ini_content", "content"),
    ("ini_coordinator", "coordinator"),
    ("ini_arena", "main_arena"),
    ("ini_participants", "participants"),
    ("ini_timeframe", "timeframe"),
)
PYRAMID_LEVELS: tuple[str, ...] = ("preventive", "early", "individual")
QUALITY_CHECKS: tuple[tuple[str, str], ...] = (
    ("ini_check_multi_professional", "multi_professional"),
    ("ini_check_lasting", "lasting"),
    ("ini_check_all_pupils", "all_pupils"),
)

# Ballot boxes. Arial/Liberation Sans lack them, so the runs name a font that has them:
# Segoe UI Symbol is on every Windows PC since 7; LibreOffice, which does not know it,
# falls back to a font with the glyph (DejaVu Sans / OpenSymbol), as the PDF test shows.
BOX_CHECKED = "\u2612"  # ☒
BOX_EMPTY = "\u2610"  # ☐
SYMBOL_FONT = "Segoe UI Symbol"

FIELD_MIN_HEIGHT = Mm(13)
LABEL_FILL = "E8EEF6"  # light navy behind the form's field labels
CHOSEN_FILL = "DCE6F2"
WARNING_FILL = "FFF4E0"
WARNING_BORDER = "C55A11"
NOTE_FILL = "F2F4F7"
NOTE_BORDER = "1F3864"
PLACEHOLDER_GREY = RGBColor(0x80, 0x80, 0x80)
WARNING_TEXT = RGBColor(0x84, 0x3C, 0x0C)

# Elements that follow w:shd in CT_PPr (ECMA-376 §17.3.1.26), for inserting in schema order.
_SHD_SUCCESSORS = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def build_initiatives(report: InitiativesReport, lang: str = "nb") -> bytes:
    """All initiatives of a conference as one .docx: title page, one form per measure, appendix.

    `lang` is "nb" (bokmål, default), "nn" (nynorsk) or "en"; locale variants like "nb_NO" work too.
    """
    return _InitiativesBuilder(report, normalize_lang(lang)).build_all()


def build_initiative(report: InitiativesReport, index: int, lang: str = "nb") -> bytes:
    """One initiative (`report.initiatives[index]`, 0-based) as its own .docx.

    Same form and appendix as in `build_initiatives`, but a short heading block with the
    conference facts instead of a title page, so the file can be mailed to one team.
    """
    count = len(report.initiatives)
    if not 0 <= index < count:
        raise IndexError(f"initiative index {index} out of range; the report has {count}")
    return _InitiativesBuilder(report, normalize_lang(lang)).build_one(index)


class _InitiativesBuilder:
    def __init__(self, report: InitiativesReport, lang: str) -> None:
        self.report = report
        self.lang = lang
        self.t = labels_for(lang)
        self.doc: DocxDocument = Document()
        styles = self.doc.styles
        # Resolved once: name lookups walk the whole styles part every time.
        self.s_title = styles["Title"]
        self.s_h1 = styles["Heading 1"]
        self.s_h2 = styles["Heading 2"]
        self.conference_title = clean_text(report.conference_title).strip()
        self.organisation = clean_text(report.organisation).strip()

    # -- document skeleton -------------------------------------------------------------------------

    def build_all(self) -> bytes:
        self._setup(self.t["ini_doc_title"])
        self._title_page()
        initiatives = self.report.initiatives
        for i in range(len(initiatives)):
            self._initiative(i, new_page=True)
        if initiatives:
            self._appendix(range(len(initiatives)))
        return self._save()

    def build_one(self, index: int) -> bytes:
        self._setup(self._initiative_title(index))
        self._heading_block()
        self._initiative(index, new_page=False)
        self._appendix([index])
        return self._save()

    def _setup(self, doc_title: str) -> None:
        apply_house_styles(self.doc, self.lang)
        setup_a4_page(self.doc, self.conference_title, self.t["page_prefix"], self.t["page_middle"])
        title = f"{doc_title} – {self.conference_title}" if self.conference_title else doc_title
        set_core_properties(
            self.doc,
            title=title,
            subject=self.t["ini_doc_title"],
            lang=self.lang,
            category=self._level_label(),
        )
        self.doc.core_properties.keywords = self.t["ini_doc_title"]

    def _save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    def _para(self, text: str = "", style: BaseStyle | None = None) -> Paragraph:
        return add_para(self.doc, text, style)

    # -- front ---------------------------------------------------------------------------------------

    def _title_page(self) -> None:
        t = self.t
        if self.organisation:
            org = self._para()
            org.paragraph_format.space_before = Pt(48)
            styled_run(org, self.organisation, size=13, color=GREY).bold = True
        title = self._para(t["ini_doc_title"], self.s_title)
        if not self.organisation:
            title.paragraph_format.space_before = Pt(48)
        if self.conference_title:
            sub = self._para()
            sub.paragraph_format.space_after = Pt(24)
            styled_run(sub, self.conference_title, size=14, color=GREY)

        facts = self._facts()
        facts.append((t["ini_count"], str(len(self.report.initiatives))))
        self._facts_table(facts)

        self._scope_note(spacing_before=18)

        heading = self._para()
        heading.paragraph_format.space_before = Pt(18)
        heading.paragraph_format.keep_with_next = True
        styled_run(heading, t["ini_overview"], size=12, color=NAVY).bold = True
        initiatives = self.report.initiatives
        if not initiatives:
            placeholder(self._para(), t["ini_none"])
            return
        table = add_table(self.doc, len(initiatives) + 1, (Mm(14), Mm(116), Mm(30)))
        fill_header(table.rows[0], (t["col_nr"], t["ini_col_initiative"], t["ini_col_status"]))
        for i, row in enumerate(table.rows[1:]):
            nr, title_cell, status = row.cells
            run(nr.paragraphs[0], str(i + 1))
            run(title_cell.paragraphs[0], self._initiative_title(i))
            run(status.paragraphs[0], self._status_label(initiatives[i].status))

    def _heading_block(self) -> None:
        """The single-initiative file's replacement for the title page: what, where, when."""
        t = self.t
        kind = self._para()
        kind.paragraph_format.space_after = Pt(2)
        styled_run(kind, t["ini_doc_title"], size=12, color=NAVY).bold = True
        facts = self._facts()
        line = self._para()
        line.paragraph_format.space_after = Pt(6)
        facts_line(line, facts)
        self._scope_note(spacing_before=4)
        self.doc.paragraphs[-1].paragraph_format.space_after = Pt(14)

    def _facts(self) -> list[tuple[str, str]]:
        t = self.t
        facts: list[tuple[str, str]] = []
        if self.conference_title:
            facts.append((t["ini_conference"], self.conference_title))
        facts.append((t["date"], format_date(self.report.held_on, self.lang)))
        facts.append((t["level"], self._level_label()))
        if self.organisation:
            org_key = "ini_org_municipal" if self.report.level == "municipal" else "ini_org_school"
            facts.append((t[org_key], self.organisation))
        return facts

    def _facts_table(self, facts: Sequence[tuple[str, str]]) -> None:
        table = add_table(self.doc, len(facts), (Mm(45), Mm(115)), first_row=False, first_col=True)
        for row, (key, value) in zip(table.rows, facts, strict=True):
            key_cell, value_cell = row.cells
            run(key_cell.paragraphs[0], key).bold = True
            run(value_cell.paragraphs[0], value)

    def _scope_note(self, *, spacing_before: float) -> None:
        """The boxed "this is a plan for the whole school, not a referral form" note."""
        t = self.t
        scope_key = "ini_scope_municipal" if self.report.level == "municipal" else "ini_scope_school"
        first = self._para()
        first.paragraph_format.space_before = Pt(spacing_before)
        run(first, t[scope_key]).bold = True
        second = self._para()
        run(second, t["ini_how"] + " " + t["ini_privacy"])
        for p in (first, second):
            box(p, fill=NOTE_FILL, border=NOTE_BORDER)
        first.paragraph_format.space_after = Pt(0)
        first.paragraph_format.keep_with_next = True

    # -- one initiative ------------------------------------------------------------------------------

    def _initiative(self, index: int, *, new_page: bool) -> None:
        t = self.t
        ini = self.report.initiatives[index]
        kicker = self._para()
        kicker.paragraph_format.space_after = Pt(0)
        kicker.paragraph_format.keep_with_next = True
        kicker.paragraph_format.page_break_before = new_page
        kicker_text = t["ini_kicker"].format(n=index + 1, total=len(self.report.initiatives))
        styled_run(kicker, kicker_text, size=9, color=GREY)
        heading = self._para(self._initiative_title(index), self.s_h1)
        heading.paragraph_format.space_before = Pt(2)
        self._status_line(ini)

        plan_table(self.doc, self.t, ini)
        if ini.coordinator_is_grade_team_leader:
            warning = self._para()
            box(warning, fill=WARNING_FILL, border=WARNING_BORDER)
            warning.paragraph_format.space_before = Pt(6)
            styled_run(warning, t["ini_warning_label"] + " ", size=10, color=WARNING_TEXT).bold = True
            styled_run(warning, t["ini_warning_grade_team_leader"], size=10, color=WARNING_TEXT)

        pyramid_section(self.doc, self.t, ini, self.s_h2)
        checks_section(self.doc, self.t, ini, self.s_h2)
        if any(clean_text(s.text).strip() for s in ini.sources):
            see = self._para()
            see.paragraph_format.space_before = Pt(10)
            styled_run(see, t["ini_see_appendix"], size=9.5, color=GREY).italic = True

    def _status_line(self, ini: InitiativeData) -> None:
        t = self.t
        parts = [(t["ini_status"], self._status_label(ini.status))]
        if cluster := clean_text(ini.cluster_title).strip():
            parts.append((t["ini_cluster"], f"«{cluster}»" if self.lang != "en" else f"“{cluster}”"))
        if ini.votes is not None:
            parts.append((t["ini_votes"], str(ini.votes)))
        line = self._para()
        line.paragraph_format.space_after = Pt(8)
        facts_line(line, parts)

    # -- appendix ------------------------------------------------------------------------------------

    def _appendix(self, indices: Sequence[int]) -> None:
        t = self.t
        heading = self._para(t["ini_appendix"], self.s_h1)
        heading.paragraph_format.page_break_before = True
        intro = self._para()
        styled_run(intro, t["ini_appendix_intro"], size=10, color=GREY)
        for index in indices:
            title = t["ini_appendix_heading"].format(n=index + 1, title=self._initiative_title(index))
            self._para(title, self.s_h2).paragraph_format.keep_with_next = True
            self._sources(self.report.initiatives[index].sources)

    def _sources(self, sources: Sequence[SourceBulletData]) -> None:
        t = self.t
        rows = [(clean_text(s.round_title).strip(), clean_text(s.text).strip(), s) for s in sources]
        rows = [r for r in rows if r[1]]
        if not rows:
            placeholder(self._para(), t["ini_no_sources"])
            return
        table = add_table(self.doc, len(rows) + 1, (Mm(52), Mm(18), Mm(90)))
        fill_header(table.rows[0], (t["ini_col_round"], t["ini_col_group"], t["ini_col_input"]))
        for row, (round_title, text, source) in zip(table.rows[1:], rows, strict=True):
            keep_row_together(row)
            round_cell, group_cell, text_cell = row.cells
            if round_title:
                run(round_cell.paragraphs[0], round_title)
            if source.group_number:  # 0: a point sent before the conference, from no table
                run(group_cell.paragraphs[0], str(source.group_number))
            p = text_cell.paragraphs[0]
            body = run(p, text)
            if source.is_plenary_point:
                body.bold = True
                run(p, " " + t["plenary_point"]).italic = True

    # -- helpers -------------------------------------------------------------------------------------

    def _initiative_title(self, index: int) -> str:
        title = clean_text(self.report.initiatives[index].title).strip()
        return title or f"{self.t['ini_col_initiative']} {index + 1}"

    def _status_label(self, status: str) -> str:
        if f"ini_status_{status}" in self.t:  # the measure's lifecycle (confapp/services/measures.py)
            return self.t[f"ini_status_{status}"]
        return clean_text(status).strip() or self.t["ini_status_draft"]

    def _level_label(self) -> str:
        level = self.report.level
        if level in ("municipal", "school"):
            return self.t[f"level_{level}"]
        return clean_text(level).strip()


# -- the plan form, shared with the measure dossier (exports/measures.py) ---------------------------


def plan_table(doc: DocxDocument, t: dict[str, str], ini: InitiativeData) -> None:
    """The guide's six points as label | content, one row each, never split over a page."""
    table = add_table(
        doc, len(PLAN_FIELDS), (Mm(58), Mm(102)), first_row=False, first_col=True, banded_rows=False
    )
    for row, (label_key, field_name) in zip(table.rows, PLAN_FIELDS, strict=True):
        keep_row_together(row)
        row.height = FIELD_MIN_HEIGHT  # room to write by hand on a printed copy
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        label_cell, value_cell = row.cells
        shade_cell(label_cell, LABEL_FILL)
        run(label_cell.paragraphs[0], t[label_key]).bold = True
        if field_name == "main_arena":
            value = arena_text(t, ini)
        else:
            value = clean_text(getattr(ini, field_name)).strip()
        if value:
            cell_text(value_cell, value)
        else:
            placeholder(value_cell.paragraphs[0], t["ini_placeholder"])


def arena_text(t: dict[str, str], ini: InitiativeData) -> str:
    if ini.main_arena in ("resource_team", "grade_team"):
        return t[f"ini_arena_{ini.main_arena}"]
    # "other" (or an unknown code): whatever the steering group wrote, or open if nothing
    return clean_text(ini.main_arena_other).strip()


def pyramid_section(doc: DocxDocument, t: dict[str, str], ini: InitiativeData, h2: BaseStyle) -> None:
    """The three levels of the intervention pyramid side by side, the chosen one ticked and shaded."""
    add_para(doc, t["ini_pyramid"], h2).paragraph_format.keep_with_next = True
    table = add_table(doc, 1, (Mm(54), Mm(53), Mm(53)), first_row=False, banded_rows=False)
    keep_row_together(table.rows[0])
    for cell, level in zip(table.rows[0].cells, PYRAMID_LEVELS, strict=True):
        chosen = ini.pyramid_level == level
        p = cell.paragraphs[0]
        mark = run(p, (BOX_CHECKED if chosen else BOX_EMPTY) + " ")
        mark.font.name = SYMBOL_FONT  # ascii and hAnsi; Word may take these boxes as East Asian
        mark._r.rPr.rFonts.set(qn("w:eastAsia"), SYMBOL_FONT)
        mark._r.rPr.rFonts.set(qn("w:cs"), SYMBOL_FONT)
        label = run(p, t[f"ini_pyramid_{level}"])
        if chosen:
            label.bold = True
            shade_cell(cell, CHOSEN_FILL)
        else:
            label.font.color.rgb = GREY
    if ini.pyramid_level not in PYRAMID_LEVELS:
        p = add_para(doc)
        p.paragraph_format.space_before = Pt(4)
        placeholder(p, t["ini_placeholder"])


def checks_section(doc: DocxDocument, t: dict[str, str], ini: InitiativeData, h2: BaseStyle) -> None:
    """The guide's three quality checks; "not assessed" is printed as such, never as a silent "no"."""
    add_para(doc, t["ini_checks"], h2).paragraph_format.keep_with_next = True
    table = add_table(doc, len(QUALITY_CHECKS) + 1, (Mm(130), Mm(30)), banded_rows=False)
    fill_header(table.rows[0], (t["ini_col_criterion"], t["ini_col_met"]))
    for row, (label_key, field_name) in zip(table.rows[1:], QUALITY_CHECKS, strict=True):
        keep_row_together(row)
        label_cell, answer_cell = row.cells
        run(label_cell.paragraphs[0], t[label_key])
        met = getattr(ini, field_name)  # None: nobody has judged it yet, which is not a "no"
        word = t["ini_not_assessed"] if met is None else t["ini_yes"] if met else t["ini_no"]
        answer = run(answer_cell.paragraphs[0], word)
        answer.bold = met is True
        answer.italic = met is None


def placeholder(paragraph: Paragraph, text: str) -> Run:
    """Grey italic text for a field nobody has filled in yet (never an empty cell: that looks like a bug)."""
    r = run(paragraph, text)
    r.italic = True
    r.font.color.rgb = PLACEHOLDER_GREY
    return r


def cell_text(cell: _Cell, text: str) -> None:
    """Write `text` into a table cell: blank lines start new paragraphs, single newlines break lines."""
    chunks = [c.strip("\n") for c in text.split("\n\n")]
    chunks = [c for c in chunks if c.strip()]
    for n, chunk in enumerate(chunks):
        p = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        run(p, chunk)


def box(paragraph: Paragraph, *, fill: str, border: str) -> None:
    """Shade a paragraph and give it a coloured bar on the left: a note the reader cannot miss.

    Consecutive paragraphs with the same settings render as one box in Word and LibreOffice.
    """
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    left.set(qn("w:val"), "single")
    left.set(qn("w:sz"), "24")  # eighths of a point: 3 pt
    left.set(qn("w:space"), "4")  # points between bar and text: the bar lines up with table borders
    left.set(qn("w:color"), border)
    borders.append(left)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    # CT_PPr is a sequence: pBdr and shd go before spacing, ind, jc and the rest.
    p_pr.insert_element_before(borders, "w:shd", *_SHD_SUCCESSORS)
    p_pr.insert_element_before(shd, *_SHD_SUCCESSORS)
    # Tables stick out of the text column by their cell margin (about 5.4 pt) on the left and
    # stop that much short on the right; pull the shading in so the box ends where they do.
    paragraph.paragraph_format.right_indent = Pt(5.4)
