"""The strategy forum's agenda and minutes as Word, for the forum's meeting and the municipality's files.

The agenda: every escalation without a decision, oldest first, numbered, with what needs deciding and
each postponement. The minutes: each decision with who follows up and by when. Same house frame as the
measure documents (`exports.measure_docx`).
"""

from __future__ import annotations

from docx.shared import Mm

from exports.forum_data import EscalationItem, ForumReport
from exports.forum_labels import forum_labels_for
from exports.measure_data import MeasuresReport
from exports.measure_docx import MeasureDocument


def build_forum(report: ForumReport, lang: str = "nb") -> bytes:
    """The forum's agenda and minutes of `report` as .docx."""
    return _Forum(report, lang).build()


class _Forum(MeasureDocument):
    def __init__(self, report: ForumReport, lang: str) -> None:
        frame = MeasuresReport(organisation=report.organisation, as_of=report.as_of, level="municipal")
        self.forum = report
        super().__init__(frame, lang, doc_title=report.organisation, title_key="m_report_title")
        self.t = forum_labels_for(self.lang)

    def build(self) -> bytes:
        t, r = self.t, self.forum
        self.title_block(t["f_kicker"], t["f_title"], [(t["f_date"], self.long_date(r.as_of))], t["f_intro"])
        self.heading(t["f_agenda"])
        if not r.agenda:
            self.placeholder_para(t["f_none_open"])
        for n, item in enumerate(r.agenda, start=1):
            self.case(n, item)
        self.heading(t["f_minutes"])
        if not r.minutes:
            self.placeholder_para(t["f_none_decided"])
        for n, item in enumerate(r.minutes, start=1):
            self.case(n, item)
        return self.save()

    def case(self, n: int, item: EscalationItem) -> None:
        t = self.t
        self.heading(f"{t['f_case'].format(n=n)} – {self.clean(item.school)}", level=2)
        rows = [(t["f_school"], self.clean(item.school))]
        if item.measure:
            rows.append((t["f_measure"], self.clean(item.measure)))
        rows += [
            (t["f_text"] if item.measure else t["f_question"], self.clean(item.text)),
            (t["f_raised"], f"{self.short_date(item.raised_on)}, {self.clean(item.raised_by)}"),
        ]
        rows += [
            (t["f_postponed"], f"{self.short_date(p.on)}, {self.clean(p.by)}: {self.clean(p.reason)}")
            for p in item.postponements
        ]
        if item.decided_on is not None:
            due = (
                f" – {t['f_due'].format(day=self.short_date(item.follow_up_due))}"
                if item.follow_up_due
                else ""
            )
            rows += [
                (t["f_decision"], self.clean(item.decision)),
                (t["f_follow_up"], self.clean(item.follow_up) + due),
                (t["f_decided"], f"{self.short_date(item.decided_on)}, {self.clean(item.decided_by)}"),
            ]
        self.label_table(rows, [Mm(45), Mm(125)])
