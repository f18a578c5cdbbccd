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
