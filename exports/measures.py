"""The two Word documents the steering group files about its development measures.

The *dossier* (tiltaksmappe) is everything about one measure in one file: the plan with
the guide's six points (printed exactly as on the initiative form), the decisions with
who made them and why, a timeline, the trial team's log, the evaluations with the
guide's three questions, and the conference points the measure builds on, with the
conference and the table they came from. It is what a new coordinator or the school
owner reads to know where a measure stands and how it got there.

The *status report* (statusrapport) is the steering group's overview at a meeting: how
many measures are in each status, then every measure under its status with its
coordinator, the last log entry, the next milestone and any rule warning.

Layout follows `exports.initiatives`; the shared frame is `exports.measure_docx`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.shared import Mm, Pt
from docx.table import _Cell

from exports.docx_common import GREY, add_table, fill_header, run, styled_run
from exports.initiatives import (
    WARNING_TEXT,
    cell_text,
    checks_section,
    placeholder,
    plan_table,
    pyramid_section,
)
from exports.measure_data import MEASURE_STATUSES, MeasureData, MeasuresReport, MilestoneData
from exports.measure_docx import MeasureDocument, day_of, keep_short_row_together
from exports.measure_labels import status_label

LAST_LOG_CHARS = 280  # the report shows the start of the last entry; the dossier has all of it


def build_dossier(report: MeasuresReport, index: int, lang: str = "nb") -> bytes:
    """The dossier of `report.measures[index]` (0-based) as .docx; `lang` is "nb", "nn" or "en"."""
    count = len(report.measures)
    if not 0 <= index < count:
        raise IndexError(f"measure index {index} out of range; the report has {count}")
    return _Dossier(report, report.measures[index], lang).build()


def build_status_report(report: MeasuresReport, lang: str = "nb") -> bytes:
    """The steering group's status report over all measures of `report` as .docx."""
    return _StatusReport(report, lang).build()


def next_milestone(measure: MeasureData) -> MilestoneData | None:
    """The earliest milestone not yet reached, overdue or not: that is what the group must act on."""
    open_ones = [m for m in measure.milestones if not m.done]
    return min(open_ones, key=lambda m: m.due) if open_ones else None


def measure_title(measure: MeasureData, t: dict[str, str]) -> str:
    return MeasureDocument.clean(measure.title) or f"{t['m_col_measure']} {measure.id}"


# -- dossier ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TimelineRow:
    day: date
    order: int  # same day: status change, milestone, log, evaluation, input
    kind: str
    text: str


