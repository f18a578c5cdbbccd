"""The roles policy at the service level: every role × every action, and the rules of changing roles."""

from __future__ import annotations

import pytest
from flask import Flask

from confapp import db
from confapp.errors import ServiceError
from confapp.models import Conference, Facilitator, Measure
from confapp.services import (
    board,
    conferences,
    facilitators,
    initiatives,
    invitations,
    memberships,
    organisations,
)

PASSWORD = "et-langt-passord-for-test"
# role → the actions it may take on the organisation, a conference it does not run, and a measure of it
# (the coordinator coordinates it; a conference's own facilitators may do everything with both).
TABLE = {
    "administrator": {"organisation.manage", "conference.create"},
    "facilitator": {"conference.create"},
    "steering_group": {
        "organisation.read",
        "conference.view",
        "measure.view",
        "measure.decide",
        "measure.log",
    },
    "coordinator": {"measure.view", "measure.log"},
    "viewer": {"organisation.read", "conference.view", "measure.view"},
}
# The strategy forum (services/forum.py) on the installation's organisation, a school: its people read what
# it sent, its administrator, steering group and facilitators escalate, a coordinator only their measure.
for _role, _forum_actions in {
    "administrator": {"forum.read", "forum.escalate", "measure.escalate"},
    "facilitator": {"forum.read", "forum.escalate", "measure.escalate"},
    "steering_group": {"forum.read", "forum.escalate", "measure.escalate"},
    "coordinator": {"measure.escalate"},
    "viewer": {"forum.read"},
}.items():
    TABLE[_role] = TABLE[_role] | _forum_actions


def _person(owner: Facilitator, role: str) -> Facilitator:
    _inv, token = invitations.create(f"{role}@example.no", role=role, by=owner)
    return invitations.accept_with_password(token, name=role, password=PASSWORD, repeated=PASSWORD)


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    owner = facilitators.create(email="eier@example.no", name="Eier", password=PASSWORD)
    conf = conferences.create_conference(owner, title="DK1")
    cluster = board.create(conf, "Faste møter", [], by=None)  # a measure is drafted from a cluster
    measure = initiatives.from_cluster(conf, cluster.id)
    people = {role: _person(owner, role) for role in TABLE}
    memberships.coordinate(people["steering_group"], measure, people["coordinator"].id)
    return {
        "owner": owner,
        "conf": conf,
        "measure": measure,
        "people": people,
        "org": organisations.default(),
    }


def test_every_role_times_every_action(world: dict[str, object]) -> None:
    org, conf, m = world["org"], world["conf"], world["measure"]
    people: dict[str, Facilitator] = world["people"]  # type: ignore[assignment]
    targets = {"organisation": org, "conference": conf, "measure": m}
    for role, allowed in TABLE.items():
        for action, kind in memberships.ACTIONS.items():
            obj = targets[{Conference: "conference", Measure: "measure"}.get(kind, "organisation")]
            assert memberships.can(people[role], action, obj) == (action in allowed), (role, action)
    owner = world["owner"]
    for action in ("conference.view", "conference.run"):
        assert memberships.can(owner, action, conf)  # the conference's facilitator, whatever the role
    for action in ("measure.view", "measure.decide", "measure.log"):
        assert memberships.can(owner, action, m)
    assert not memberships.can(None, "conference.view", conf)
    with pytest.raises(ValueError):
        memberships.can(owner, "conference.destroy", conf)


def test_a_coordinator_sees_only_their_measures(world: dict[str, object]) -> None:
    people: dict[str, Facilitator] = world["people"]  # type: ignore[assignment]
    stray = _person_with(world, "stray@example.no", "coordinator")
    m = world["measure"]
    assert memberships.visible_measures(people["coordinator"], world["org"]) == [m]
    assert memberships.visible_measures(stray, world["org"]) == []
    with pytest.raises(ServiceError) as err:
        memberships.measure(stray, m.id, "measure.log")
    assert err.value.status == 404
    with pytest.raises(ServiceError) as err:
        memberships.measure(people["viewer"], m.id, "measure.log")
    assert err.value.status == 403


def _person_with(world: dict[str, object], email: str, role: str) -> Facilitator:
    _inv, token = invitations.create(email, role=role, by=world["owner"])
    return invitations.accept_with_password(token, name=email, password=PASSWORD, repeated=PASSWORD)


def test_roles_change_and_the_last_administrator_stays(world: dict[str, object]) -> None:
    org = world["org"]
    people: dict[str, Facilitator] = world["people"]  # type: ignore[assignment]
    admin = people["administrator"]
    member = {m.facilitator_id: m for m in memberships.members(org)}
    memberships.change_role(admin, org, member[people["viewer"].id].id, "steering_group")
    assert memberships.role_of(people["viewer"], org) == "steering_group"
    with pytest.raises(ServiceError) as err:
        memberships.change_role(people["viewer"], org, member[admin.id].id, "viewer")
    assert err.value.code == "forbidden"
    with pytest.raises(ServiceError) as err:
        memberships.change_role(admin, org, member[admin.id].id, "wizard")
    assert err.value.code == "invalid_role"
    memberships.remove(admin, org, member[world["owner"].id].id)  # two administrators: one may go
    with pytest.raises(ServiceError) as err:
        memberships.remove(admin, org, member[admin.id].id)
    assert err.value.code == "last_administrator"
    assert memberships.role_of(admin, org) == "administrator"
    with pytest.raises(ServiceError) as err:  # only a coordinator may coordinate
        memberships.coordinate(people["steering_group"], world["measure"], people["viewer"].id)
    assert err.value.code == "not_coordinator"
    db.session.expire_all()
    assert memberships.role_of(world["owner"], org) is None


