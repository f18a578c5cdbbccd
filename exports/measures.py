"""Word and iCalendar builders for measures after the conference: a measure's dossier, the steering
group's status report, and the milestones and conferences as an `.ics` feed (the annual calendar).

Pure builders: plain dataclasses in, bytes out. Texts the user typed go through `clean_text`; labels
come translated from the caller (`confapp/measure_documents.py`), headings from `HEADINGS` here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import docx
from docx.shared import Mm
from icalendar import Calendar, Event

from exports.docx_common import (
    add_para,
    add_table,
    apply_house_styles,
    fill_header,
    run,
    set_core_properties,
    setup_a4_page,
)
from exports.labels import labels_for, normalize_lang
from exports.text import clean_text

NB = {
    "dossier": "Tiltaksmappe",
    "status_report": "Statusrapport for utviklingstiltak",
    "plan": "Plan for tiltaket",
    "advice": "Råd fra veilederen",
    "milestones": "Milepæler",
    "history": "Vedtak og statusendringer",
    "log": "Koordinatorens logg",
    "evaluations": "Evalueringer",
    "sources": "Hvor tiltaket kom fra",
    "date": "Dato",
    "what": "Hva",
    "who": "Hvem som deltok",
    "learned": "Hva vi lærte",
    "conference": "Konferanse",
    "table": "Bord",
    "point": "Punkt",
    "measure": "Tiltak",
    "status": "Status",
    "coordinator": "Koordinator",
    "last_log": "Siste logg",
    "next": "Neste milepæl",
    "none": "Ingen ennå.",
    "works": "Hva fungerer",
    "adjust": "Hva bør justeres",
    "daily": "Bør det bli daglig drift?",
    "people": "Hvem som prøvde ut",
    "calendar": "Årshjul",
}
NN = NB | {  # nynorsk where it differs from bokmål
    "advice": "Råd frå rettleiaren",
    "milestones": "Milepælar",
    "history": "Vedtak og statusendringar",
    "log": "Loggen til koordinatoren",
    "evaluations": "Evalueringar",
    "sources": "Kvar tiltaket kom frå",
    "what": "Kva",
    "who": "Kven som deltok",
    "learned": "Kva vi lærte",
    "none": "Ingen enno.",
    "works": "Kva fungerer",
    "adjust": "Kva bør justerast",
    "daily": "Bør det bli dagleg drift?",
    "people": "Kven som prøvde ut",
}
HEADINGS = {
    "nb": NB,
    "nn": NN,
    "en": {
        "dossier": "Measure dossier",
        "status_report": "Status report on development measures",
        "plan": "Plan",
        "advice": "Advice from the guide",
        "milestones": "Milestones",
        "history": "Decisions and status changes",
        "log": "The coordinator's log",
        "evaluations": "Evaluations",
        "sources": "Where the measure came from",
        "date": "Date",
        "what": "What",
        "who": "Who took part",
        "learned": "What was learned",
        "conference": "Conference",
        "table": "Table",
        "point": "Point",
        "measure": "Measure",
        "status": "Status",
        "coordinator": "Coordinator",
        "last_log": "Last log entry",
        "next": "Next milestone",
        "none": "None yet.",
        "works": "What works",
        "adjust": "What should be adjusted",
        "daily": "Should it become daily practice?",
        "people": "Who ran the trial",
        "calendar": "Annual calendar",
    },
}


@dataclass(frozen=True)
class MeasureData:
    """One measure as the documents show it; labels already in the reader's language."""

    id: int
    title: str
    status: str  # translated label
    coordinator: str = ""
    plan: list[tuple[str, str]] = field(default_factory=list)  # (field label, text)
    rules: list[str] = field(default_factory=list)
    milestones: list[tuple[date, str]] = field(default_factory=list)
    history: list[tuple[date, str]] = field(default_factory=list)  # (day, "Vedtatt – who: why")
    log: list[tuple[date, str, str, str]] = field(default_factory=list)  # (day, done, who, learned)
    evaluations: list[tuple[date, str, str, str, str]] = field(
        default_factory=list
    )  # day, works, adjust, daily, people
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # (conference, table, point)


