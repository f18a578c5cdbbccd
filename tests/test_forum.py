"""The strategy forum, service side: a school escalates a measure or a question, the forum's agenda
(oldest first; a postponed one keeps its place), the decision and who follows up, the answer on the
measure's timeline, a municipal conference taking the question, who may do what, and bad input that
changes nothing. Real SQLite through the in-process app."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from forum_world import ForumWorld, make_forum_world
from sqlalchemy import func, select

from confapp import db
from confapp.errors import Conflict, Forbidden, NotFound, ServiceError
from confapp.live import events
from confapp.live.audiences import STAFF, ViewerKind
from confapp.models import Escalation, EventRecord, Round
from confapp.services import forum, measures, memberships


@pytest.fixture
def w(app: Flask) -> ForumWorld:
    return make_forum_world()


def count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Escalation)) or 0)


def test_a_school_escalates_and_the_forum_decides_and_the_school_sees_the_answer(w: ForumWorld) -> None:
    p = w.people
    e = forum.escalate_measure(p["principal"], w.measure, "Trenger kommunal rutine for skolevegring")
    assert (e.school_id, e.forum_id, e.status) == (w.north.id, w.muni.id, "open")
    assert forum.agenda(w.muni) == [e] and forum.minutes(w.muni) == []
    due = date.today() + timedelta(days=30)
    forum.decide(p["muni_steering"], e, "Kommunen lager felles rutine", "PPT-leder", due.isoformat())
    assert forum.agenda(w.muni) == [] and forum.minutes(w.muni) == [e]
    assert (e.status, e.follow_up, e.follow_up_due, e.decided_by) == (
        "decided",
        "PPT-leder",
        due,
        "Muni Steering",
    )
    kinds = [item["kind"] for item in measures.timeline(w.measure)]
    assert kinds[-2:] == ["escalated", "escalation_decided"]
    answer = measures.timeline(w.measure)[-1]
    assert answer["decision"] == "Kommunen lager felles rutine" and answer["follow_up"] == "PPT-leder"
    # Each change is in the conference's log, for staff only (never phones, never the big screen).
    logged = db.session.scalars(
        select(EventRecord).where(EventRecord.type == "escalation.saved").order_by(EventRecord.seq)
    ).all()
    assert [r.payload["escalation"]["status"] for r in logged] == ["open", "decided"]
    assert {r.audience for r in logged} == {str(STAFF)}
    for kind in ViewerKind:  # the one rule of live stream and replay alike
        heard = events.for_viewer(kind, "escalation.saved", STAFF, logged[0].payload, {1, 2, 3})
        assert (heard is not None) == (kind == ViewerKind.FACILITATOR), kind
    with pytest.raises(Conflict):
        forum.decide(p["muni_admin"], e, "En gang til", "Noen")
    with pytest.raises(Conflict):
        forum.postpone(p["muni_admin"], e, "Senere")


def test_the_agenda_is_oldest_first_and_a_postponed_one_keeps_its_place(w: ForumWorld) -> None:
    p = w.people
    first = forum.escalate_measure(p["coordinator"], w.measure, "Første")
    second = forum.escalate_question(p["south_principal"], w.south, "Andre: skyss til PPT")
    third = forum.escalate_measure(p["north_facilitator"], w.other_measure, "Tredje")
    forum.postpone(p["muni_admin"], first, "Venter på tall fra PPT")
    assert forum.agenda(w.muni) == [first, second, third]
    assert first.status == "postponed" and first.postponements[0]["reason"] == "Venter på tall fra PPT"
    forum.decide(p["muni_admin"], second, "Skyss dekkes", "Kommunalsjef")
    assert forum.agenda(w.muni) == [first, third]
    assert forum.of_school(w.south) == [second]
    kinds = [item["kind"] for item in measures.timeline(w.measure)]
    assert kinds[-2:] == ["escalated", "escalation_postponed"]
    # One open escalation per measure: the agenda shows it once.
    with pytest.raises(Conflict, match="already on the forum's agenda"):
        forum.escalate_measure(p["principal"], w.measure, "Igjen")


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("x" * (forum.TEXT_MAX + 1), "too_long"),
        (None, "invalid"),
        (5, "invalid"),
    ],
)
def test_bad_descriptions_are_refused_and_change_nothing(
    w: ForumWorld, description: object, code: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        forum.escalate_measure(w.people["principal"], w.measure, description)
    assert caught.value.code == code
    with pytest.raises(ServiceError):
        forum.escalate_question(w.people["principal"], w.north, description)
    assert count() == 0


def test_bad_decisions_and_postponements_change_nothing(w: ForumWorld) -> None:
    e = forum.escalate_measure(w.people["principal"], w.measure, "Felles plan for overganger")
    steering = w.people["muni_steering"]
    for decision, follow_up, due in (
        ("", "PPT", None),
        ("Vedtak", "", None),
        ("Vedtak", "x" * 201, None),
        ("x" * 4001, "PPT", None),
        ("Vedtak", "PPT", "31.02.2027"),
    ):
        with pytest.raises(ServiceError):
            forum.decide(steering, e, decision, follow_up, due)
    with pytest.raises(ServiceError):
        forum.postpone(steering, e, " ")
    db.session.expire_all()
    assert (e.status, e.decision, e.follow_up, e.postponements) == ("open", "", "", [])
    logged = db.session.scalars(select(EventRecord).where(EventRecord.type == "escalation.saved")).all()
    assert [r.payload["escalation"]["status"] for r in logged] == ["open"]


def test_who_may_escalate_read_and_decide(w: ForumWorld) -> None:
    p = w.people
    may_escalate_measure = {key: memberships.can(f, "measure.escalate", w.measure) for key, f in p.items()}
    assert may_escalate_measure == {
        "muni_admin": False, "muni_steering": False, "muni_viewer": False, "principal": True,
        "north_steering": True, "north_facilitator": True, "north_viewer": False, "coordinator": True,
        "south_principal": False,
    }  # fmt: skip
    # A coordinator only for the measure they coordinate, and no questions of their own.
    assert not memberships.can(p["coordinator"], "measure.escalate", w.other_measure)
    assert not memberships.can(p["coordinator"], "forum.escalate", w.north)
    decides = {key for key, f in p.items() if memberships.can(f, "forum.decide", w.muni)}
    assert decides == {"muni_admin", "muni_steering"}
    reads_forum = {key for key, f in p.items() if memberships.can(f, "forum.read", w.muni)}
    assert reads_forum == {"muni_admin", "muni_steering", "muni_viewer"}
    e = forum.escalate_question(p["principal"], w.north, "Spørsmål")
    with pytest.raises(Forbidden):
        forum.escalate_question(p["north_viewer"], w.north, "Spørsmål")
    with pytest.raises(NotFound):  # another school's measure: it does not exist for them
        forum.escalate_measure(p["south_principal"], w.measure, "Spørsmål")
    with pytest.raises(Forbidden):
        forum.decide(p["muni_viewer"], e, "Vedtak", "PPT")
    with pytest.raises(Forbidden):  # the school reads the answer, it does not give it
        forum.decide(p["principal"], forum.get(p["principal"], e.id), "Vedtak", "PPT")
    with pytest.raises(NotFound):
        forum.get(p["south_principal"], e.id)
    with pytest.raises(NotFound):
        forum.get(p["principal"], 999_999)
    assert forum.get(p["muni_viewer"], e.id) == e
    with pytest.raises(Forbidden):  # the municipality puts its own questions on its agenda, not "up"
        forum.escalate_question(p["muni_admin"], w.muni, "Kommunen selv")
    assert count() == 1


def test_a_municipal_conference_takes_an_escalated_question_as_its_group_question(w: ForumWorld) -> None:
    e = forum.escalate_question(w.people["principal"], w.north, "Hvordan deler vi PPT-ressursene?")
    rounds = forum.question_rounds(w.muni)
    assert rounds and all(r.conference_id == w.municipal_conference.id for r in rounds)
    with pytest.raises(NotFound):  # the school's principal does not run the municipal conference
        forum.use_as_question(w.people["principal"], e, rounds[0])
    forum.use_as_question(w.people["muni_admin"], e, rounds[0])
    db.session.expire_all()
    assert db.session.get(Round, rounds[0].id).question == "Hvordan deler vi PPT-ressursene?"
    assert e.round_id == rounds[0].id
    logged = db.session.scalar(
        select(EventRecord).where(
            EventRecord.conference_id == w.municipal_conference.id, EventRecord.type == "escalation.saved"
        )
    )
    assert logged is not None and logged.audience == str(STAFF)
    school_rounds = [
        r for r in db.session.scalars(select(Round)) if r.conference_id != w.municipal_conference.id
    ]
    with pytest.raises(ServiceError, match="municipal conference"):  # the principal runs a school's DK1
        forum.use_as_question(w.people["principal"], e, school_rounds[0])


def test_the_demo_municipality_has_an_agenda_and_an_answered_escalation(app: Flask) -> None:
    from confapp.demo_municipality import make_municipality
    from confapp.services import organisations

    made = make_municipality()
    muni = organisations.get(made.municipality_id)
    nordli, sorbyen, vestre = made.school_ids
    assert [(e.school_id, e.status) for e in forum.agenda(muni)] == [(sorbyen, "postponed"), (nordli, "open")]
    (answered,) = forum.minutes(muni)
    assert answered.school_id == vestre and answered.follow_up == "Leder i PPT" and answered.follow_up_due
    measure = db.session.get(measures.Measure, answered.measure_id)
    assert measures.timeline(measure)[-1]["kind"] == "escalation_decided"


def test_anonymising_the_conference_scrubs_names_from_its_measures_escalation(w: ForumWorld) -> None:
    import uuid

    from confapp.models import Conference
    from confapp.services import participants, privacy, rounds

    conf = db.session.get(Conference, w.measure.conference_id)
    participants.join(conf, client_uuid=str(uuid.uuid4()), name="Kari Nordmann", role="Lærer")
    e = forum.escalate_measure(w.people["principal"], w.measure, "Kari Nordmann ber om en felles rutine")
    forum.postpone(w.people["muni_admin"], e, "Vi må høre Kari Nordmann først")
    rounds.finish(conf)
    privacy.anonymise(conf)
    db.session.expire_all()
    assert "Kari" not in e.text and "Kari" not in e.postponements[0]["reason"]
    assert e.text == "Deltaker 1 ber om en felles rutine"


def test_the_measure_page_offers_the_forum_to_who_may_escalate(app: Flask, w: ForumWorld) -> None:
    from forum_world import PASSWORD
    from support import fresh_client

    for key, offered in (
        ("principal", True),
        ("coordinator", True),
        ("north_viewer", False),
        ("muni_admin", False),
    ):
        client = fresh_client(app)
        csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"email": f"{key}@example.no", "password": PASSWORD, "csrf_token": csrf})
        page = client.get(f"/measures/{w.measure.id}")
        assert page.status_code == 200, key
        assert ('id="escalate-form"' in page.get_data(as_text=True)) == offered, key
