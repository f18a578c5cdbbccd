"""The facilitator never guesses: late-arrival seating, the 30-second undo, tri-state quality checks,
messages that name fields in the reader's language, and Word downloads in the UI's language.

Service-level, on the in-process app (a real SQLite file); the report is read back with python-docx.
"""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from docx import Document
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from confapp import db
from confapp.errors import Conflict, ServiceError
from confapp.models import (
    Conference,
    ConferenceStatus,
    EventRecord,
    Facilitator,
    Initiative,
    Participant,
    Round,
    RoundState,
)
from confapp.services import (
    access,
    board,
    bullets,
    conferences,
    facilitators,
    groups,
    initiatives,
    participants,
    phase_undo,
    rounds,
)
from confapp.web.responses import message

ROLES = ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier"]


@pytest.fixture
def facilitator(app: Flask) -> Facilitator:
    return facilitators.create(email="f@example.no", name="Ordstyrer", password="testpassord-123")


@pytest.fixture
def conf(facilitator: Facilitator) -> Conference:
    c = conferences.create_conference(facilitator, title="Dialogkonferanse høst", template="dk1_school")
    for i in range(6):
        participants.join(c, client_uuid=uuid.uuid4(), name=f"Deltaker {i + 1}", role=ROLES[i % len(ROLES)])
    return c


def rnd(conf: Conference, kind: str, n: int) -> Round:
    return [r for r in conf.rounds if r.kind == kind][n - 1]


def table_of(person: Participant, round_: Round) -> int | None:
    seat = access.membership(person, round_.id)
    return seat.group.number if seat is not None else None


def last_event(conf: Conference) -> EventRecord:
    return db.session.scalars(
        select(EventRecord).where(EventRecord.conference_id == conf.id).order_by(EventRecord.seq.desc())
    ).first()


# --- late arrivals ---------------------------------------------------------------------------------------


def test_late_arrival_during_a_drafted_round_is_seated_when_it_starts(conf: Conference) -> None:
    first = rnd(conf, "group", 1)
    groups.propose(conf, first, group_size=3)
    assert not first.groups_published
    kari, _ = participants.join(conf, client_uuid=uuid.uuid4(), name="Kari", role="Lærer")
    assert table_of(kari, first) is None  # a draft: the join could not tell her a table

    started = rounds.start(conf, first)

    assert [(s.name, s.table) for s in started.seated] == [("Kari", table_of(kari, first))]
    assert table_of(kari, first) in (1, 2)
    sizes = sorted(len(g.memberships) for g in first.groups)
    assert sizes == [3, 4]  # nobody else moved; she joined a smallest table


def test_late_arrival_during_plenary_is_seated_when_next_tables_are_published(conf: Conference) -> None:
    rounds.start(conf, rnd(conf, "group", 1))
    rounds.start(conf, rnd(conf, "plenary", 1))
    second = rnd(conf, "group", 2)
    groups.propose(conf, second, group_size=3)
    ola, _ = participants.join(conf, client_uuid=uuid.uuid4(), name="Ola", role="Assistent")
    assert table_of(ola, second) is None

    seated = groups.publish(conf, second)

    assert [(s.name, s.table) for s in seated] == [("Ola", table_of(ola, second))]
    assert rounds.start(conf, second).seated == []  # already seated: nobody twice


