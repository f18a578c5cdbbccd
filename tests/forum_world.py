"""A municipality with two schools and the people of the strategy forum, for the forum's tests.

Everything is made through the services, as the pages would; names are invented. The installation's
own organisation is made first (by the operator's account), so the municipality is not the default one.
"""

from __future__ import annotations

from dataclasses import dataclass

from confapp import db
from confapp.models import Conference, Facilitator, Measure, Organisation, OrganisationKind
from confapp.services import board, conferences, facilitators, initiatives, memberships, organisations

PASSWORD = "en lang nok frase 42"
# account -> (organisation key, role); "coordinator" coordinates the north school's measure.
PEOPLE = {
    "muni_admin": ("muni", "administrator"),
    "muni_steering": ("muni", "steering_group"),
    "muni_viewer": ("muni", "viewer"),
    "principal": ("north", "administrator"),
    "north_steering": ("north", "steering_group"),
    "north_facilitator": ("north", "facilitator"),
    "north_viewer": ("north", "viewer"),
    "coordinator": ("north", "coordinator"),
    "south_principal": ("south", "administrator"),
}


@dataclass
class ForumWorld:
    muni: Organisation
    north: Organisation
    south: Organisation
    measure: Measure  # the north school's
    other_measure: Measure  # the north school's, not coordinated by "coordinator"
    people: dict[str, Facilitator]
    municipal_conference: Conference


def person(key: str) -> Facilitator:
    return facilitators.create(
        email=f"{key}@example.no", name=key.replace("_", " ").title(), password=PASSWORD
    )


def make_forum_world() -> ForumWorld:
    person("operator")  # the installation's organisation, made first
    muni = organisations.create(OrganisationKind.MUNICIPALITY, "Eksempel kommune")
    north = organisations.attach_school(muni, organisations.create(OrganisationKind.SCHOOL, "Nordli skole"))
    south = organisations.attach_school(muni, organisations.create(OrganisationKind.SCHOOL, "Sørbyen skole"))
    orgs = {"muni": muni, "north": north, "south": south}
    people = {key: person(key) for key in PEOPLE}
    with db.transaction() as s:
        for key, (org, role) in PEOPLE.items():
            memberships.do_grant(s, orgs[org], people[key], role)
    conf = conferences.create_conference(people["principal"], title="DK1 Nordli skole", template="dk1_school")
    organisations.hold_conference(north, conf)
    made = [
        initiatives.from_cluster(conf, board.create(conf, title).id)
        for title in ("Skolevegring: felles rutine", "Faste møter med PPT")
    ]
    memberships.coordinate(people["north_steering"], made[0], people["coordinator"].id)
    municipal = conferences.create_conference(
        people["muni_admin"], title="DK2 Eksempel kommune", template="dk2_municipal"
    )
    organisations.hold_conference(muni, municipal)
    return ForumWorld(muni, north, south, made[0], made[1], people, municipal)
