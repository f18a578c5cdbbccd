"""The evaluation round at the next conference (DK2/DK3): each table evaluates one measure.

Service level, on the in-process app with a real SQLite file. DK1 (the demo) gives two measures; the
steering group puts them in trial with trial teams; DK2's facilitator makes its first group round an
evaluation round, seats the trial teams by measure, and the tables' points land on the measures."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from confapp import db
from confapp.demo import DEMO_EMAIL, make_demo
from confapp.errors import Conflict, ServiceError
from confapp.models import Conference, EventRecord, Facilitator, Measure, Participant, RoundKind
from confapp.services import (
    bullets,
    conferences,
    evaluation,
    groups,
    initiatives,
    measure_log,
    measures,
    participants,
    rounds,
    snapshot,
)

TEAMS = (
    ("Ada Berg", "Ada Berg, Bjørn Dahl og Tor Ulven (helsesykepleier)"),
    ("Siri Tangen", "Unni Vik\nVidar Wold"),
)
OTHERS = ["Kari Lund", "Lars Moe", "Mona Nes", "Nils Olsen", "Oda Pettersen", "Per Rønning", "Åse Aas"]


def _trial(conf1: Conference, m: Measure, coordinator: str, team: str) -> Measure:
    m = initiatives.update(conf1, m.id, {"coordinator": coordinator, "participants": team}, version=m.version)
    measures.change_status(m, "concretised", actor="Ressursteamet")
    measures.change_status(m, "decided", actor="Styringsgruppa", decided_on="2027-01-10", decision_note="Ja")
    measures.change_status(m, "in_trial", actor="Rektor", trial_start="2027-01-15", trial_end="2027-06-15")
    return m


@pytest.fixture
def series(app: Flask) -> tuple[Conference, list[Measure], dict[str, Participant]]:
    """DK1 with two measures in trial (one logged), and DK2 with everyone joined, not started."""
    conf1 = db.get(Conference, make_demo().conference_id)
    made = [
        _trial(conf1, m, coordinator, team)
        for m, (coordinator, team) in zip(initiatives.of_conference(conf1), TEAMS, strict=True)
    ]
    _link, token = measure_log.create_link(made[0], "")
    for day, done in (("2027-02-01", "Første møte"), ("2027-03-01", "Andre møte"), ("2027-04-01", "Tredje")):
        measure_log.add_entry(
            token, client_uuid=str(uuid.uuid4()), happened_on=day, done=done, learned="Lærdom"
        )
    me = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    conf2 = conferences.create_conference(me, title="DK2", template="dk2_school", held_on=date(2027, 9, 1))
    names = ["Ada Berg", "Bjørn Dahl", "Tor Ulven", "Siri Tangen", "Unni Vik", "Vidar Wold", *OTHERS]
    people = {
        name: participants.join(conf2, client_uuid=uuid.uuid4(), name=name, role=role)[0]
        for name, role in zip(names, ["Lærer", "Lærer", "Helsesykepleier", "Sosiallærer"] * 4, strict=False)
    }
    return conf2, made, people


def first_group_round(conf: Conference):  # type: ignore[no-untyped-def]
    return next(r for r in conf.rounds if r.kind == RoundKind.GROUP)


def test_the_default_choice_is_the_measures_in_trial_and_tables_follow_it(series) -> None:  # type: ignore[no-untyped-def]
    conf, made, _people = series
    rnd = first_group_round(conf)
    assert evaluation.choose(conf, rnd) == made
    assert [rm.measure_id for rm in rnd.measures] == [m.id for m in made]
    groups.propose(conf, rnd)  # no size given: one table per measure
    assert [g.measure_id for g in rnd.groups] == [m.id for m in made]
    # a measure no longer in trial is not offered by default
    measures.change_status(made[1], "stopped", actor="Styringsgruppa", reason="Dekkes av annet tiltak")
    assert evaluation.default_choice(conf) == [made[0]]


def test_choosing_again_keeps_what_stays_and_reorders_the_tables(series) -> None:  # type: ignore[no-untyped-def]
    conf, made, _ = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd, [made[0].id])
    evaluation.choose(conf, rnd, [made[1].id, made[0].id])  # the first stays chosen, now at table 2
    assert [(rm.measure_id, rm.position) for rm in rnd.measures] == [(made[1].id, 1), (made[0].id, 2)]


@pytest.mark.parametrize(
    ("ids", "code"),
    [("1", "invalid"), ([1, 1], "invalid"), ([999], "not_found"), ([True], "invalid")],
)
def test_bad_choices_change_nothing(series, ids, code) -> None:  # type: ignore[no-untyped-def]
    conf, made, _ = series
    rnd = first_group_round(conf)
    if ids == [1, 1]:
        ids = [made[0].id, made[0].id]
    with pytest.raises(ServiceError) as caught:
        evaluation.choose(conf, rnd, ids)
    assert caught.value.code == code
    assert rnd.measures == []


def test_a_started_round_or_a_plenary_cannot_be_made_an_evaluation_round(series) -> None:  # type: ignore[no-untyped-def]
    conf, _, _ = series
    plenary = next(r for r in conf.rounds if r.kind == RoundKind.PLENARY)
    with pytest.raises(ServiceError):
        evaluation.choose(conf, plenary)
    rnd = first_group_round(conf)
    rounds.start(conf, rnd)
    with pytest.raises(Conflict):
        evaluation.choose(conf, rnd)


def test_by_measure_seats_each_trial_team_at_its_measures_table(series) -> None:  # type: ignore[no-untyped-def]
    conf, made, people = series
    rnd = first_group_round(conf)
    # the facilitator adds one person the plan does not name to the second measure's team
    evaluation.choose(conf, rnd, [m.id for m in made], teams={str(made[1].id): "Kari Lund"})
    groups.propose(conf, rnd, strategy="by:measure")
    seats = {m.participant.display_name: g.number for g in rnd.groups for m in g.memberships}
    assert {seats[n] for n in ("Ada Berg", "Bjørn Dahl", "Tor Ulven")} == {1}
    assert {seats[n] for n in ("Siri Tangen", "Unni Vik", "Vidar Wold", "Kari Lund")} == {2}
    assert sorted(len(g.memberships) for g in rnd.groups) == [6, 7]
    assert rnd.strategy == "by:measure"


def test_by_measure_needs_chosen_measures(series) -> None:  # type: ignore[no-untyped-def]
    conf, _, _ = series
    rnd = first_group_round(conf)
    with pytest.raises(ServiceError) as caught:
        groups.propose(conf, rnd, strategy="by:measure")
    assert caught.value.code == "grouping"
    assert rnd.groups == []


def test_a_tables_phones_get_the_plan_the_log_summary_and_the_three_questions(series) -> None:  # type: ignore[no-untyped-def]
    conf, made, _ = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd)
    groups.propose(conf, rnd, strategy="by:measure")
    brief = evaluation.brief(rnd.groups[0])
    assert brief is not None
    assert (brief["id"], brief["status"], brief["plan"]["coordinator"]) == (
        made[0].id,
        "in_trial",
        "Ada Berg",
    )
    assert brief["plan"]["goal"] == made[0].goal
    assert [e["done"] for e in brief["log"]] == ["Tredje", "Andre møte", "Første møte"]  # newest first
    assert [q["field"] for q in brief["questions"]] == ["what_works", "what_to_adjust", "daily_operation"]
    assert evaluation.brief(rnd.groups[1])["log"] == []


def test_a_tables_points_land_on_its_measures_timeline_and_status_news_reaches_dk2(series) -> None:  # type: ignore[no-untyped-def]
    conf, made, people = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd)
    groups.propose(conf, rnd, strategy="by:measure")
    rounds.start(conf, rnd)
    table = rnd.groups[0]
    leader = db.get(Participant, table.leader_id)
    reporter = next(m.participant for m in table.memberships if m.participant_id != leader.id)
    groups.set_reporter(conf, table, reporter.id, by=leader, client_uuid=uuid.uuid4())
    point = bullets.post(conf, reporter, group_id=table.id, client_uuid=uuid.uuid4(), text_="Fungerer godt")
    items = [i for i in measures.timeline(made[0]) if i["kind"] == "evaluation_point"]
    assert [(i["bullet_id"], i["conference"], i["table"]) for i in items] == [(point.id, "DK2", 1)]
    assert evaluation.points(made[1]) == []
    assert evaluation.of_conference(conf) == [(made[0], [table]), (made[1], [rnd.groups[1]])]
    # A status change of the measure is told to DK2 too (its phones follow the measure).
    assert conf.id in measures.conference_ids(made[0])
    measure_log.evaluate(
        made[0], actor="Rektor", held_on="2027-09-01", what_works="Mye", what_to_adjust="Lite",
        daily_operation="Ja", trial_people="Ada Berg",
    )  # fmt: skip
    news = db.session.scalars(
        select(EventRecord).where(EventRecord.conference_id == conf.id).order_by(EventRecord.seq.desc())
    ).all()[:2]
    assert [(e.type, e.payload.get("initiative", e.payload.get("measure"))["status"]) for e in news] == [
        ("measure.saved", "evaluated"),  # every screen, the projector too: no names in it
        ("initiative.saved", "evaluated"),
    ]
    assert news[0].payload == {"measure": {"id": made[0].id, "title": made[0].title, "status": "evaluated"}}


def test_creating_a_dk2_offers_the_measures_in_trial_and_its_first_round_evaluates_the_ticked(series) -> None:  # type: ignore[no-untyped-def]
    _conf, made, _ = series
    me = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    assert evaluation.offered(me) == made
    # The form's ticked boxes arrive as strings; the order is the tables' order.
    dk3 = evaluation.create_conference(me, [str(made[1].id)], title="DK3", template="dk3_school")
    assert [rm.measure_id for rm in first_group_round(dk3).measures] == [made[1].id]
    dk2 = evaluation.create_conference(me, None, title="DK2 igjen", template="dk2_municipal")
    assert [rm.measure_id for rm in first_group_round(dk2).measures] == [m.id for m in made]
    nothing = evaluation.create_conference(me, [], title="DK2 uten tiltak", template="dk2_school")
    assert first_group_round(nothing).measures == []
    # A template that does not evaluate ignores the boxes.
    dk1 = evaluation.create_conference(me, [str(made[0].id)], title="Ny DK1", template="dk1_school")
    assert all(r.measures == [] for r in dk1.rounds)


@pytest.mark.parametrize(
    ("ids", "code"),
    [(["999"], "not_found"), (["x"], "invalid"), ("12", "invalid"), (["dup", "dup"], "invalid")],
)
def test_a_bad_choice_of_measures_creates_no_conference(series, ids, code) -> None:  # type: ignore[no-untyped-def]
    _conf, made, _ = series
    me = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    if ids == ["dup", "dup"]:
        ids = [str(made[0].id)] * 2
    before = db.session.scalar(select(func.count(Conference.id)))
    with pytest.raises(ServiceError) as caught:
        evaluation.create_conference(me, ids, title="DK2", template="dk2_school")
    assert caught.value.code == code
    assert db.session.scalar(select(func.count(Conference.id))) == before


def test_the_table_and_the_round_say_which_measure_to_every_screen(series) -> None:  # type: ignore[no-untyped-def]
    from confapp import schemas

    conf, made, _ = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd)
    groups.propose(conf, rnd)
    header = schemas.group_header(rnd.groups[0])
    assert header["measure"] == {"id": made[0].id, "title": made[0].title, "status": "in_trial"}
    assert schemas.round_(rnd)["measure_ids"] == [m.id for m in made]
    evaluation.choose(conf, rnd, [])  # an ordinary round again
    assert [g.measure_id for g in rnd.groups] == [None, None]


def test_the_conference_report_has_an_evaluation_section_per_measure(series) -> None:  # type: ignore[no-untyped-def]
    import io

    from docx import Document

    from confapp.services import reports
    from exports.report import build_report

    conf, made, _ = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd)
    groups.propose(conf, rnd, strategy="by:measure")
    rounds.start(conf, rnd)
    for table, said in zip(rnd.groups, ("Faste møter virker", "Skjemaet brukes lite"), strict=True):
        leader = db.get(Participant, table.leader_id)
        reporter = next(m.participant for m in table.memberships if m.participant_id != leader.id)
        groups.set_reporter(conf, table, reporter.id, by=leader, client_uuid=uuid.uuid4())
        bullets.post(conf, reporter, group_id=table.id, client_uuid=uuid.uuid4(), text_=said)
    doc = Document(io.BytesIO(build_report(reports.conference_report(conf), "nb")))
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    start = heads.index(("Heading 1", "Evaluering av tiltak"))
    assert heads[start + 1 :] == [
        ("Heading 2", made[0].title), ("Heading 3", "Punkter fra bordet"),
        ("Heading 2", made[1].title), ("Heading 3", "Punkter fra bordet"),
    ]  # fmt: skip
    texts = [p.text for p in doc.paragraphs]
    section = texts[texts.index("Evaluering av tiltak") :]  # the points also stand in the proceedings
    order = [section.index(x) for x in ("Faste møter virker", made[1].title, "Skjemaet brukes lite")]
    assert order == sorted(order)
    facts = [[c.text for c in row.cells] for t in doc.tables[-2:] for row in t.rows]
    assert ["Status nå", "Under utprøving"] in facts and ["Evaluert ved bord", "2"] in facts


def test_anonymising_dk2_scrubs_names_in_the_log_and_evaluations_of_the_measures_it_evaluated(series) -> None:  # type: ignore[no-untyped-def]
    from confapp.services import privacy

    conf, made, _ = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd, [made[0].id])
    groups.propose(conf, rnd, groups=2)
    _link, token = measure_log.create_link(made[0], "")
    entry = measure_log.add_entry(
        token, client_uuid=str(uuid.uuid4()), happened_on="2027-05-01", done="Ada Berg ledet møtet",
        who="Ada Berg, Tor Ulven", learned="Tor Ulven kom",
    )  # fmt: skip
    review = measure_log.evaluate(
        made[0], actor="Rektor", held_on="2027-06-15", what_works="Ada Berg sin modell",
        what_to_adjust="Lite", daily_operation="Ja", trial_people="Ada Berg og Bjørn Dahl",
    )  # fmt: skip
    untouched = measure_log.add_entry(  # a measure DK2 did not evaluate keeps its log
        measure_log.create_link(made[1], "")[1], client_uuid=str(uuid.uuid4()), happened_on="2027-05-02",
        done="Ada Berg var med",
    )  # fmt: skip
    rounds.finish(conf)
    privacy.anonymise(conf)
    db.session.expire_all()
    stored = " ".join([entry.done, entry.who, entry.learned, review.what_works, review.trial_people])
    assert "Ada Berg" not in stored and "Tor Ulven" not in stored and "Bjørn Dahl" not in stored
    assert "Deltaker 1" in entry.done
    assert untouched.done == "Ada Berg var med"


def test_the_api_creates_a_dk2_that_evaluates_the_measures_in_trial(series, app: Flask) -> None:  # type: ignore[no-untyped-def]
    from support import fresh_client

    _conf, made, _ = series
    from confapp.services import facilitators

    client = fresh_client(app)
    me = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    auth = {"Authorization": f"Bearer {facilitators.issue_api_token(me)}"}
    made_dk2 = client.post(
        "/api/v1/conferences",
        json={"title": "DK2", "template": "dk2_school", "measure_ids": None},
        headers=auth,
    )
    assert made_dk2.status_code == 201, made_dk2.get_json()
    first = next(r for r in made_dk2.get_json()["rounds"] if r["kind"] == "group")
    assert first["measure_ids"] == [m.id for m in made]
    plain = client.post(
        "/api/v1/conferences", json={"title": "DK2 b", "template": "dk2_school"}, headers=auth
    )
    assert all(r["measure_ids"] == [] for r in plain.get_json()["rounds"])
    bad = client.post(
        "/api/v1/conferences",
        json={"title": "DK2 c", "template": "dk2_school", "measure_ids": [999]},
        headers={**auth, "Accept-Language": "nb"},
    )
    assert (bad.status_code, bad.get_json()["error"]["message"]) == (400, "Finner ikke tiltaket.")


def test_table_mates_share_their_table_but_each_gets_its_own_seat_and_the_newest_log(series) -> None:  # type: ignore[no-untyped-def]
    """The phones' snapshot shares a table's people and points between table-mates (built once per `seq`,
    issue 16); a seat stays each phone's own, and a log entry made in DK1 reaches the next phone that
    syncs."""
    conf, made, people = series
    rnd = first_group_round(conf)
    evaluation.choose(conf, rnd)
    groups.propose(conf, rnd, strategy="by:measure")
    groups.publish(conf, rnd)
    table = rnd.groups[0]
    mates = [people[name] for name in ("Ada Berg", "Bjørn Dahl", "Tor Ulven")]
    assert {m.participant_id for m in table.memberships} >= {p.id for p in mates}

    def seen_by(p: Participant) -> tuple[dict, dict]:  # type: ignore[type-arg]
        snap = snapshot.snapshot(conf, snapshot.Viewer("participant", p))
        return next(g for g in snap["groups"] if g["id"] == table.id), snap["seat"]

    first, seat_a = seen_by(mates[0])
    _link, token = measure_log.create_link(made[0], "")
    measure_log.add_entry(token, client_uuid=str(uuid.uuid4()), happened_on="2027-05-01", done="Fjerde")
    second, seat_b = seen_by(mates[1])
    assert second["members"] == first["members"] and len(first["members"]) == len(table.memberships)
    assert first["evaluation"]["log"][0]["done"] == "Tredje"
    assert second["evaluation"]["log"][0]["done"] == "Fjerde"
    leader = next(p for p in mates if p.id == table.leader_id)
    other = next(p for p in mates if p.id != table.leader_id)
    assert seen_by(leader)[1]["may_appoint"] is True
    assert seen_by(other)[1]["may_appoint"] is False
    assert seat_a["group_id"] == seat_b["group_id"] == table.id