def test_console_is_told_where_in_the_users_language(
    app: Flask, facilitator: Facilitator, conf: Conference
) -> None:
    first = rnd(conf, "group", 1)
    groups.propose(conf, first, group_size=3)
    participants.join(conf, client_uuid=uuid.uuid4(), name="Kari", role="Lærer")
    client = app.test_client()
    client.set_cookie("confapp_lang", "nb")
    token = facilitators.issue_api_token(facilitator)
    r = client.post(
        f"/api/v1/conferences/{conf.id}/rounds/{first.id}/start", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    [seat] = r.get_json()["seated"]
    assert seat["message"] == f"Kari ble satt ved bord {seat['table']}"


# --- undo of a phase change ------------------------------------------------------------------------------


def test_start_can_be_undone_within_30_seconds(conf: Conference) -> None:
    first = rnd(conf, "group", 1)
    rounds.start(conf, first)
    change = last_event(conf)
    assert phase_undo.available(conf) is not None

    phase_undo.undo(conf)

    assert first.state == RoundState.PENDING and first.started_at is None
    assert conf.status == ConferenceStatus.DRAFT and conf.active_round_id is None
    undo_event = last_event(conf)
    assert undo_event.type == "phase.changed"
    assert undo_event.payload["undo_of"] == change.seq
    assert undo_event.payload["active_round"] is None
    assert phase_undo.available(conf) is None  # an undo is not undone
    with pytest.raises(Conflict):
        phase_undo.undo(conf)


def test_next_item_undo_restores_the_running_round_and_its_countdown(conf: Conference) -> None:
    first, plenary = rnd(conf, "group", 1), rnd(conf, "plenary", 1)
    groups.propose(conf, first, group_size=3)
    rounds.start(conf, first)
    ends = first.ends_at
    rounds.start(conf, plenary)
    rounds.focus(conf, 2)  # stepping through tables does not block the undo

    phase_undo.undo(conf)

    assert (first.state, plenary.state) == (RoundState.ACTIVE, RoundState.PENDING)
    assert first.ends_at == ends
    assert conf.active_round_id == first.id and conf.focus_group_number is None
    assert last_event(conf).payload["active_round"]["id"] == first.id


def test_finish_can_be_undone(conf: Conference) -> None:
    plenary = rnd(conf, "plenary", 1)
    rounds.start(conf, rnd(conf, "group", 1))
    rounds.start(conf, plenary)
    rounds.finish(conf)
    assert phase_undo.available(conf).round_id is None

    phase_undo.undo(conf)

    assert conf.status == ConferenceStatus.RUNNING
    assert conf.active_round_id == plenary.id and plenary.state == RoundState.ACTIVE


def test_undo_window_closes_after_30_seconds(conf: Conference) -> None:
    first = rnd(conf, "group", 1)
    rounds.start(conf, first)
    at = last_event(conf).created_at
    assert phase_undo.available(conf, now=at + timedelta(seconds=29)).seconds_left == 1
    assert phase_undo.available(conf, now=at + timedelta(seconds=31)) is None
    with pytest.raises(Conflict) as exc:
        phase_undo.undo(conf, now=at + timedelta(seconds=31))
    assert exc.value.code == "undo_unavailable"
    assert first.state == RoundState.ACTIVE  # nothing changed


def test_a_point_posted_in_the_new_round_blocks_the_undo(conf: Conference) -> None:
    first = rnd(conf, "group", 1)
    rounds.start(conf, first)
    grp = first.groups[0]
    reporter = grp.memberships[0].participant
    groups.set_reporter(conf, grp, reporter.id, by=None)
    late, _ = participants.join(
        conf, client_uuid=uuid.uuid4(), name="Sein", role="Lærer"
    )  # joining does not block
    assert phase_undo.available(conf) is not None
    bullets.post(conf, reporter, group_id=grp.id, client_uuid=str(uuid.uuid4()), text_="Faste møter")

    assert phase_undo.available(conf) is None
    with pytest.raises(Conflict):
        phase_undo.undo(conf)
    assert first.state == RoundState.ACTIVE
    assert late.present


# --- tri-state quality checks and field names ---------------------------------------------------------


def made_initiative(conf: Conference) -> Initiative:
    cluster = board.create(conf, "Faste møtepunkter")
    return initiatives.from_cluster(conf, cluster.id)


def test_quality_checks_start_not_assessed_and_take_yes_no_or_none(conf: Conference) -> None:
    ini = made_initiative(conf)
    assert (ini.multi_professional, ini.lasting, ini.all_pupils) == (None, None, None)
    ini = initiatives.update(
        conf, ini.id, {"multi_professional": True, "lasting": False}, version=ini.version
    )
    assert (ini.multi_professional, ini.lasting, ini.all_pupils) == (True, False, None)
    ini = initiatives.update(conf, ini.id, {"multi_professional": None}, version=ini.version)
    assert ini.multi_professional is None


@pytest.mark.parametrize(
    ("fields", "lang", "expected"),
    [
        ({"lasting": "yes"}, "nb", "Av en viss varighet må være ja, nei eller ikke vurdert."),
        ({"lasting": "yes"}, "nn", "Av ei viss varigheit må vere ja, nei eller ikkje vurdert."),
        (
            {"coordinator_is_grade_team_leader": 1},
            "en",
            "The coordinator is a grade-team leader must be true or false.",
        ),
        ({"main_arena": "kantina"}, "nb", "Hovedarena må være én av: Ressursteam, Trinnteam, Annet."),
    ],
)
def test_bad_initiative_input_names_the_field_in_the_users_language(
    conf: Conference, fields: dict, lang: str, expected: str
) -> None:
    ini = made_initiative(conf)
    with pytest.raises(ServiceError) as exc:
        initiatives.update(conf, ini.id, fields, version=ini.version)
    with force_locale(lang):
        assert message(exc.value) == expected
    db.session.refresh(ini)
    assert ini.version == 1  # nothing changed


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nb", "koordinator, hovedarena, hvem som deltar i utprøvingen"),
        ("nn", "koordinator, hovudarena, kven som deltek i utprøvinga"),
    ],
)
def test_open_fields_warning_is_translated(conf: Conference, lang: str, expected: str) -> None:
    [warning] = initiatives.warnings(made_initiative(conf))
    with force_locale(lang):
        shown = message(warning)
    assert expected in shown
    assert "main arena" not in shown and "[" not in shown


