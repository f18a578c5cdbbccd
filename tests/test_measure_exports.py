"""The measure documents wired into the app (issue 13 §7–8): gathering from the database, the
`confapp export` command (read back with python-docx and icalendar), the steering group's downloads,
and the calendar feed that works with its key and nothing else.

The builders' own layout and LibreOffice tests live in tests/exports; these check what only the
wiring can get wrong: which measures, whose names, which organisation, who may download."""

from __future__ import annotations

import io
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from support import LiveServer, fresh_client

from confapp import db
from confapp.demo import make_demo
from confapp.export import measures as measure_export
from confapp.export.worker import ExportWorker
from confapp.models import Conference, Organisation
from confapp.services import facilitators, initiatives, measure_log, measures, organisations

COORDINATOR = "Avdelingsleder for mellomtrinnet"  # the demo's first draft names its coordinator
OTHER_PASSWORD = "et-langt-passord-for-test"


@pytest.fixture
def world(app: Flask) -> dict:
    """The demo's DK1 with its first measure walked into trial, logged and evaluated; the second a draft."""
    demo = make_demo()
    conf = db.get(Conference, demo.conference_id)
    first, second = initiatives.of_conference(conf)
    first = initiatives.update(
        conf, first.id, {"timeframe": "2027-03-01 Første evaluering i ressursteamet\nHele våren"},
        version=first.version,
    )  # fmt: skip
    measures.change_status(first, "concretised", actor="Ressursteamet", reason="Planen er konkret")
    measures.change_status(
        first, "decided", actor="Styringsgruppa", decided_on="2027-01-10", decision_note="Sak 3/27"
    )
    measures.change_status(
        first, "in_trial", actor="Rektor", trial_start="2027-01-15", trial_end="2027-06-15"
    )
    _, token = measure_log.create_link(first, "")
    measure_log.add_entry(
        token, client_uuid=str(uuid.uuid4()), happened_on="2027-02-01", done="Første møte med PPT",
        who="5. trinn", learned="Faste tider hjelper",
    )  # fmt: skip
    measure_log.evaluate(
        first, actor="Styringsgruppa", held_on="2027-06-10", what_works="Møtene", what_to_adjust="Tidspunkt",
        daily_operation="Ja", trial_people="Lærer på 5. trinn",
    )  # fmt: skip
    return {"demo": demo, "conf": conf, "first": first, "second": second, "org": organisations.default()}


def test_gathering_turns_the_organisations_measures_into_the_builders_data(world: dict) -> None:
    report = measure_export.gather(world["org"], "nb", as_of=date(2027, 2, 10))
    first = next(m for m in report.measures if m.id == world["first"].id)
    assert [m.id for m in report.measures] == [world["first"].id, world["second"].id]
    assert first.status == "evaluated" and first.coordinator == COORDINATOR
    assert [(h.from_status, h.to_status, h.by) for h in first.history] == [
        ("draft", "concretised", "Ressursteamet"),
        ("concretised", "decided", "Styringsgruppa"),
        ("decided", "in_trial", "Rektor"),
        ("in_trial", "evaluated", "Styringsgruppa"),
    ]
    assert first.history[1].decision_note == "Sak 3/27"
    assert [(m.id, m.title, m.due, m.done) for m in first.milestones] == [
        ("trial-start", "Start på utprøvingen", date(2027, 1, 15), True),
        (first.milestones[1].id, "Første evaluering i ressursteamet", date(2027, 3, 1), True),
        ("trial-end", "Planlagt slutt på utprøvingen", date(2027, 6, 15), True),
    ]
    assert [(e.on, e.what, e.who, e.learned) for e in first.log] == [
        (date(2027, 2, 1), "Første møte med PPT", "5. trinn", "Faste tider hjelper")
    ]
    assert [(e.works, e.adjust, e.daily_operation, e.participants) for e in first.evaluations] == [
        ("Møtene", "Tidspunkt", "Ja", "Lærer på 5. trinn")
    ]
    assert first.sources and {(s.conference_title, s.held_on) for s in first.sources} == {
        (world["conf"].title, world["conf"].held_on)
    }
    assert all(s.table_number for s in first.sources)
    # The guide's advice, worded in the document's language; the draft has several notes.
    second = report.measures[1]
    assert "Ingen koordinator er utpekt ennå." in second.warnings
    assert [(c.id, c.title) for c in report.conferences] == [(world["conf"].id, world["conf"].title)]


