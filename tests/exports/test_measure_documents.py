"""The measures' documents read back: a dossier and the status report with python-docx (and rendered by
LibreOffice), the annual calendar with an iCalendar parser. Built from a real demo conference whose
first measure went through decision, a logged trial and an evaluation."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from icalendar import Calendar
from support import to_pdf

from confapp import db
from confapp.demo import make_demo
from confapp.measure_documents import calendar_days, measure_data
from confapp.models import Conference, Measure
from confapp.services import initiatives, measure_log, measures, organisations
from exports.measures import calendar_ics, dossier_docx, status_report_docx


@pytest.fixture
def lived(app: Flask) -> tuple[Conference, list[Measure]]:
    conf = db.get(Conference, make_demo().conference_id)
    first, second = initiatives.of_conference(conf)
    first = initiatives.update(
        conf, first.id, {"timeframe": "Midtveis på trinnmøte 2027-03-15"}, version=first.version
    )
    measures.change_status(first, "concretised", actor="Ressursteamet")
    measures.change_status(
        first, "decided", actor="Styringsgruppa", decided_on="2027-01-10", decision_note="Sak 3/27"
    )
    measures.change_status(
        first, "in_trial", actor="Rektor", trial_start="2027-01-15", trial_end="2027-06-15"
    )
    _link, token = measure_log.create_link(first, "")
    entry = {"happened_on": "2027-01-20", "done": "Første faste møte", "who": "5. trinn",
             "learned": "Faste tider hjelper"}  # fmt: skip
    measure_log.add_entry(token, client_uuid=str(uuid.uuid4()), **entry)
    answers = {"held_on": "2027-06-10", "what_works": "Møtene", "what_to_adjust": "Færre",
               "daily_operation": "Ja", "trial_people": "Koordinatoren"}  # fmt: skip
    measure_log.evaluate(first, actor="Rektor", **answers)
    return conf, [first, second]


def text_of(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_dossier_has_plan_decisions_log_evaluation_and_sources(
    lived: tuple[Conference, list[Measure]], tmp_path: Path
) -> None:
    conf, (first, _) = lived
    target = tmp_path / "tiltak.docx"
    target.write_bytes(dossier_docx(measure_data(first, "nb"), "nb"))
    body = text_of(target)
    for expected in (
        first.title, "Status: Evaluert", "Målsettingen for tiltaket", first.goal, "Vedtatt – Styringsgruppa",
        "Under utprøving – Rektor", "Første faste møte", "Faste tider hjelper", "Møtene", "Koordinatoren",
        "2027-03-15", "Midtveis på trinnmøte", "Planlagt slutt på utprøvingen", conf.title,
        measures.sources(first)[0].text,
    ):  # fmt: skip
        assert expected in body, expected
    assert to_pdf(target).stat().st_size > 5_000


def test_status_report_lists_every_measure_with_coordinator_last_log_and_advice(
    lived: tuple[Conference, list[Measure]], tmp_path: Path
) -> None:
    _, (first, second) = lived
    org = organisations.default()
    items = [measure_data(m, "nn") for m in measures.of_organisation(org)]
    target = tmp_path / "status.docx"
    target.write_bytes(status_report_docx(items, "Eksempel skule", "nn"))
    doc = Document(str(target))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0][:3] == ["Tiltak", "Status", "Koordinator"]
    assert [r[0] for r in rows[1:]] == [first.title, second.title]
    assert rows[1][1:4] == ["Evaluert", first.coordinator, "2027-01-20 Første faste møte"]
    assert rows[2][1] == "Utkast" and "Ingen koordinator er peikt ut enno." in rows[2][5]
    assert to_pdf(target).stat().st_size > 5_000


def test_calendar_has_each_milestone_and_the_conference_as_all_day_events(
    lived: tuple[Conference, list[Measure]],
) -> None:
    conf, (first, _) = lived
    days = calendar_days(organisations.default(), [conf], "nb")
    cal = Calendar.from_ical(calendar_ics(days, "Utviklingstiltak"))
    events = {(e.decoded("dtstart"), str(e["summary"])) for e in cal.walk("VEVENT")}
    assert events == {
        (conf.held_on, conf.title),
        (date(2027, 1, 15), f"{first.title}: Start på utprøvingen"),
        (date(2027, 3, 15), f"{first.title}: Midtveis på trinnmøte"),
        (date(2027, 6, 15), f"{first.title}: Planlagt slutt på utprøvingen"),
    }
    assert len({str(e["uid"]) for e in cal.walk("VEVENT")}) == 4
