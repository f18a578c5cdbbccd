"""`confapp demo --municipality`: a school owner with three schools, for the school owner's overview.

The municipality held its DK1; each school held its own DK1 (the demo conference, two measures each)
and the schools' measures stand in different places: one school is well on its way (a measure in
trial with the coordinator's log, which the experience bank finds; DK2 planned), one has a decision
and a bare draft, one has the plans the guide warns about (the grade-team leader as coordinator,
individual follow-up) and a stopped measure. Two schools have escalated a measure to the strategy
forum (one postponed, still on the agenda) and the forum answered a third, with who follows up; the
demo account administers the municipality. Everything goes
through the same services as the pages; names and text are invented.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from confapp import db
from confapp.demo import DemoResult, make_demo
from confapp.models import Conference, Facilitator, Measure, Organisation, OrganisationKind
from confapp.services import (
    conferences,
    forum,
    initiatives,
    measure_log,
    measures,
    memberships,
    organisations,
)

FULL_PLAN = {
    "coordinator": "Sosiallærer",
    "timeframe": "Oppstart i ressursteamet\nEvaluering før sommeren",
    "participants": "Lærerne på 5.–7. trinn, helsesykepleier og PPT-rådgiver",
    "main_arena": "resource_team",
    "multi_professional": True,
    "lasting": True,
    "all_pupils": True,
}
WARNED_PLAN = {  # what the guide warns about: the grade-team leader carries it, one pupil at a time
    "coordinator": "Trinnleder 8. trinn",
    "coordinator_is_grade_team_leader": True,
    "main_arena": "",
    "pyramid_level": "individual",
    "all_pupils": False,
    "multi_professional": False,
}
SCHOOLS = ("Nordli skole", "Sørbyen skole", "Vestre skole")


@dataclass(frozen=True)
class MunicipalityResult:
    demo: DemoResult  # the last school DK1 and the login
    municipality_id: int
    school_ids: list[int]


def make_municipality() -> MunicipalityResult:
    today = date.today()

    def day(days_ago: int) -> date:  # in this year, so the year's conference plan shows them
        return max(date(today.year, 1, 2), today - timedelta(days=days_ago))

    muni = organisations.create(OrganisationKind.MUNICIPALITY, "Eksempel kommune (demo)")
    dk1 = make_demo(
        cluster=False,
        title="Dialogkonferanse 1 – Eksempel kommune (demo)",
        template="dk1_municipal",
        held_on=day(200),
    )
    organisations.hold_conference(muni, _conference(dk1))
    schools: list[Organisation] = []
    last = dk1
    made: list[Measure] = []
    for n, name in enumerate(SCHOOLS):
        school = organisations.attach_school(muni, organisations.create(OrganisationKind.SCHOOL, name))
        schools.append(school)
        last = make_demo(title=f"Dialogkonferanse 1 – {name} (demo)", held_on=day(150 - 10 * n))
        conf = organisations.hold_conference(school, _conference(last))
        first, second = initiatives.of_conference(conf)
        [_nordli, _sorbyen, _vestre][n](conf, first, second)
        made.append(first)
    _forum(muni, made)
    return MunicipalityResult(last, muni.id, [s.id for s in schools])


def _forum(muni: Organisation, firsts: list[Measure]) -> None:
    """The strategy forum: Nordli's and Sørbyen's measures wait (Sørbyen's postponed), Vestre's answered."""
    account = db.session.scalar(select(Facilitator).order_by(Facilitator.id).limit(1))
    assert account is not None
    with db.transaction() as s:
        memberships.do_grant(s, muni, account, memberships.ADMIN)
    nordli, sorbyen, vestre = firsts
    answered = forum.escalate_measure(
        account, vestre, "Eleven trenger tett oppfølging fra PPT og barnevernet samtidig. Hvem koordinerer?"
    )
    postponed = forum.escalate_measure(
        account,
        sorbyen,
        "Tiltaket trenger helsesykepleier på 5.–7. trinn to dager i uka. Kan kommunen finansiere det?",
    )
    forum.escalate_measure(account, nordli, "Felles rutine for skolevegring på tvers av skolene?")
    forum.decide(
        account,
        answered,
        "PPT koordinerer oppfølgingen; barnevernet deltar i ansvarsgruppa fra neste måned.",
        "Leder i PPT",
        date.today() + timedelta(days=60),
    )
    forum.postpone(account, postponed, "Venter på budsjettet for neste år.")


def _conference(result: DemoResult) -> Conference:
    conf = db.session.get(Conference, result.conference_id)
    assert conf is not None
    return conf


def _plan(conf: Conference, m: Measure, fields: dict[str, Any]) -> Measure:
    return initiatives.update(conf, m.id, fields, version=m.version)


def _decide(m: Measure, on: date) -> None:
    measures.change_status(m, "concretised", actor="Ressursteamet", reason="Planen er gjennomgått")
    measures.change_status(m, "decided", actor="Styringsgruppa", decided_on=on, decision_note="Vedtatt")


def _nordli(conf: Conference, first: Measure, second: Measure) -> None:
    """On its way: one measure in trial, one concretised, and DK2 planned."""
    start = conf.held_on + timedelta(days=30)
    _decide(_plan(conf, first, FULL_PLAN), start - timedelta(days=7))
    measures.change_status(
        first, "in_trial", actor="Rektor", trial_start=start, trial_end=start + timedelta(days=120)
    )
    _log(first, start + timedelta(days=14))
    measures.change_status(
        _plan(conf, second, {"coordinator": "Helsesykepleier", "timeframe": "Fra januar"}),
        "concretised",
        actor="Trinnteam 8",
    )
    steering = db.session.scalar(select(Facilitator).order_by(Facilitator.id).limit(1))
    assert steering is not None
    dk2 = conferences.create_conference(
        steering,
        title="Dialogkonferanse 2 – Nordli skole (demo)",
        template="dk2_school",
        held_on=date.today(),
    )
    organisations.hold_conference(organisations.get(conf.organisation_id), dk2)


def _log(m: Measure, on: date) -> None:
    """The coordinator's log, for the experience bank: other schools see its names as roles."""
    measure_log.write_entry(
        m, None, client_uuid=str(uuid.uuid4()), happened_on=on,
        done="Første samling i ressursteamet: faste elevsamtaler på 6. trinn",
        who="Ada Berg (kontaktlærer), Bjørn Dahl (helsesykepleier)",
        learned="Korte samtaler med fast struktur gir mer enn lange; helsesykepleier bør være med fra start",
    )  # fmt: skip


def _sorbyen(conf: Conference, first: Measure, second: Measure) -> None:
    """A decision and a bare draft (no coordinator, no time frame)."""
    _decide(_plan(conf, first, FULL_PLAN), conf.held_on + timedelta(days=20))


def _vestre(conf: Conference, first: Measure, second: Measure) -> None:
    """The plans the guide warns about, and one measure stopped."""
    _plan(conf, first, WARNED_PLAN)
    measures.change_status(second, "stopped", actor="Styringsgruppa", reason="Dekkes av kommunens rutine")
