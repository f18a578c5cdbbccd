"""The experience bank (issue 15, point 4), service side on a real SQLite file.

A municipality with schools A and B, and another municipality with school C. School A's measures carry
invented names (the coordinator "Kari Nordmann", a trial team, a steering-group member's status step);
a reader from school B finds them by every filter and sees roles where the names stood, a reader of
school A sees the names, a person of the other municipality is told the bank does not exist. A bank
example becomes preparation material of a draft conference, once, and never of a started one.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from flask import Flask
from support import fresh_client

from confapp import db
from confapp.errors import Conflict, NotFound, ServiceError
from confapp.models import Conference, Facilitator, Measure, Organisation, OrganisationKind
from confapp.services import (
    board,
    conferences,
    experience_bank,
    facilitators,
    initiatives,
    measure_log,
    measures,
    memberships,
    organisations,
    preparation,
)

MUNI, SCHOOL = OrganisationKind.MUNICIPALITY, OrganisationKind.SCHOOL
COORDINATOR = "Kari Nordmann"  # invented
TRIAL_TEAM = "Per Olsen (kontaktlærer), Siri Vik (helsesykepleier)"  # invented


def person(email: str, name: str) -> Facilitator:
    return facilitators.create(email=email, name=name, password="en lang nok frase 42")


def grant(org: Organisation, who: Facilitator, role: str) -> None:
    with db.transaction() as s:
        memberships.do_grant(s, org, who, role)


def measure_at(school: Organisation, runner: Facilitator, title: str, **plan: Any) -> Measure:
    """A measure drafted at a conference the school holds (a point from the preparation page, a pile)."""
    conf = conferences.create_conference(runner, title=f"DK1 {school.name} {title}", template="dk1_school")
    organisations.hold_conference(school, conf)
    preparation.set_text(conf, "Tenk på egne erfaringer.")
    point = preparation.post_input(conf, client_uuid=str(uuid.uuid4()), text_=title)
    m = initiatives.from_cluster(conf, board.create(conf, title, [point.id]).id)
    return initiatives.update(conf, m.id, plan, version=m.version)


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    muni = organisations.create(MUNI, "Fjellvik kommune")
    a = organisations.attach_school(muni, organisations.create(SCHOOL, "Aspheim skole"))
    b = organisations.attach_school(muni, organisations.create(SCHOOL, "Bjørkely skole"))
    other = organisations.create(MUNI, "Havbu kommune")
    c = organisations.attach_school(other, organisations.create(SCHOOL, "Cedervik skole"))
    runner_a = person("leder@aspheim.no", "Mona Aspelund")
    steering_a = person("styring@aspheim.no", "Trond Stige")
    reader_b = person("laerer@bjorkely.no", "Bente Bjørk")
    muni_admin = person("admin@fjellvik.no", "Eirik Fjell")
    outsider = person("rektor@cedervik.no", "Cecilie Ceder")
    grant(a, steering_a, "steering_group")
    grant(b, reader_b, "facilitator")
    grant(muni, muni_admin, "administrator")
    grant(c, outsider, "administrator")
    reading = measure_at(
        a,
        runner_a,
        "Lesevenner på tvers av trinn",
        goal=f"Alle elever leser daglig; {COORDINATOR} samler erfaringene.",
        coordinator=COORDINATOR,
        participants="Kontaktlærere på 5.–7. trinn og helsesykepleier",
        pyramid_level="preventive",
        timeframe="Skoleåret 2026/27",
    )
    measures.change_status(reading, "concretised", actor=steering_a.name)
    measures.change_status(
        reading, "decided", actor="Styringsgruppa", decided_on="2026-09-01", decision_note="Vedtatt"
    )
    measures.change_status(
        reading, "in_trial", actor=steering_a.name, trial_start="2026-09-15", trial_end="2027-01-15"
    )
    measure_log.write_entry(
        reading, None, client_uuid=str(uuid.uuid4()), happened_on="2026-10-01",
        done="Første lesestund med fadderklassen", who=TRIAL_TEAM, learned="Små grupper fungerer best",
    )  # fmt: skip
    measure_log.evaluate(
        reading, actor=steering_a.name, held_on=date(2026, 12, 10), what_works="Faste lesestunder",
        what_to_adjust="Flere voksne i starten", daily_operation="Ja, fra januar", trial_people=TRIAL_TEAM,
    )  # fmt: skip
    calm = measure_at(
        a,
        runner_a,
        "Rolig skolestart",
        goal="Trygg overgang for nye elever",
        coordinator="Sosiallærer",
        participants="Sosiallærer og PPT-rådgiver",
        pyramid_level="early",
    )
    pupil = measure_at(b, person("leder@bjorkely.no", "Bjarne Berg"), "Oppfølging av fravær",
                       pyramid_level="individual", participants="Kontaktlærer og barnevernet")  # fmt: skip
    hidden = measure_at(c, outsider, "Havbus egen ordning", goal="Ikke i Fjellviks bank")
    return {
        "muni": muni, "a": a, "b": b, "other": other, "runner_a": runner_a, "steering_a": steering_a,
        "reader_b": reader_b, "muni_admin": muni_admin, "outsider": outsider, "reading": reading,
        "calm": calm, "pupil": pupil, "hidden": hidden,
    }  # fmt: skip


def found(w: dict[str, Any], reader: str = "reader_b", **filters: Any) -> list[int]:
    return [line.id for line in experience_bank.search(w[reader], w["muni"], **filters).measures]


def test_the_bank_holds_every_school_of_the_municipality_and_no_other(world: dict[str, Any]) -> None:
    result = experience_bank.search(world["reader_b"], world["muni"])
    assert sorted(found(world)) == sorted([world["reading"].id, world["calm"].id, world["pupil"].id])
    assert result.total == 3 and world["hidden"].id not in found(world)
    assert {line.school for line in result.measures} == {"Aspheim skole", "Bjørkely skole"}
    assert result.by_status == {"draft": 2, "evaluated": 1}
    assert result.by_level == {"preventive": 1, "early": 1, "individual": 1}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"level": "preventive"}, ["reading"]),
        ({"level": "individual"}, ["pupil"]),
        ({"status": "evaluated"}, ["reading"]),
        ({"status": "draft"}, ["calm", "pupil"]),
        ({"status": "stopped"}, []),
        ({"profession": "school_health"}, ["reading"]),
        ({"profession": "ppt"}, ["calm"]),
        ({"profession": "child_welfare"}, ["pupil"]),
        ({"text": "lesestunder"}, ["reading"]),  # in the evaluation only
        ({"text": "TRYGG overgang"}, ["calm"]),  # every word, any case, in the plan
        ({"text": "små grupper"}, ["reading"]),  # in the log
        ({"text": "Havbus"}, []),  # another municipality's
        ({"level": "early", "profession": "school_health"}, []),  # filters combine
        ({"level": "early", "profession": "social_worker", "text": "skolestart"}, ["calm"]),
    ],
)
def test_each_filter(world: dict[str, Any], filters: dict[str, str], expected: list[str]) -> None:
    assert sorted(found(world, **filters)) == sorted(world[k].id for k in expected)


def test_a_reader_of_another_school_sees_roles_not_names(world: dict[str, Any]) -> None:
    line = next(x for x in experience_bank.search(world["reader_b"], world["muni"]).measures
                if x.id == world["reading"].id)  # fmt: skip
    assert not line.names_shown and line.coordinator == "Coordinator"
    assert COORDINATOR not in line.goal and "Coordinator samler erfaringene" in line.goal
    seen = experience_bank.view(world["reader_b"], world["muni"], world["reading"].id)
    shown = str(seen)
    for name in (COORDINATOR, "Per Olsen", "Siri Vik", "Trond Stige", "Mona Aspelund"):
        assert name not in shown, name
    assert seen.plan["coordinator"] == "Coordinator"
    assert seen.plan["participants"] == "Kontaktlærere på 5.–7. trinn og helsesykepleier"  # roles stay
    assert seen.evaluations[0]["trial_people"] == "Teachers, School health service"
    assert seen.evaluations[0]["by"] == "Steering group member"
    steps = [item for item in seen.timeline if item["kind"] == "status"]
    assert {item["by"] for item in steps} == {"Steering group member", "Styringsgruppa"}
    log = next(item for item in seen.timeline if item["kind"] == "log")
    assert log["who"] == "Teachers, School health service" and log["learned"] == "Små grupper fungerer best"
    # The municipality's own people are outside the school too.
    by_muni = experience_bank.view(world["muni_admin"], world["muni"], world["reading"].id)
    assert COORDINATOR not in str(by_muni)
    # A name is not found where it is not shown.
    assert found(world, text="Nordmann") == []


def test_a_reader_of_the_same_school_sees_the_names(world: dict[str, Any]) -> None:
    for reader in ("steering_a", "runner_a"):  # a role in the school; running its conference
        seen = experience_bank.view(world[reader], world["muni"], world["reading"].id)
        assert seen.line.names_shown and seen.plan["coordinator"] == COORDINATOR
        assert seen.evaluations[0]["trial_people"] == TRIAL_TEAM
        assert found(world, reader, text="Nordmann") == [world["reading"].id]
    # … and school B's reader sees the names of school B's own measure.
    assert experience_bank.view(world["reader_b"], world["muni"], world["pupil"].id).line.names_shown


def test_the_roles_are_said_in_the_readers_language(world: dict[str, Any]) -> None:
    words = {"Coordinator": "Koordinator"}
    seen = experience_bank.view(
        world["reader_b"], world["muni"], world["reading"].id, lambda s: words.get(s, s)
    )
    assert seen.plan["coordinator"] == "Koordinator" and "Koordinator samler" in seen.plan["goal"]


def test_another_municipality_and_strangers_get_not_found(world: dict[str, Any]) -> None:
    stranger = person("ingen@example.no", "Ingen")
    for reader in (world["outsider"], stranger, None):
        with pytest.raises(NotFound):
            experience_bank.search(reader, world["muni"])
        with pytest.raises(NotFound):
            experience_bank.bank(reader, world["muni"].id)
    with pytest.raises(NotFound):  # a measure of another bank is not in this one
        experience_bank.view(world["reader_b"], world["muni"], world["hidden"].id)
    with pytest.raises(NotFound):
        experience_bank.view(world["reader_b"], world["muni"], "x")
    assert not memberships.can(world["outsider"], "bank.read", world["muni"])
    assert memberships.can(world["muni_admin"], "bank.read", world["muni"])
    assert not memberships.can(world["muni_admin"], "bank.read", world["a"])  # a school has no bank itself
    # A school's id opens its municipality's bank; a lone school (the installation's) has none.
    assert experience_bank.bank(world["reader_b"], world["a"].id) == world["muni"]
    with pytest.raises(NotFound):
        experience_bank.bank(world["reader_b"], organisations.default().id)


@pytest.mark.parametrize(
    "filters",
    [{"level": "top"}, {"status": "done"}, {"profession": "pilot"}, {"text": "x" * 201}, {"text": 7}],
)
def test_bad_filters_get_a_clear_message(world: dict[str, Any], filters: dict[str, Any]) -> None:
    with pytest.raises(ServiceError) as caught:
        experience_bank.search(world["reader_b"], world["muni"], **filters)
    assert caught.value.code in ("invalid", "too_long")


def _draft_of(who: Facilitator, school: Organisation) -> Conference:
    conf = conferences.create_conference(who, title="DK2 Bjørkely", template="dk2_school")
    return organisations.hold_conference(school, conf)


def test_a_bank_example_becomes_preparation_material_without_names(world: dict[str, Any]) -> None:
    conf = _draft_of(world["reader_b"], world["b"])
    offered = preparation.attachable_measures(world["reader_b"], conf)
    assert world["reading"] in offered and world["hidden"] not in offered
    a = preparation.add_attachment(conf, world["reader_b"], measure_id=world["reading"].id)
    page = preparation.page(conf)
    assert page["attachments"][0]["measure"]["goal"].startswith("Alle elever leser daglig")
    assert COORDINATOR not in str(page) and a.title == "Lesevenner på tvers av trinn"


def test_attaching_is_refused_twice_when_started_or_outside_the_bank(world: dict[str, Any]) -> None:
    conf = _draft_of(world["reader_b"], world["b"])
    preparation.add_attachment(conf, world["reader_b"], measure_id=world["reading"].id)
    with pytest.raises(Conflict) as caught:
        preparation.add_attachment(conf, world["reader_b"], measure_id=world["reading"].id)
    assert caught.value.code == "duplicate"
    with pytest.raises(NotFound):  # another municipality's measure is not in this bank
        preparation.add_attachment(conf, world["reader_b"], measure_id=world["hidden"].id)
    with pytest.raises(NotFound):  # a conference of no municipality takes nothing from a bank
        lone = conferences.create_conference(world["reader_b"], title="Lokal", template="blank")
        preparation.add_attachment(lone, world["reader_b"], measure_id=world["calm"].id)
    with db.transaction():
        conf.status = "running"
    with pytest.raises(Conflict) as caught:
        preparation.add_attachment(conf, world["reader_b"], measure_id=world["calm"].id)
    assert caught.value.code == "started"
    assert [a.measure_id for a in preparation.attachments(conf)] == [world["reading"].id]
    assert experience_bank.conferences_to_prepare(world["reader_b"], world["muni"]) == []


def _logged_in(app: Flask, email: str) -> tuple[Any, str]:
    client = fresh_client(app)
    csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    login = {"email": email, "password": "en lang nok frase 42", "csrf_token": csrf}
    assert client.post("/login", data=login).status_code == 302
    return client, csrf


def test_the_pages_search_show_and_attach(app: Flask, world: dict[str, Any]) -> None:
    """The bank's pages read like the service: filters, roles for names, attach once, strangers 404."""
    client, csrf = _logged_in(app, "laerer@bjorkely.no")
    bank = f"/organisations/{world['muni'].id}/bank"
    assert f'href="{bank}"' in client.get("/").get_data(as_text=True)  # the dashboard's link
    overview = client.get(f"/organisations/{world['b'].id}/overview").get_data(as_text=True)
    assert f'id="bank-link" href="{bank}"' in overview  # and the school's overview links its municipality's
    html = client.get(bank + "?text=lesestunder").get_data(as_text=True)
    assert "Lesevenner på tvers av trinn" in html and "Rolig skolestart" not in html
    bad = client.get(bank + "?level=topp")
    assert bad.status_code == 400 and 'id="bank-error"' in bad.get_data(as_text=True)
    assert 'id="bank-empty"' in client.get(bank + "?text=finnesikke").get_data(as_text=True)
    page = client.get(f"{bank}/{world['reading'].id}").get_data(as_text=True)
    assert COORDINATOR not in page and "Per Olsen" not in page and 'id="roles-notice"' in page
    assert ">Koordinator<" in page  # the plan's coordinator, as a role in the reader's language
    draft = _draft_of(world["reader_b"], world["b"])
    attach = f"{bank}/{world['reading'].id}/attach"
    assert client.post(attach, data={"conference_id": draft.id, "csrf_token": csrf}).status_code == 302
    again = client.post(attach, data={"conference_id": draft.id, "csrf_token": csrf}, follow_redirects=True)
    assert "allerede" in again.get_data(as_text=True)  # "already attached", in bokmål
    assert len(preparation.attachments(draft)) == 1
    outsider, _csrf = _logged_in(app, "rektor@cedervik.no")
    assert outsider.get(bank).status_code == 404
    assert outsider.get(f"{bank}/{world['reading'].id}").status_code == 404


def test_the_demo_municipality_has_something_to_find(app: Flask) -> None:
    """`confapp demo --municipality`: a reader of Vestre finds Nordli's log, its names as roles."""
    from confapp.demo_municipality import make_municipality

    made = make_municipality()
    muni, vestre = organisations.get(made.municipality_id), organisations.get(made.school_ids[2])
    reader = person("laerer@vestre.no", "Vera Vestre")
    grant(vestre, reader, "viewer")
    result = experience_bank.search(reader, muni)
    assert result.total == 6 and len({line.school for line in result.measures}) == 3
    (hit,) = experience_bank.search(reader, muni, text="faste elevsamtaler").measures
    assert hit.school == "Nordli skole" and hit.status == "in_trial"
    seen = experience_bank.view(reader, muni, hit.id)
    log = next(item for item in seen.timeline if item["kind"] == "log")
    assert log["who"] == "Teachers, School health service" and "Ada Berg" not in str(seen)
    assert experience_bank.search(reader, muni, profession="ppt").measures  # the full plan names PPT
