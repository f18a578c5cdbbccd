"""Measures after the conference: the lifecycle's rules, its history, the guide's advice (never
blocking), milestones, the coordinator's log link and the evaluation. Service level, on the
in-process app with a real SQLite file; the demo conference supplies real points and two drafts."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from confapp import db
from confapp.demo import make_demo
from confapp.errors import NotFound, ServiceError
from confapp.models import Conference, EventRecord, Measure, MeasureEvent
from confapp.services import initiatives, measure_log, measures, organisations


@pytest.fixture
def demo(app: Flask) -> tuple[Conference, list[Measure]]:
    conf = db.get(Conference, make_demo().conference_id)
    return conf, initiatives.of_conference(conf)


def trial(m: Measure) -> None:
    """Walk a draft to "in trial" the way the steering group does."""
    measures.change_status(m, "concretised", actor="Ressursteamet", reason="Planen er konkret")
    measures.change_status(
        m, "decided", actor="Styringsgruppa", decided_on="2027-01-10", decision_note="Vedtatt i møte 1/27"
    )
    measures.change_status(m, "in_trial", actor="Rektor", trial_start="2027-01-15", trial_end="2027-06-15")


def test_measures_belong_to_the_default_organisation(demo: tuple[Conference, list[Measure]]) -> None:
    conf, made = demo
    org = organisations.default()
    assert [m.organisation_id for m in made] == [org.id, org.id]
    assert measures.of_organisation(org) == made
    assert organisations.by_public_key(org.public_key) == org
    with pytest.raises(NotFound):
        organisations.by_public_key("guess")


def test_each_step_records_who_when_why_and_what_it_needs(demo: tuple[Conference, list[Measure]]) -> None:
    conf, (m, _) = demo
    trial(m)
    steps = measures.history(m)
    assert [(e.from_status, e.to_status, e.actor) for e in steps] == [
        ("draft", "concretised", "Ressursteamet"),
        ("concretised", "decided", "Styringsgruppa"),
        ("decided", "in_trial", "Rektor"),
    ]
    assert steps[0].reason == "Planen er konkret"
    assert steps[1].details == {"decision_note": "Vedtatt i møte 1/27", "decided_on": "2027-01-10"}
    assert steps[2].details == {"trial_start": "2027-01-15", "trial_end": "2027-06-15"}
    assert all(e.created_at.tzinfo is not None for e in steps)
    assert (m.status, m.decided_on, m.trial_start, m.trial_end) == (
        "in_trial", date(2027, 1, 10), date(2027, 1, 15), date(2027, 6, 15),
    )  # fmt: skip
    # The conference the measure grew from hears of it: phones show "what became of our points".
    last = db.session.scalars(
        select(EventRecord).where(EventRecord.conference_id == conf.id).order_by(EventRecord.seq.desc())
    ).first()
    assert (last.type, last.payload["initiative"]["id"], last.payload["initiative"]["status"]) == (
        "initiative.saved", m.id, "in_trial",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("prepare", "to", "kwargs", "code"),
    [
        (0, "in_trial", {"trial_start": "2027-01-01", "trial_end": "2027-02-01"}, "transition"),
        (0, "daily_operation", {}, "transition"),
        (1, "decided", {"decided_on": "2027-01-10", "decision_note": " "}, "empty"),
        (1, "decided", {"decided_on": "10. januar", "decision_note": "Ja"}, "invalid"),
        (2, "in_trial", {"trial_start": "2027-03-01", "trial_end": "2027-02-01"}, "invalid"),
        (2, "in_trial", {"trial_start": "2027-03-01"}, "invalid"),
        (3, "evaluated", {}, "evaluate"),  # only an evaluation record marks it evaluated
        (0, "finished", {}, "invalid"),
    ],
)
def test_a_wrong_step_is_refused_and_changes_nothing(
    demo: tuple[Conference, list[Measure]], prepare: int, to: str, kwargs: dict, code: str
) -> None:
    _, (m, _) = demo
    steps = [
        ("concretised", {}),
        ("decided", {"decided_on": "2027-01-10", "decision_note": "Vedtatt"}),
        ("in_trial", {"trial_start": "2027-01-15", "trial_end": "2027-06-15"}),
    ]
    for status, extra in steps[:prepare]:
        measures.change_status(m, status, actor="Styringsgruppa", **extra)
    before = (m.status, m.version, len(measures.history(m)))
    with pytest.raises(ServiceError) as caught:
        measures.change_status(m, to, actor="Styringsgruppa", **kwargs)
    assert caught.value.code == code
    db.session.expire_all()
    assert (m.status, m.version, len(measures.history(m))) == before


def test_the_guides_rules_are_shown_and_never_block(demo: tuple[Conference, list[Measure]]) -> None:
    conf, (planned, sketchy) = demo
    assert [n.code for n in measures.rules(planned)] == ["no_dates"]
    assert [n.code for n in measures.rules(sketchy)] == [
        "no_coordinator",
        "not_lasting",
        "not_all_pupils",
        "no_dates",
    ]
    sketchy = initiatives.update(
        conf, sketchy.id, {"coordinator": "Trinnleder 5", "coordinator_is_grade_team_leader": True,
                           "main_arena": "other"}, version=sketchy.version,
    )  # fmt: skip
    codes = [n.code for n in measures.rules(sketchy)]
    assert codes[:2] == ["coordinator_is_leader", "no_arena"]
    trial(sketchy)  # advice, not a gate
    assert sketchy.status == "in_trial"
    assert "no_dates" not in [n.code for n in measures.rules(sketchy)]


def test_milestones_come_from_the_time_frame_and_the_trial_dates(
    demo: tuple[Conference, list[Measure]],
) -> None:
    conf, (m, _) = demo
    m = initiatives.update(
        conf, m.id, {"timeframe": "Oppstart i ressursteamet 2027-01-20\nUtan dato\nMidtveis: 15.3.2027\n"
                                  "31.02.2027 feil"}, version=m.version,
    )  # fmt: skip
    trial(m)
    assert [(x["on"], x["kind"], x["text"]) for x in measures.milestones(m)] == [
        (date(2027, 1, 15), "trial_start", ""),
        (date(2027, 1, 20), "plan", "Oppstart i ressursteamet"),
        (date(2027, 3, 15), "plan", "Midtveis"),
        (date(2027, 6, 15), "trial_end", ""),
    ]


def test_the_coordinators_link_logs_once_per_entry_and_can_be_revoked(
    demo: tuple[Conference, list[Measure]],
) -> None:
    _, (m, other) = demo
    trial(m)
    link, token = measure_log.create_link(m, "")
    assert link.holder == m.coordinator and link.token_hash != token
    key = str(uuid.uuid4())
    fields = {"happened_on": "2027-02-01", "done": "Første møte med helsesykepleier", "who": "5A-lærerne",
              "learned": "Faste tider hjelper"}  # fmt: skip
    first = measure_log.add_entry(token, client_uuid=key, **fields)
    again = measure_log.add_entry(token, client_uuid=key, **fields)  # the phone's retry
    assert first.id == again.id and len(measure_log.entries(m)) == 1
    assert measure_log.entries(other) == []
    with pytest.raises(ServiceError) as caught:
        measure_log.add_entry(token, client_uuid=str(uuid.uuid4()), happened_on="2027-02-02", done="  ")
    assert caught.value.code == "empty"
    measure_log.revoke_link(m, link.id)
    with pytest.raises(NotFound):
        measure_log.add_entry(token, client_uuid=str(uuid.uuid4()), **fields)
    assert [e.done for e in measure_log.entries(m)] == ["Første møte med helsesykepleier"]  # entries stay
    timeline = measures.timeline(m)
    assert [i["kind"] for i in timeline if i["kind"] != "source"] == ["status", "status", "status", "log"]


def test_evaluation_needs_someone_from_the_trial_then_the_steering_group_decides(
    demo: tuple[Conference, list[Measure]],
) -> None:
    _, (m, _) = demo
    answers = {"held_on": "2027-06-10", "what_works": "Faste møter", "what_to_adjust": "Færre skjema",
               "daily_operation": "Ja, inn i årshjulet"}  # fmt: skip
    with pytest.raises(ServiceError) as caught:
        measure_log.evaluate(m, actor="Rektor", trial_people="Kari", **answers)
    assert caught.value.code == "not_in_trial"
    trial(m)
    with pytest.raises(ServiceError) as caught:
        measure_log.evaluate(m, actor="Rektor", trial_people=" ", **answers)
    assert caught.value.code == "empty" and m.status == "in_trial"
    measure_log.evaluate(m, actor="Rektor", trial_people="Kari (koordinator)", **answers)
    assert m.status == "evaluated"
    measures.change_status(m, "daily_operation", actor="Styringsgruppa", reason="Fungerer")
    assert [e.to_status for e in measures.history(m)][-2:] == ["evaluated", "daily_operation"]
    kinds = [i["kind"] for i in measures.timeline(m)]
    assert "evaluation" in kinds and kinds.count("status") == 5


def test_the_timeline_names_each_source_points_conference_and_table(
    demo: tuple[Conference, list[Measure]],
) -> None:
    conf, (m, _) = demo
    sources = [i for i in measures.timeline(m) if i["kind"] == "source"]
    assert sources and len(sources) == len(measures.sources(m))
    assert all(i["conference_id"] == conf.id and i["conference"] == conf.title for i in sources)
    assert all(isinstance(i["table"], int) for i in sources)
    assert db.session.scalar(select(MeasureEvent)) is None  # reading changes nothing