@dataclass(frozen=True)
class CalendarDay:
    uid: str
    day: date
    summary: str


def _document(title: str, lang: str) -> docx.document.Document:
    doc = docx.Document()
    apply_house_styles(doc, lang)
    t = labels_for(lang)
    setup_a4_page(doc, title, t["page_prefix"], t["page_middle"])
    set_core_properties(doc, title=title, subject=title, lang=lang)
    return doc


def _bytes(doc: docx.document.Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rows(
    doc: docx.document.Document, header: list[str], rows: list[list[str]], widths_mm: list[int], none: str
) -> None:
    if not rows:
        add_para(doc, none)
        return
    table = add_table(doc, len(rows) + 1, [Mm(w) for w in widths_mm])
    fill_header(table.rows[0], header)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            run(cell.paragraphs[0], clean_text(value))


def dossier_docx(m: MeasureData, lang: str = "nb") -> bytes:
    """A measure's dossier: plan, advice, milestones, decisions, log, evaluations, source points."""
    lang = normalize_lang(lang)
    h = HEADINGS[lang]
    doc = _document(f"{h['dossier']}: {clean_text(m.title)}", lang)
    doc.add_heading(clean_text(m.title), 0)
    add_para(doc, f"{h['status']}: {m.status}")
    doc.add_heading(h["plan"], 1)
    _rows(doc, [h["plan"], ""], [[label, text or "–"] for label, text in m.plan], [55, 105], h["none"])
    if m.rules:
        doc.add_heading(h["advice"], 1)
        for note in m.rules:
            add_para(doc, clean_text(note), doc.styles["List Bullet"])
    sections = (
        ("milestones", [h["date"], h["what"]], [[d.isoformat(), s] for d, s in m.milestones], [30, 130]),
        ("history", [h["date"], h["status"]], [[d.isoformat(), s] for d, s in m.history], [30, 130]),
        (
            "log",
            [h["date"], h["what"], h["who"], h["learned"]],
            [[d.isoformat(), *r] for d, *r in m.log],
            [25, 55, 35, 45],
        ),
        (
            "evaluations",
            [h["date"], h["works"], h["adjust"], h["daily"], h["people"]],
            [[d.isoformat(), *r] for d, *r in m.evaluations],
            [22, 36, 36, 36, 30],
        ),
        ("sources", [h["conference"], h["table"], h["point"]], [list(s) for s in m.sources], [50, 15, 95]),
    )
    for key, header, rows, widths in sections:
        doc.add_heading(h[key], 1)
        _rows(doc, header, rows, widths, h["none"])
    return _bytes(doc)


def status_report_docx(items: list[MeasureData], org_name: str, lang: str = "nb") -> bytes:
    """The steering group's overview: each measure's status, coordinator, last log, next milestone, advice."""
    lang = normalize_lang(lang)
    h = HEADINGS[lang]
    title = h["status_report"] + (f" – {clean_text(org_name)}" if org_name else "")
    doc = _document(title, lang)
    doc.add_heading(title, 0)
    add_para(doc, date.today().isoformat())
    rows = []
    for m in items:
        last = m.log[-1] if m.log else None
        upcoming = next((f"{d.isoformat()} {s}" for d, s in m.milestones if d >= date.today()), "–")
        last_text = f"{last[0].isoformat()} {last[1]}" if last else "–"
        rows.append([m.title, m.status, m.coordinator or "–", last_text, upcoming, "\n".join(m.rules) or "–"])
    header = [h["measure"], h["status"], h["coordinator"], h["last_log"], h["next"], h["advice"]]
    _rows(doc, header, rows, [32, 22, 25, 30, 25, 26], h["none"])
    return _bytes(doc)


def calendar_ics(days: list[CalendarDay], name: str) -> bytes:
    """An iCalendar feed of all-day events (milestones, trial periods, conferences) for Outlook and Google."""
    cal = Calendar()
    cal.add("prodid", "-//confapp//measures//NO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", clean_text(name))
    stamp = datetime.now().astimezone()
    for item in days:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", clean_text(item.summary))
        cal.add_component(event)
    return cal.to_ical()