class _Dossier(MeasureDocument):
    def __init__(self, report: MeasuresReport, measure: MeasureData, lang: str) -> None:
        self.measure = measure
        title = MeasureDocument.clean(measure.title) or str(measure.id)
        super().__init__(report, lang, doc_title=title, title_key="m_dossier_title")
        self.title = measure_title(measure, self.t)

    def build(self) -> bytes:
        t, m = self.t, self.measure
        kicker = t["m_dossier_title"] + (f" – {self.organisation}" if self.organisation else "")
        facts = [(t["m_status"], status_label(t, m.status, capital=True))]
        if coordinator := self.clean(m.coordinator):
            facts.append((t["m_coordinator"], coordinator))
        facts.append((t["date"], self.long_date(self.report.as_of)))
        self.title_block(kicker, self.title, facts, t["m_dossier_intro"])
        self.warnings_box(m.warnings)

        self.heading(t["m_plan"])
        plan = m.as_plan()
        plan_table(self.doc, t, plan)
        pyramid_section(self.doc, t, plan, self.s_h2)
        checks_section(self.doc, t, plan, self.s_h2)

        self._decisions()
        self._timeline()
        self._log()
        self._evaluations()
        self._sources()
        return self.save()

    def _decisions(self) -> None:
        t = self.t
        self.heading(t["m_decisions"])
        # By day; the sort is stable, so changes on one day keep the order the caller gave them.
        history = sorted(self.measure.history, key=lambda h: day_of(h.at))
        if not history:
            self.placeholder_para(t["m_none_history"])
            return
        table = add_table(self.doc, len(history) + 1, (Mm(24), Mm(42), Mm(32), Mm(62)))
        fill_header(table.rows[0], (t["m_col_date"], t["m_col_change"], t["m_col_by"], t["m_col_reason"]))
        for row, change in zip(table.rows[1:], history, strict=True):
            keep_short_row_together(row, (change.reason, change.decision_note))
            date_cell, change_cell, by_cell, reason_cell = row.cells
            run(date_cell.paragraphs[0], self.short_date(day_of(change.at)))
            run(change_cell.paragraphs[0], self._change(change.from_status, change.to_status))
            if by := self.clean(change.by):
                run(by_cell.paragraphs[0], by)
            reason, note = self.clean(change.reason), self.clean(change.decision_note)
            if reason:
                cell_text(reason_cell, reason)
            if note:
                p = reason_cell.add_paragraph() if reason else reason_cell.paragraphs[0]
                run(p, t["m_decision_note"] + " ").bold = True
                run(p, note)
            if not reason and not note:
                placeholder(reason_cell.paragraphs[0], t["m_open"])

    def _change(self, from_status: str, to_status: str) -> str:
        """ "Fra utkast til konkretisert", or "Opprettet som utkast" for the first entry."""
        t = self.t
        to = status_label(t, to_status)
        text = (
            t["m_change"].format(from_=status_label(t, from_status), to=to)
            if from_status
            else t["m_created"].format(to=to)
        )
        return text[:1].upper() + text[1:]

    def _timeline(self) -> None:
        """Everything dated, in order: the measure's story on one page."""
        t, m, as_of = self.t, self.measure, self.report.as_of
        rows: list[_TimelineRow] = []
        for h in m.history:
            rows.append(
                _TimelineRow(day_of(h.at), 0, t["m_kind_status"], self._change(h.from_status, h.to_status))
            )
        for ms in m.milestones:
            state = "done" if ms.done else "overdue" if ms.due < as_of else "planned"
            text = f"{self.clean(ms.title)} ({t[f'm_milestone_{state}']})"
            rows.append(_TimelineRow(ms.due, 1, t["m_kind_milestone"], text))
        for entry in m.log:
            rows.append(_TimelineRow(entry.on, 2, t["m_kind_log"], self.clean(entry.what)))
        for ev in m.evaluations:
            rows.append(
                _TimelineRow(ev.on, 3, t["m_kind_evaluation"], self._evaluation_summary(ev.conference_title))
            )
        for src in m.sources:
            if src.held_on is not None and (text := self.clean(src.text)):
                rows.append(_TimelineRow(src.held_on, 4, t["m_kind_source"], text))
        self.heading(t["m_timeline"])
        if not rows:
            self.placeholder_para(t["m_none_timeline"])
            return
        rows.sort(key=lambda r: (r.day, r.order))
        self.text_table(
            (t["m_col_date"], t["m_col_kind"], t["m_col_description"]),
            (Mm(24), Mm(28), Mm(108)),
            [(self.short_date(r.day), r.kind, r.text) for r in rows],
        )

    def _evaluation_summary(self, conference_title: str) -> str:
        conference = self.clean(conference_title)
        return f"{self.t['m_kind_evaluation']}: {conference}" if conference else self.t["m_kind_evaluation"]

    def _log(self) -> None:
        t = self.t
        self.heading(t["m_log"])
        entries = sorted(self.measure.log, key=lambda e: e.on)
        if not entries:
            self.placeholder_para(t["m_none_log"])
            return
        self.text_table(
            (t["m_col_date"], t["m_log_what"], t["m_log_who"], t["m_log_learned"]),
            (Mm(24), Mm(52), Mm(32), Mm(52)),
            [
                (self.short_date(e.on), self.clean(e.what), self.clean(e.who), self.clean(e.learned))
                for e in entries
            ],
        )

    def _evaluations(self) -> None:
        t = self.t
        self.heading(t["m_evaluations"])
        evaluations = sorted(self.measure.evaluations, key=lambda e: e.on)
        if not evaluations:
            self.placeholder_para(t["m_none_evaluations"])
            return
        for ev in evaluations:
            self.heading(t["m_eval_heading"].format(date=self.long_date(ev.on)), level=2)
            rows = [
                (t["m_eval_works"], self.clean(ev.works)),
                (t["m_eval_adjust"], self.clean(ev.adjust)),
                (t["m_eval_daily"], self.clean(ev.daily_operation)),
                (t["m_eval_participants"], self.clean(ev.participants)),
            ]
            if conference := self.clean(ev.conference_title):
                rows.append((t["m_eval_conference"], conference))
            self.label_table(rows, (Mm(58), Mm(102)))

    def _sources(self) -> None:
        t = self.t
        self.heading(t["m_sources"])
        sources = [s for s in self.measure.sources if self.clean(s.text)]
        if not sources:
            self.placeholder_para(t["m_none_sources"])
            return
        self.text_table(
            (t["m_col_conference"], t["m_col_date"], t["m_col_table"], t["m_col_point"]),
            (Mm(46), Mm(24), Mm(14), Mm(76)),
            [
                (
                    self.clean(s.conference_title),
                    self.short_date(s.held_on) if s.held_on else "",
                    str(s.table_number) if s.table_number is not None else "",
                    self.clean(s.text),
                )
                for s in sources
            ],
        )