def test_a_plan_lines_milestone_keeps_its_id_when_its_date_moves(world: dict) -> None:
    m = world["second"]
    ids = []
    for line in ("1.4.2027 Foreldremøte om fravær", "2027-05-02 Foreldremøte om fravær"):
        m = initiatives.update(world["conf"], m.id, {"timeframe": line}, version=m.version)
        (milestone,) = measure_export.gather(world["org"]).measures[1].milestones
        ids.append((milestone.id, milestone.due))
    assert ids[0][0] == ids[1][0] and ids[0][1] != ids[1][1]


def _cli(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "confapp", *args], env=server.env(), capture_output=True, text=True,
        timeout=120, cwd=server.workdir,
    )  # fmt: skip


def _cells(doc: Document) -> str:
    return "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_cli_writes_each_measure_document_and_refuses_a_foreign_measure(
    app: Flask, world: dict, tmp_path: Path
) -> None:
    # A second organisation with its own conference and measures, on the same installation.
    other_conf = db.get(Conference, make_demo().conference_id)
    with db.transaction() as s:
        other = Organisation(name="Nabokommunen", kind="municipality", public_key=uuid.uuid4().hex)
        s.add(other)
        s.flush()
        foreign = initiatives.of_conference(other_conf)
        for n, m in enumerate(foreign):
            m.organisation_id = other.id
            m.title = f"Nabokommunens tiltak {n}"
    cli = LiveServer(tmp_path, app.config["DATABASE_URL"])
    conf_id, first = str(world["conf"].id), world["first"]

    status = tmp_path / "status.docx"
    assert _cli(cli, "export", conf_id, "--what", "status", "--out", str(status)).returncode == 0
    cells = _cells(Document(str(status)))
    assert first.title in cells and world["second"].title in cells and COORDINATOR in cells
    assert foreign[0].title not in cells  # the conference's organisation is the scope

    dossier = tmp_path / "dossier.docx"
    result = _cli(cli, "export", conf_id, "--what", "dossier", "--measure", str(first.id), "--lang", "nn",
                  "--out", str(dossier))  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = Document(str(dossier))
    text = "\n".join(p.text for p in doc.paragraphs) + _cells(doc)
    for expected in (first.title, "Sak 3/27", "Første møte med PPT", "Faste tider hjelper", "Møtene",
                     world["conf"].title):  # fmt: skip
        assert expected in text, expected

    ics = tmp_path / "arshjul.ics"
    assert _cli(cli, "export", conf_id, "--what", "calendar", "--out", str(ics)).returncode == 0
    cal = Calendar.from_ical(ics.read_bytes())
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    uids = sorted(u.split("@")[0] for u in events)
    assert f"measure-{first.id}-milestone-trial-start" in uids and f"conference-{conf_id}" in uids
    assert events[next(u for u in events if "trial-end" in u)].decoded("dtstart") == date(2027, 6, 15)
    assert COORDINATOR not in ics.read_text()  # no names in a calendar file
    assert f"conference-{other_conf.id}" not in uids

    annual = tmp_path / "arshjul.docx"
    assert (
        _cli(cli, "export", conf_id, "--what", "annual", "--lang", "en", "--out", str(annual)).returncode == 0
    )
    assert "Start of the trial" in _cells(Document(str(annual)))

    refused = _cli(cli, "export", conf_id, "--what", "dossier", "--measure", str(foreign[0].id),
                   "--out", str(tmp_path / "x.docx"))  # fmt: skip
    assert refused.returncode != 0
    assert f"Organisasjonen har ikke noe tiltak med id {foreign[0].id}." in refused.stderr
    missing = _cli(
        cli, "export", conf_id, "--what", "dossier", "--lang", "en", "--out", str(tmp_path / "y.docx")
    )
    assert missing.returncode != 0 and "Say which measure with --measure ID." in missing.stderr
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "y.docx").exists()


