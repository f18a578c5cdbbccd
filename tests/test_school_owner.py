"""The school owner's level, service side: schools under a municipality, who reads what, the guide's
conference plan per school and year, and the overview (measures by status, flags, counts, chart).
In-process app on a real SQLite file; `make_municipality` is the same demo `confapp demo
--municipality` builds (three schools with measures in different states)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from confapp import db
from confapp.demo_municipality import MunicipalityResult, make_municipality
from confapp.errors import NotFound, ServiceError
from confapp.models import Conference, Facilitator, Organisation, OrganisationKind
from confapp.services import conferences, facilitators, organisations, school_owner

MUNI, SCHOOL = OrganisationKind.MUNICIPALITY, OrganisationKind.SCHOOL


@pytest.fixture
def demo(app: Flask) -> MunicipalityResult:
    return make_municipality()


def person(email: str) -> Facilitator:
    return facilitators.create(email=email, name=email.split("@")[0], password="en lang nok frase 42")


def held_by(org: Organisation, who: Facilitator, template: str = "dk1_school") -> Conference:
    conf = conferences.create_conference(who, title=f"{template} {org.name}", template=template)
    return organisations.hold_conference(org, conf)


def test_a_school_is_attached_to_one_municipality(app: Flask) -> None:
    muni = organisations.create(MUNI, "Kommune A")
    other = organisations.create(MUNI, "Kommune B")
    school = organisations.create(SCHOOL, "Skole 1")
    organisations.attach_school(muni, school)
    assert organisations.schools_of(muni) == [school]
    assert organisations.schools_of(school) == [school]
    for parent, child, code_message in (
        (other, school, "already belongs to another municipality"),
        (school, organisations.create(SCHOOL, "Skole 2"), "only be attached to a municipality"),
        (muni, other, "Only a school can be attached"),
    ):
        with pytest.raises(ServiceError, match=code_message):
            organisations.attach_school(parent, child)
    db.session.expire_all()
    assert school.parent_id == muni.id and other.parent_id is None
    with pytest.raises(ServiceError, match="school or a municipality"):
        organisations.create("county", "Fylke")
    with pytest.raises(ServiceError):
        organisations.create(SCHOOL, "   ")


def test_the_municipality_reads_its_schools_and_a_school_only_itself(app: Flask) -> None:
    muni = organisations.create(MUNI, "Kommune")
    north = organisations.attach_school(muni, organisations.create(SCHOOL, "Nord"))
    south = organisations.attach_school(muni, organisations.create(SCHOOL, "Sør"))
    owner, north_leader, outsider = person("eier@k.no"), person("rektor@nord.no"), person("x@y.no")
    held_by(muni, owner, "dk1_municipal")
    held_by(north, north_leader)
    assert [organisations.can_read(owner, o) for o in (muni, north, south)] == [True, True, True]
    assert [organisations.can_read(north_leader, o) for o in (muni, north, south)] == [False, True, False]
    assert [organisations.can_read(outsider, o) for o in (muni, north, south)] == [False, False, False]
    with pytest.raises(NotFound):
        organisations.readable(north_leader, south.id)
    with pytest.raises(NotFound):
        organisations.readable(north_leader, 999_999)
    assert organisations.readable(owner, south.id) == south


def test_measures_drafted_at_a_held_conference_belong_to_its_holder(demo: MunicipalityResult) -> None:
    for school_id in demo.school_ids:
        school = organisations.get(school_id)
        lines = school_owner.school_overview(school).measures
        assert len(lines) == 2
        assert all(c.organisation_id == school.id for c in organisations.conferences_of(school))


def test_the_guides_conference_plan_per_school_and_year(demo: MunicipalityResult) -> None:
    nordli, sorbyen, _ = (organisations.get(i) for i in demo.school_ids)
    year = date.today().year
    plan = school_owner.conference_plan(nordli, year)
    assert [step.template for step in plan] == list(school_owner.PLAN)
    assert [step.state for step in plan] == [
        "held",
        "held",
        "missing",
        "planned",
        "missing",
        "missing",
        "missing",
    ]
    assert plan[0].title == "Dialogkonferanse 1 – Eksempel kommune (demo)"  # the municipality's own DK1
    assert plan[1].title == "Dialogkonferanse 1 – Nordli skole (demo)"
    assert [s.state for s in school_owner.conference_plan(sorbyen, year)][:4] == [
        "held",
        "held",
        "missing",
        "missing",
    ]
    assert {s.state for s in school_owner.conference_plan(nordli, year - 1)} == {"missing"}


def test_the_overview_has_flags_counts_and_the_chart(demo: MunicipalityResult) -> None:
    muni = organisations.get(demo.municipality_id)
    view = school_owner.overview(muni)
    assert [s.name for s in view.schools] == ["Nordli skole", "Sørbyen skole", "Vestre skole"]
    nordli, sorbyen, vestre = view.schools
    assert [line.status for line in nordli.by_status["in_trial"]] == ["in_trial"]
    assert [(line.status, line.flags) for line in sorbyen.measures] == [
        ("decided", []),
        ("draft", ["no_coordinator", "no_time_frame", "not_all_pupils"]),
    ]
    assert vestre.measures[0].flags == [
        "coordinator_is_leader", "no_arena", "not_multi_professional", "no_time_frame", "not_all_pupils",
    ]  # fmt: skip
    assert [(s.with_coordinator, s.with_forum) for s in view.schools] == [(2, 2), (1, 2), (1, 1)]
    assert view.total == 6
    assert sum(sum(row.values()) for row in view.chart.values()) == 6
    assert view.chart["preventive"]["in_trial"] == 1 and view.chart["preventive"]["decided"] == 1
    assert view.chart["individual"]["draft"] == 1 and view.chart["early"]["stopped"] == 1
    # A school's own overview is that school alone.
    alone = school_owner.overview(organisations.get(demo.school_ids[2]))
    assert [s.name for s in alone.schools] == ["Vestre skole"]


def logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": email, "password": "en lang nok frase 42", "csrf_token": token})
    return client


def test_the_overview_pages_times_every_kind_of_reader(app: Flask) -> None:
    """The municipal matrix: anonymous, outsider, a school's people, the municipality's people."""
    muni = organisations.create(MUNI, "Kommune")
    north = organisations.attach_school(muni, organisations.create(SCHOOL, "Nord"))
    south = organisations.attach_school(muni, organisations.create(SCHOOL, "Sør"))
    held_by(muni, person("eier@k.no"), "dk1_municipal")
    held_by(north, person("rektor@nord.no"))
    person("x@y.no")
    expected = {  # reader -> status per (municipality, north, south)
        "eier@k.no": (200, 200, 200),
        "rektor@nord.no": (404, 200, 404),
        "x@y.no": (404, 404, 404),
    }
    for email, statuses in expected.items():
        # A fresh app context per reader: requests reuse the test's own, and Flask-Login keeps the user in g.
        with app.app_context():
            client = logged_in(app, email)
            for org, status in zip((muni, north, south), statuses, strict=True):
                for path in (f"/organisations/{org.id}/overview", f"/organisations/{org.id}/overview.docx"):
                    assert client.get(path).status_code == status, (email, path)
    anonymous = app.test_client()
    response = anonymous.get(f"/organisations/{north.id}/overview")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        page = (
            logged_in(app, "rektor@nord.no").get(f"/organisations/{north.id}/overview").get_data(as_text=True)
        )
    assert "Nord" in page and "Sør" not in page