# -- status report ---------------------------------------------------------------------------------------


class _StatusReport(MeasureDocument):
    def __init__(self, report: MeasuresReport, lang: str) -> None:
        super().__init__(
            report, lang, doc_title=MeasureDocument.clean(report.organisation), title_key="m_report_title"
        )

    def build(self) -> bytes:
        t = self.t
        facts = [
            (t["date"], self.long_date(self.report.as_of)),
            (t["m_col_measure"], str(len(self.report.measures))),
        ]
        self.title_block(
            self.organisation or t["m_report_title"], t["m_report_title"], facts, t["m_report_intro"]
        )
        groups = self._by_status()
        self._summary(groups)
        if not self.report.measures:
            self.placeholder_para(t["m_none_measures"])
        for status, measures in groups:
            if measures:
                self._status_section(status, measures)
        return self.save()

    def _by_status(self) -> list[tuple[str, list[MeasureData]]]:
        """Every lifecycle status in order (empty ones too, for the counts), then any unknown status."""
        measures = self.report.measures
        statuses = list(MEASURE_STATUSES)
        statuses += sorted({m.status for m in measures} - set(statuses))
        return [(s, [m for m in measures if m.status == s]) for s in statuses]

    def _summary(self, groups: Sequence[tuple[str, list[MeasureData]]]) -> None:
        t = self.t
        self.heading(t["m_summary"])
        table = add_table(self.doc, len(groups) + 2, (Mm(70), Mm(25)))
        fill_header(table.rows[0], (t["m_status"], t["m_col_count"]))
        for row, (status, measures) in zip(table.rows[1:], groups, strict=False):
            label_cell, count_cell = row.cells
            run(label_cell.paragraphs[0], status_label(t, status, capital=True))
            count = run(count_cell.paragraphs[0], str(len(measures)))
            if not measures:
                count.font.color.rgb = GREY
        total_label, total_count = table.rows[-1].cells
        run(total_label.paragraphs[0], t["m_total"]).bold = True
        run(total_count.paragraphs[0], str(len(self.report.measures))).bold = True

    def _status_section(self, status: str, measures: Sequence[MeasureData]) -> None:
        t, as_of = self.t, self.report.as_of
        label = status_label(t, status, capital=True)
        self.heading(t["m_status_heading"].format(status=label, n=len(measures)))
        table = add_table(self.doc, len(measures) + 1, (Mm(46), Mm(28), Mm(46), Mm(40)))
        fill_header(
            table.rows[0],
            (t["m_col_measure"], t["m_coordinator"], t["m_col_last_log"], t["m_col_next_milestone"]),
        )
        for row, m in zip(table.rows[1:], measures, strict=True):
            keep_short_row_together(row, (m.title, *m.warnings))
            title_cell, coordinator_cell, log_cell, milestone_cell = row.cells
            run(title_cell.paragraphs[0], measure_title(m, t)).bold = True
            for warning in (self.clean(w) for w in m.warnings):
                if warning:
                    p = title_cell.add_paragraph()
                    p.paragraph_format.space_before = Pt(2)
                    styled_run(p, f"{t['ini_warning_label']} {warning}", size=9, color=WARNING_TEXT)
            if coordinator := self.clean(m.coordinator):
                run(coordinator_cell.paragraphs[0], coordinator)
            else:
                placeholder(coordinator_cell.paragraphs[0], t["m_open"])
            self._last_log(log_cell, m)
            milestone = next_milestone(m)
            if milestone is None:
                placeholder(milestone_cell.paragraphs[0], t["m_no_milestone"])
                continue
            when = self.short_date(milestone.due)
            if milestone.due < as_of:
                when += f" ({t['m_milestone_overdue']})"
            date_run = run(milestone_cell.paragraphs[0], when)
            date_run.bold = True
            if milestone.due < as_of:
                date_run.font.color.rgb = WARNING_TEXT
            run(milestone_cell.add_paragraph(), self.clean(milestone.title))

    def _last_log(self, cell: _Cell, measure: MeasureData) -> None:
        if not measure.log:
            placeholder(cell.paragraphs[0], self.t["m_no_log"])
            return
        last = max(measure.log, key=lambda e: e.on)
        run(cell.paragraphs[0], self.short_date(last.on)).bold = True
        text = self.clean(last.what)
        if len(text) > LAST_LOG_CHARS:
            text = text[: LAST_LOG_CHARS - 1].rstrip() + "…"
        if text:
            run(cell.add_paragraph(), text)