def test_the_export_process_builds_the_measure_documents(app: Flask, world: dict) -> None:
    """The server under gevent hands these to its export child, as it does the conference report."""
    worker = ExportWorker(app.config["DATABASE_URL"])
    try:
        request = {"what": "dossier", "organisation_id": world["org"].id, "measure_id": world["first"].id}
        doc = Document(io.BytesIO(worker.build({**request, "lang": "nb"})))
        assert "Sak 3/27" in _cells(doc) + "\n".join(p.text for p in doc.paragraphs)
        feed = worker.build({"what": "calendar", "organisation_id": world["org"].id, "lang": "nb"})
        assert len(Calendar.from_ical(feed).walk("VEVENT")) == 4
    finally:
        worker.stop()


def _login(app: Flask, email: str, password: str) -> FlaskClient:
    client = fresh_client(app)
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)
    return client


def test_steering_group_downloads_and_the_keyed_feed(app: Flask, world: dict) -> None:
    demo, first = world["demo"], world["first"]
    staff = _login(app, demo.email, demo.password)
    page = staff.get("/measures").get_data(as_text=True)
    for link in ("/measures/status-report.docx", "/measures/annual-calendar.docx", "/measures/calendar.ics"):
        assert f'href="{link}"' in page, link
    feed = page.split('id="calendar-feed" class="grow" type="text" readonly value="')[1].split('"')[0]
    key = world["org"].calendar_key
    assert key and feed.endswith(f"/calendar/{key}.ics") and key != world["org"].public_key
    assert f'href="/measures/{first.id}/dossier.docx"' in staff.get(f"/measures/{first.id}").get_data(
        as_text=True
    )

    status = staff.get("/measures/status-report.docx")
    assert status.status_code == 200 and "statusrapport" in status.headers["Content-Disposition"]
    assert first.title in _cells(Document(io.BytesIO(status.data)))
    dossier = staff.get(f"/measures/{first.id}/dossier.docx?lang=en")
    assert dossier.status_code == 200
    assert "Første møte med PPT" in _cells(Document(io.BytesIO(dossier.data))) + "\n".join(
        p.text for p in Document(io.BytesIO(dossier.data)).paragraphs
    )
    annual = staff.get("/measures/annual-calendar.docx")
    assert annual.status_code == 200 and Document(io.BytesIO(annual.data)).tables
    ics = staff.get("/measures/calendar.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert len(Calendar.from_ical(ics.data).walk("VEVENT")) == 4  # DK1, trial start, plan line, trial end

    # The feed: no login, only its key; names stay out.
    anonymous = fresh_client(app)
    served = anonymous.get(f"/calendar/{key}.ics")
    assert served.status_code == 200 and served.mimetype == "text/calendar"
    assert Calendar.from_ical(served.data).walk("VEVENT") and COORDINATOR.encode() not in served.data
    assert "no-referrer" in served.headers["Referrer-Policy"]
    assert anonymous.get(f"/calendar/{key[:-1]}x.ics").status_code == 404
    assert anonymous.get(f"/calendar/{world['org'].public_key}.ics").status_code == 404
    for path in (
        "/measures/status-report.docx",
        f"/measures/{first.id}/dossier.docx",
        "/measures/calendar.ics",
    ):
        r = anonymous.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path


def test_another_account_gets_neither_the_dossier_nor_the_measures(app: Flask, world: dict) -> None:
    facilitators.create(email="annen@example.no", name="Annen Skole", password=OTHER_PASSWORD)
    stranger = _login(app, "annen@example.no", OTHER_PASSWORD)
    assert stranger.get(f"/measures/{world['first'].id}/dossier.docx").status_code == 404
    status = stranger.get("/measures/status-report.docx")
    assert status.status_code == 200
    assert world["first"].title not in _cells(Document(io.BytesIO(status.data)))
    ics = Calendar.from_ical(stranger.get("/measures/calendar.ics").data)
    assert ics.walk("VEVENT") == []  # neither the measures nor the conference of another account
