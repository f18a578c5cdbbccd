"""The annual calendar (årshjul): the measures' milestones and the planned conferences.

Two forms of the same dates. The `.ics` file is for Outlook and Google Calendar: every
milestone and conference is an all-day event whose UID is made from the ids of the
measure, milestone and conference, so importing or subscribing again updates the
events instead of adding a second copy. The Word table is the *årshjul* a steering
group pins to the wall or puts in the school's annual plan: month by month, what is due
and when the next conference is.

Open milestones of a stopped measure are left out (nobody works towards them any more);
reached ones stay, as the record of what happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from docx.shared import Mm
from docx.table import _Row
from icalendar import Calendar, Event, vText

from exports.docx_common import GREY, add_table, fill_header, keep_row_together, run, shade_cell, styled_run
from exports.initiatives import LABEL_FILL, WARNING_TEXT
from exports.labels import format_date, normalize_lang
from exports.measure_data import MeasuresReport
from exports.measure_docx import MeasureDocument
from exports.measure_labels import measure_labels_for, status_label
from exports.measures import measure_title

PRODID = "-//confapp//Annual calendar//EN"
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class CalendarEntry:
    """One dated thing in the calendar, worded for `lang`, in both the .ics and the Word table."""

    day: date
    kind: str  # "milestone" | "conference"
    uid: str
    title: str  # the milestone or conference
    measure: str = ""  # the measure's title, for milestones
    details: tuple[str, ...] = ()  # further lines for the event description
    state: str = ""  # milestones: "done" | "planned" | "overdue" (as of the report's day)


def calendar_entries(
    report: MeasuresReport, lang: str = "nb", *, uid_domain: str = "confapp", with_names: bool = False
) -> list[CalendarEntry]:
    """All milestones and conferences of `report` in date order, with their stable UIDs.

    `uid_domain` should name the installation (e.g. the server's host name), so that two
    schools' calendars imported into one account never share a UID. Coordinators' names
    go into the details only `with_names`: a feed is often shared wider than the school.
    """
    t = measure_labels_for(lang)
    clean = MeasureDocument.clean
    domain = _uid_part(uid_domain) or "confapp"
    entries: list[CalendarEntry] = []
    for conference in report.conferences:
        title = clean(conference.title) or t["m_kind_conference"]
        uid = f"conference-{_uid_part(conference.id)}@{domain}"
        entries.append(
            CalendarEntry(conference.held_on, "conference", uid, title, details=(t["m_kind_conference"],))
        )
    for measure in report.measures:
        name = measure_title(measure, t)
        details = [
            t["m_cal_measure"].format(title=name),
            f"{t['m_status']}: {status_label(t, measure.status)}",
        ]
        if with_names and (coordinator := clean(measure.coordinator)):
            details.append(f"{t['m_coordinator']}: {coordinator}")
        for milestone in measure.milestones:
            if measure.status == "stopped" and not milestone.done:
                continue
            uid = f"measure-{_uid_part(measure.id)}-milestone-{_uid_part(milestone.id)}@{domain}"
            title = clean(milestone.title) or t["m_kind_milestone"]
            state = "done" if milestone.done else "overdue" if milestone.due < report.as_of else "planned"
            entries.append(CalendarEntry(milestone.due, "milestone", uid, title, name, tuple(details), state))
    entries.sort(key=lambda e: (e.day, e.kind != "conference", e.measure, e.title))
    return entries


def build_calendar_ics(
    report: MeasuresReport,
    lang: str = "nb",
    *,
    uid_domain: str = "confapp",
    stamp: datetime | None = None,
    with_names: bool = False,
) -> bytes:
    """The calendar as an RFC 5545 .ics file of all-day events.

    `stamp` is the DTSTAMP of every event (default: now); tests pass a fixed one.
    Without `with_names` the file names no person (see `calendar_entries`): a calendar
    imported into Google or Outlook leaves the school's hands.
    """
    t = measure_labels_for(lang)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    organisation = " ".join(MeasureDocument.clean(report.organisation).split())  # a name is one line
    name = t["m_calendar_name"].format(org=organisation) if organisation else t["m_calendar_title"]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # icalendar escapes only the properties it knows as TEXT; these three it does not, so say it.
    cal.add("name", vText(name))  # RFC 7986
    cal.add("x-wr-calname", vText(name))  # Outlook and Google read this one
    cal.add("x-wr-caldesc", vText(t["m_calendar_intro"]))
    for entry in calendar_entries(report, lang, uid_domain=uid_domain, with_names=with_names):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)  # a date, so VALUE=DATE: an all-day event in every time zone
        event.add("dtend", entry.day + timedelta(days=1))  # exclusive end (RFC 5545 §3.6.1)
        summary = f"{entry.title} – {entry.measure}" if entry.measure else entry.title
        event.add("summary", summary)
        kind = t["m_kind_conference"] if entry.kind == "conference" else t["m_kind_milestone"]
        lines = list(entry.details)
        if entry.kind == "milestone":
            lines.insert(0, f"{kind} ({t[f'm_milestone_{entry.state}']})")
        event.add("description", "\n".join(lines))
        event.add("categories", [kind])
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: it does not block the day
        cal.add_component(event)
    return cal.to_ical()


def build_annual_calendar(
    report: MeasuresReport, lang: str = "nb", *, first_month: date | None = None
) -> bytes:
    """The årshjul as .docx: one table, a band per month, the month's milestones and conferences.

    With `first_month`, twelve months from that month (a school year: pass 1 August);
    without, every month from the first entry to the last. Empty months show a dash, so
    the reader sees the gap rather than wondering whether a month was left out.
    """
    return _AnnualCalendar(report, lang, first_month).build()


class _AnnualCalendar(MeasureDocument):
    def __init__(self, report: MeasuresReport, lang: str, first_month: date | None) -> None:
        super().__init__(
            report, lang, doc_title=MeasureDocument.clean(report.organisation), title_key="m_calendar_title"
        )
        self.entries = calendar_entries(report, self.lang)
        self.months = _months(self.entries, first_month, report.as_of)

    def build(self) -> bytes:
        t = self.t
        facts = [(t["date"], self.long_date(self.report.as_of))]
        if self.months:
            period = f"{_month_name(self.months[0], self.lang)} – {_month_name(self.months[-1], self.lang)}"
            facts.insert(0, (t["m_period"], period))
        self.title_block(
            self.organisation or t["m_calendar_title"], t["m_calendar_title"], facts, t["m_calendar_intro"]
        )
        by_month: dict[tuple[int, int], list[CalendarEntry]] = {}
        for entry in self.entries:
            by_month.setdefault((entry.day.year, entry.day.month), []).append(entry)
        row_count = sum(1 + max(1, len(by_month.get((m.year, m.month), []))) for m in self.months)
        table = add_table(self.doc, row_count + 1, (Mm(24), Mm(96), Mm(40)), banded_rows=False)
        fill_header(table.rows[0], (t["m_col_date"], t["m_col_event"], t["m_col_kind"]))
        rows = iter(table.rows[1:])
        for month in self.months:
            band = next(rows)
            cell = band.cells[0].merge(band.cells[2])
            shade_cell(cell, LABEL_FILL)
            p = cell.paragraphs[0]
            p.paragraph_format.keep_with_next = True  # a month's name never ends a page alone
            run(p, _month_name(month, self.lang).capitalize()).bold = True
            entries = by_month.get((month.year, month.month), [])
            if not entries:
                empty = next(rows)
                styled_run(empty.cells[1].paragraphs[0], t["m_nothing"], size=11, color=GREY)
                continue
            for entry in entries:
                self._entry_row(next(rows), entry)
        return self.save()

    def _entry_row(self, row: _Row, entry: CalendarEntry) -> None:
        t = self.t
        keep_row_together(row)
        date_cell, event_cell, kind_cell = row.cells
        run(date_cell.paragraphs[0], self.short_date(entry.day))
        title = run(event_cell.paragraphs[0], entry.title)
        if entry.kind == "conference":
            title.bold = True
            run(kind_cell.paragraphs[0], t["m_kind_conference"])
            return
        styled_run(
            event_cell.add_paragraph(), t["m_cal_measure"].format(title=entry.measure), size=9, color=GREY
        )
        kind = run(kind_cell.paragraphs[0], f"{t['m_kind_milestone']} ({t[f'm_milestone_{entry.state}']})")
        if entry.state == "overdue":
            kind.font.color.rgb = WARNING_TEXT


def _uid_part(value: object) -> str:
    """An id as it may stand in a UID: ASCII letters, digits, dot, dash, underscore."""
    return _UID_UNSAFE.sub("-", str(value)).strip("-")


def _months(entries: list[CalendarEntry], first_month: date | None, as_of: date) -> list[date]:
    if first_month is not None:
        start, count = first_month.replace(day=1), 12
    elif entries:
        start, last = entries[0].day.replace(day=1), entries[-1].day
        count = (last.year - start.year) * 12 + last.month - start.month + 1
    else:
        start, count = as_of.replace(day=1), 12
    return [
        date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)
        for n in range(count)
    ]


def _month_name(month: date, lang: str) -> str:
    """ "november 2026" (en: "November 2026"), from the same month names as the long dates."""
    return format_date(month, normalize_lang(lang)).split(" ", 1)[1]