# --- Word report in the UI's language --------------------------------------------------------------------


def report_paragraphs(
    app: Flask, facilitator: Facilitator, conf: Conference, lang: str
) -> list[tuple[str, str]]:
    client = app.test_client()
    client.set_cookie("confapp_lang", lang)
    token = facilitators.issue_api_token(facilitator)
    r = client.get(f"/api/v1/conferences/{conf.id}/report.docx", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.data))
    return [(p.style.name, p.text) for p in doc.paragraphs if p.text]


@pytest.mark.parametrize(
    ("lang", "table", "points"),
    [("nb", "Bord 1", "Punkter fra bordet"), ("nn", "Bord 1", "Punkt frå bordet")],
)
def test_report_follows_the_ui_language_and_wording(
    app: Flask, facilitator: Facilitator, conf: Conference, lang: str, table: str, points: str
) -> None:
    rounds.start(conf, rnd(conf, "group", 1))
    rounds.start(conf, rnd(conf, "plenary", 1))
    paragraphs = report_paragraphs(app, facilitator, conf, lang)
    texts = [t for _, t in paragraphs]
    assert table in texts and points in texts
    assert not any(t.startswith("Gruppe ") for t in texts)  # the UI says "Bord"
    plenary_headings = [t for style, t in paragraphs if style == "Heading 2" and "Plenum" in t]
    assert "Plenum 1: punktvise referater" in plenary_headings  # not "Plenum: Plenum 1: …"
    assert not any(t.startswith("Plenum: Plenum") for t in texts)


# --- the grouping engine's refusals, in the user's words -------------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "lang", "expected"),
    [
        ("keep", "nb", "«Behold bordene fra forrige runde» trenger en tidligere runde med bord."),
        ("by:role", "nn", "Ingen har same rolle som nokon annan, så borda kan ikkje lagast etter det."),
        (
            "by:role",
            "en",
            "Nobody shares the same role with anyone else, so the tables cannot be made by it.",
        ),
    ],
)
def test_grouping_refusals_are_in_the_users_language(
    facilitator: Facilitator, strategy: str, lang: str, expected: str
) -> None:
    c = conferences.create_conference(facilitator, title="Liten konferanse", template="dk1_school")
    for i, role in enumerate(["Lærer", "Assistent", "Rektor"]):
        participants.join(c, client_uuid=uuid.uuid4(), name=f"Person {i + 1}", role=role)
    with pytest.raises(ServiceError) as exc:
        groups.propose(c, rnd(c, "group", 1), strategy=strategy)
    with force_locale(lang):
        shown = message(exc.value)
    assert shown == expected
    assert "by:" not in shown and "'keep'" not in shown
    assert rnd(c, "group", 1).groups == []  # nothing was made


@pytest.mark.parametrize(
    ("lang", "criterion", "not_assessed"),
    [
        ("nb", "Tiltaket er reelt tverrfaglig", "ikke vurdert"),
        ("nn", "Tiltaket er reelt tverrfagleg", "ikkje vurdert"),
    ],
)
def test_initiative_forms_follow_the_ui_language_and_say_not_assessed(
    app: Flask, facilitator: Facilitator, conf: Conference, lang: str, criterion: str, not_assessed: str
) -> None:
    made_initiative(conf)
    client = app.test_client()
    client.set_cookie("confapp_lang", lang)
    token = facilitators.issue_api_token(facilitator)
    auth = {"Authorization": f"Bearer {token}"}
    r = client.get(f"/api/v1/conferences/{conf.id}/initiatives.docx", headers=auth)
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.data))
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert [criterion, not_assessed] in rows
