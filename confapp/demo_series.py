"""`confapp demo --series`: a school's conference series with measures that live after DK1.

DK1 (finished half a year ago) gave three measures; the steering group decided them and they were
tried out with the coordinator logging. DK2 (finished today) evaluated them: its first round gave each
measure a table, with its trial team seated there. Then the trial teams recorded their evaluations and
the steering group made its three different final decisions. Everything goes
through the same services as the pages; names and text are invented.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from confapp import db
from confapp.demo import DemoResult, make_demo
from confapp.models import Conference, Facilitator, Measure
from confapp.services import board, initiatives, measure_log, measures

THIRD = {
    "goal": "Alle ansatte kjenner en felles rutine for fravær.",
    "coordinator": "Sosiallærer",
    "main_arena": "grade_team",
    "pyramid_level": "early",
    "multi_professional": False,
    "lasting": True,
    "all_pupils": True,
}
PLANS = [  # time frame, log entries (days after the start: what, who, learned), evaluation, decision
    (
        "Oppstart i ressursteamet {d0}\nMidtveisvurdering på trinnmøte {d1}\nEvaluering {d2}",
        [(7, "Første faste møte med helsesykepleier og PPT", "5.–7. trinn", "Elevene vet hvem de kan gå til"),
         (35, "Helsesykepleier på foreldremøte", "5. trinn", "Foreldrene ønsker faste tider")],
        ("Faste møtepunkter fanger opp bekymring tidlig", "Færre, men lengre møter", "Ja, inn i årshjulet"),
        ("daily_operation", "Fungerer for alle trinn; inn i årshjulet"),
    ),
    (
        "Rutinen prøves ut {d0}\nEvaluering {d2}",
        [(10, "Rutinen for fravær gjennomgått på personalmøte", "Alle ansatte", "Hvem ringer hjem?")],
        ("Fravær meldes raskere", "Hvem som ringer hjem første dag", "Ikke ennå"),
        ("adjusted", "Justeres: kontaktlærer ringer hjem første dag"),
    ),
    (
        "Oppstart {d0}",
        [(14, "Felles fraværsskjema prøvd på 8. trinn", "8. trinn", "Skjemaet ble ikke brukt")],
        ("Lite", "Skjemaet", "Nei"),
        ("stopped", "Avsluttes: dekkes av fraværsrutinen"),
    ),
]  # fmt: skip


# Who ran each trial (the plan's field): names of demo participants, so DK2 seats them by measure.
TRIAL_TEAMS = ["Ada Berg og Tor Ulven", "Siri Tangen, Bjørn Dahl", "Cecilie Eide\nDavid Fjell"]


@dataclass(frozen=True)
class SeriesResult:
    demo: DemoResult  # the last conference (DK2) and the login
    dk1_id: int
    measure_ids: list[int]


def make_series() -> SeriesResult:
    today = date.today()
    dk1 = make_demo(held_on=today - timedelta(days=180))
    conf = db.session.get(Conference, dk1.conference_id)
    assert conf is not None
    made = initiatives.of_conference(conf)
    spare = next(c for c in board.clusters(conf) if c.id not in {m.cluster_id for m in made})
    third = initiatives.from_cluster(conf, spare.id)
    made.append(initiatives.update(conf, third.id, THIRD, version=third.version))
    steering = db.session.scalar(select(Facilitator).where(Facilitator.email == dk1.email))
    assert steering is not None
    start = conf.held_on + timedelta(days=30)
    for m, plan in zip(made, PLANS, strict=True):
        _trial(m, plan, start=start, who=steering.name)
    # DK2's first round evaluates the three measures, each trial team at its measure's table.
    dk2 = make_demo(
        cluster=False,
        title="Dialogkonferanse 2 – Eksempel skole (demo)",
        template="dk2_school",
        held_on=today,
        evaluate=[m.id for m in made],
    )
    for m, plan in zip(made, PLANS, strict=True):
        _decide(db.session.get(Measure, m.id), plan, end=today, who=steering.name)
    return SeriesResult(dk2, dk1.conference_id, [m.id for m in made])


def _trial(m: Measure, plan: tuple, *, start: date, who: str) -> None:  # type: ignore[type-arg]
    """One measure's life after DK1 up to DK2: decided, tried out and logged."""
    timeframe, entries, _evaluation, _decision = plan
    end = start + timedelta(days=90)
    days = {"d0": start.isoformat(), "d1": (start + timedelta(days=45)).isoformat(), "d2": end.isoformat()}
    m = initiatives.update(
        db.session.get(Conference, m.conference_id),
        m.id,
        {"timeframe": timeframe.format(**days), "participants": TRIAL_TEAMS[PLANS.index(plan)]},
        version=m.version,
    )
    measures.change_status(m, "concretised", actor="Ressursteamet", reason="Planen er gjennomgått")
    measures.change_status(
        m,
        "decided",
        actor=who,
        decided_on=start - timedelta(days=7),
        decision_note="Vedtatt i styringsgruppa",
    )
    measures.change_status(m, "in_trial", actor=who, trial_start=start, trial_end=end)
    _link, token = measure_log.create_link(m, "")
    for offset, done, people, learned in entries:
        measure_log.add_entry(
            token, client_uuid=str(uuid.uuid4()), happened_on=start + timedelta(days=offset), done=done,
            who=people, learned=learned,
        )  # fmt: skip


def _decide(m: Measure, plan: tuple, *, end: date, who: str) -> None:  # type: ignore[type-arg]
    """After DK2: the trial team's evaluation, then the steering group's final decision."""
    _timeframe, _entries, (works, adjust, daily), (final, why) = plan
    measure_log.evaluate(
        m, actor=who, held_on=end, what_works=works, what_to_adjust=adjust, daily_operation=daily,
        trial_people="Koordinatoren og to lærere fra utprøvingen",
    )  # fmt: skip
    measures.change_status(m, final, actor=who, reason=why)
