"""The school owner's overview as Word, for the municipal council's case papers.

Counts per school (the evaluation's table: plans with a coordinator, with a forum), the measures by
pyramid level and status (the page's chart as a table), then per school the year's conference plan and
its measures with the guide's rule warnings. Same house frame as the measure documents.
"""

from __future__ import annotations

from docx.shared import Mm

from exports.measure_data import MeasuresReport
from exports.measure_docx import MeasureDocument
from exports.measure_labels import status_label
from exports.overview_data import OverviewReport, SchoolData
from exports.overview_labels import overview_labels_for

PYRAMID = ("preventive", "early", "individual", "")


def build_overview(report: OverviewReport, lang: str = "nb") -> bytes:
    """The school owner's overview of `report` as .docx."""
    return _Overview(report, lang).build()


class _Overview(MeasureDocument):
    def __init__(self, report: OverviewReport, lang: str) -> None:
        frame = MeasuresReport(organisation=report.organisation, as_of=report.as_of, level="municipal")
        self.overview = report
        super().__init__(frame, lang, doc_title=report.organisation, title_key="m_report_title")
        self.t = overview_labels_for(self.lang)

    def build(self) -> bytes:
        t, r = self.t, self.overview
        facts = [(t["date"], self.long_date(r.as_of))]
        self.title_block(self.organisation, t["o_title"], facts, t["o_intro"])
        self.heading(t["o_counts"])
        self.text_table(
            [t["o_col_school"], t["o_col_measures"], t["o_col_with_coordinator"], t["o_col_with_forum"],
             t["o_col_flagged"]],
            [Mm(52), Mm(22), Mm(28), Mm(32), Mm(26)],
            [[self.clean(s.name), str(len(s.measures)), str(s.with_coordinator), str(s.with_forum),
              str(sum(1 for m in s.measures if m.flags))] for s in r.schools],
        )  # fmt: skip
        self.chart_table()
        for school in r.schools:
            self.school(school)
        return self.save()

    def pyramid_label(self, level: str) -> str:
        """The pyramid level's words; an unknown key shown as it is rather than hidden."""
        return self.t.get(f"ini_pyramid_{level}", self.clean(level)) if level else self.t["o_not_placed"]

    def chart_table(self) -> None:
        """Statuses down (those in use), pyramid levels across: the page's chart as numbers."""
        t, r = self.t, self.overview
        self.heading(t["o_chart"])
        shown = [s for s in r.statuses if any(r.chart.get(lv, {}).get(s, 0) for lv in PYRAMID)]
        rows = [
            [status_label(t, s, capital=True), *(str(r.chart.get(lv, {}).get(s, 0)) for lv in PYRAMID),
             str(sum(r.chart.get(lv, {}).get(s, 0) for lv in PYRAMID))]
            for s in shown
        ]  # fmt: skip
        self.text_table(
            [t["m_status"], *(self.pyramid_label(lv) for lv in PYRAMID), t["o_total"]],
            [Mm(32), Mm(31), Mm(24), Mm(28), Mm(26), Mm(19)],
            rows,
        )

    def school(self, school: SchoolData) -> None:
        t = self.t
        self.heading(self.clean(school.name))
        if school.plan:
            self.heading(t["o_plan"].format(year=self.overview.year), level=2)
            self.text_table(
                [t["o_col_conference"], t["o_col_state"], t["o_col_date"]],
                [Mm(70), Mm(40), Mm(50)],
                [[t[f"plan_{p.template}"] + (f": {self.clean(p.title)}" if p.title else ""),
                  t[f"state_{p.state}"].capitalize(), self.short_date(p.held_on) if p.held_on else "–"]
                 for p in school.plan],
            )  # fmt: skip
        self.heading(t["o_measures"], level=2)
        if not school.measures:
            self.placeholder_para(t["o_none"])
            return
        order = {s: n for n, s in enumerate(self.overview.statuses)}
        ranked = sorted(school.measures, key=lambda m: order.get(m.status, len(order)))
        self.text_table(
            [t["o_col_measure"], t["m_status"], t["o_col_level"], t["o_col_flags"]],
            [Mm(50), Mm(26), Mm(32), Mm(52)],
            [[self.clean(m.title), status_label(t, m.status, capital=True),
              self.pyramid_label(m.pyramid_level),
              ", ".join(t.get(f"flag_{f}", f) for f in m.flags) or "–"]
             for m in ranked],
        )  # fmt: skip