# The school owner's people (issue 15): the municipality's administrators, steering group and viewers
# read its schools' conferences and measures, and change nothing there unless the school gives them a role.
OVERSEE = {"organisation.read", "conference.view", "measure.view"}
MUNICIPAL = {
    "administrator": OVERSEE,
    "steering_group": OVERSEE,
    "viewer": OVERSEE,
    "facilitator": set(),
    "coordinator": set(),
}
for _role in ("administrator", "steering_group", "viewer"):  # they read what the school sent to the forum
    MUNICIPAL[_role] = MUNICIPAL[_role] | {"forum.read"}


def test_the_municipalitys_people_read_its_schools_and_change_nothing(app: Flask) -> None:
    from confapp.models import OrganisationKind

    muni = organisations.create(OrganisationKind.MUNICIPALITY, "Kommunen")
    north = organisations.attach_school(muni, organisations.create(OrganisationKind.SCHOOL, "Nord skole"))
    other_muni = organisations.create(OrganisationKind.MUNICIPALITY, "Nabokommunen")
    elsewhere = organisations.attach_school(
        other_muni, organisations.create(OrganisationKind.SCHOOL, "Annen")
    )
    principal = facilitators.create(email="rektor@nord.example.no", name="Rektor", password=PASSWORD)
    conf = organisations.hold_conference(north, conferences.create_conference(principal, title="DK1 Nord"))
    measure = initiatives.from_cluster(conf, board.create(conf, "Faste møter", [], by=None).id)
    assert memberships.organisation_of(measure).id == north.id
    targets = {"organisation": north, "conference": conf, "measure": measure}

    def person(email: str, *grants: tuple[object, str]) -> Facilitator:
        f = facilitators.create(email=email, name=email.split("@")[0], password=PASSWORD)
        with db.transaction() as s:
            for org, role in grants:
                memberships.do_grant(s, org, f, role)
        return f

    for role, allowed in MUNICIPAL.items():
        f = person(f"{role}@kommunen.example.no", (muni, role))
        for action, kind in memberships.ACTIONS.items():
            obj = targets[{Conference: "conference", Measure: "measure"}.get(kind, "organisation")]
            assert memberships.can(f, action, obj) == (action in allowed), (role, action)
        assert [c.id for c in memberships.visible_conferences(f)] == ([conf.id] if allowed else []), role
        # Another municipality's school is none of their business.
        assert not memberships.can(f, "organisation.read", elsewhere), role

    # A role in the school as well: the school's role decides what they may change.
    both = person("begge@kommunen.example.no", (muni, "viewer"), (north, "steering_group"))
    assert memberships.can(both, "measure.decide", measure)
    assert not memberships.can(both, "conference.run", conf)
    # The school's people do not read upwards or sideways.
    school_viewer = person("leser@nord.example.no", (north, "viewer"))
    assert memberships.can(school_viewer, "conference.view", conf)
    assert not memberships.can(school_viewer, "organisation.read", muni)
    assert not memberships.can(school_viewer, "organisation.read", elsewhere)


def test_the_municipalitys_viewer_reads_a_schools_pages_and_is_refused_its_changes(app: Flask) -> None:
    from confapp.models import OrganisationKind

    muni = organisations.create(OrganisationKind.MUNICIPALITY, "Kommunen")
    north = organisations.attach_school(muni, organisations.create(OrganisationKind.SCHOOL, "Nord skole"))
    principal = facilitators.create(email="rektor@nord.example.no", name="Rektor", password=PASSWORD)
    conf = organisations.hold_conference(north, conferences.create_conference(principal, title="DK1 Nord"))
    measure = initiatives.from_cluster(conf, board.create(conf, "Faste møter", [], by=None).id)
    reader = facilitators.create(email="leser@kommunen.example.no", name="Leser", password=PASSWORD)
    with db.transaction() as s:
        memberships.do_grant(s, muni, reader, "viewer")
    client = app.test_client()
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": reader.email, "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/c/{conf.id}")
    assert page.status_code == 200 and "DK1 Nord" in page.get_data(as_text=True)
    assert "DK1 Nord" in client.get("/").get_data(as_text=True), "the dashboard lists the school's conference"
    assert client.get(f"/measures/{measure.id}").status_code == 200
    assert client.get(f"/c/{conf.id}/edit").get_data(as_text=True).count('name="title"') == 0
    api = {"Authorization": f"Bearer {facilitators.issue_api_token(reader)}"}
    assert client.get(f"/api/v1/conferences/{conf.id}", headers=api).status_code == 200
    refused = client.patch(f"/api/v1/conferences/{conf.id}", json={"title": "Endret"}, headers=api)
    assert refused.status_code == 403, refused.get_data(as_text=True)
    assert client.post(f"/api/v1/measures/{measure.id}/status", json={"status": "decided"},
                       headers=api).status_code == 403  # fmt: skip
    db.session.expire_all()
    assert conf.title == "DK1 Nord" and measure.status == "draft"
