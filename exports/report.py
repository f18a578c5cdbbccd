"""The conference report as a Word file.

A school owner files this document in the municipality's archive and mails it to
the steering group, so it has to look like a normal Word document: real heading
styles (the navigation pane and a table of contents work), real tables, real
bullet lists, A4, page numbers. Everything the user typed goes through
`clean_text()` first, so a stray control character cannot break the export.

Speed matters because the export runs inside a live server: python-docx scans the
whole styles part on every `style=` assignment and copies text into runs one
character at a time, so the builder resolves styles once, sets them by id, and
writes plain text straight into `w:t` (see `exports.docx_common.add_para` and `run`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports.data import (
    AgendaItemData,
    ConferenceReport,
    EvaluatedMeasureData,
    GroupData,
    MemberData,
    NoteData,
    RoundData,
)
from exports.docx_common import (
    GREY,
    TABLE_STYLE,
    add_para,
    add_table,
    apply_house_styles,
    fill_header,
    run,
    set_core_properties,
    setup_a4_page,
    styled_run,
)
from exports.labels import format_date, labels_for, normalize_lang
from exports.measure_labels import measure_labels_for, status_label
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
        return add_para(self.doc, text, style)

    # -- document skeleton -------------------------------------------------------------------------

    def build(self) -> bytes:
        apply_house_styles(self.doc, self.lang)
        setup_a4_page(self.doc, self.title, self.t["page_prefix"], self.t["page_middle"])
        set_core_properties(
            self.doc,
            title=self.title,
            subject=self.t["doc_kind"],
            lang=self.lang,
            author=", ".join(f for f in (clean_text(x).strip() for x in self.report.facilitators) if f),
            category=self._level_label(),
        )
        self._front_matter()
        self._purpose()
        self._agenda()
        self._rounds()
        self._evaluations()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    # -- sections ----------------------------------------------------------------------------------

    def _front_matter(self) -> None:
        r, t = self.report, self.t
        self._para(self.title, self.s_title)
        sub = self._para()
        styled_run(sub, f"{t['doc_kind']} – {self._level_label()}", size=13, color=GREY)

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
            run(key_cell.paragraphs[0], key).bold = True
            run(value_cell.paragraphs[0], value)

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
        fill_header(
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
                    run(cell.paragraphs[0], value)

    def _evaluations(self) -> None:
        """One section per measure the evaluation round's tables evaluated (DK2/DK3)."""
        if not self.report.evaluations:
            return
        t, mt = self.t, measure_labels_for(self.lang)
        self._para(t["evaluations"], self.s_h1)
        self._para(t["evaluation_questions"])
        for item in self.report.evaluations:
            self._evaluation(item, t, mt)

    def _evaluation(self, item: EvaluatedMeasureData, t: dict[str, str], mt: dict[str, str]) -> None:
        self._para(clean_text(item.title).strip(), self.s_h2)
        facts = [
            (t["evaluation_status"], status_label(mt, item.status, capital=True)),
            (t["evaluation_tables"], ", ".join(str(n) for n in item.tables)),
        ]
        if goal := clean_text(item.goal).strip():
            facts.append((t["evaluation_goal"], goal))
        table = self._table(len(facts), (Mm(50), Mm(110)), first_row=False, first_col=True)
        for row, (key, value) in zip(table.rows, facts, strict=True):
            run(row.cells[0].paragraphs[0], key).bold = True
            run(row.cells[1].paragraphs[0], value)
        self._para(t["evaluation_points"], self.s_h3)
        texts = [x for x in (clean_text(b.text).strip() for b in item.bullets) if x]
        if not texts:
            self._para(t["no_bullets"])
        for text in texts:
            self._para(text, self.s_bullet)

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
        run(p, self.t["question"] + " ").bold = True
        run(p, text).italic = True

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
        run(label, t["bullets"]).bold = True
        bullets = [(clean_text(b.text).strip(), b.is_plenary_point) for b in group.bullets]
        bullets = [(text, plenary) for text, plenary in bullets if text]
        if not bullets:
            self._para(t["no_bullets"]).runs[0].italic = True
            return
        for text, plenary in bullets:
            p = self._para(style=self.s_bullet)
            r = run(p, text)
            if plenary:
                r.bold = True
                run(p, " " + t["plenary_point"]).italic = True

    def _members_table(self, members: Sequence[MemberData]) -> None:
        t = self.t
        table = self._table(len(members) + 1, (Mm(70), Mm(45), Mm(45)))
        rows = table.rows
        fill_header(rows[0], (t["col_name"], t["col_role"], t["col_unit"]))
        for row, m in zip(rows[1:], members, strict=True):
            name_cell, role_cell, unit_cell = row.cells
            name_p = name_cell.paragraphs[0]
            run(name_p, clean_text(m.name).strip())
            duties = [t["leader"]] if m.is_leader else []
            if m.is_reporter:
                duties.append(t["reporter"])
            if duties:
                run(name_p, f" ({', '.join(duties)})").italic = True
            if role := clean_text(m.role).strip():
                run(role_cell.paragraphs[0], role)
            if unit := clean_text(m.unit).strip():
                run(unit_cell.paragraphs[0], unit)

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
                run(p, t["note_group"].format(n=note.group_number) + " ").bold = True
            run(p, text)
            if author := clean_text(note.author).strip():
                run(p, f" – {author}").italic = True

    # -- helpers -----------------------------------------------------------------------------------

    def _level_label(self) -> str:
        level = self.report.level
        if level in ("municipal", "school"):
            return self.t[f"level_{level}"]
        return clean_text(level).strip()

    def _table(
        self, rows: int, widths: Sequence[int], *, first_row: bool = True, first_col: bool = False
    ) -> Table:
        return add_table(self.doc, rows, widths, first_row=first_row, first_col=first_col, style=self.s_table)
