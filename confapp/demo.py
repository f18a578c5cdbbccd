"""`confapp demo`: a finished demo conference, built through the same services a facilitator uses.

All names and text are invented.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from confapp import db
from confapp.models import Conference, Facilitator, Participant, RoundKind
from confapp.services import (
    board,
    bullets,
    conferences,
    evaluation,
    facilitators,
    groups,
    initiatives,
    participants,
    plenary,
    rounds,
    votes,
)

DEMO_EMAIL = "demo@confapp.example"

PEOPLE = [
    ("Ada Berg", "Lærer"),
    ("Bjørn Dahl", "Lærer"),
    ("Cecilie Eide", "Lærer"),
    ("David Fjell", "Lærer"),
    ("Eva Gran", "Lærer"),
    ("Frode Haug", "Lærer"),
    ("Gina Holm", "Lærer"),
    ("Hans Iversen", "Lærer"),
    ("Ingrid Jensen", "Lærer"),
    ("Jon Kvam", "Lærer"),
    ("Kari Lund", "Lærer"),
    ("Lars Moe", "Lærer"),
    ("Mona Nes", "Assistent"),
    ("Nils Olsen", "Assistent"),
    ("Oda Pettersen", "Assistent"),
    ("Per Rønning", "Miljøterapeut"),
    ("Ragnhild Sand", "Miljøterapeut"),
    ("Siri Tangen", "Sosiallærer"),
    ("Tor Ulven", "Helsesykepleier"),
    ("Unni Vik", "PPT-rådgiver"),
    ("Vidar Wold", "Barnevernspedagog"),
    ("Åse Aas", "Rektor"),
    ("Øystein Bakke", "Avdelingsleder"),
    ("Trine Ødegård", "Spesialpedagog"),
]

ROUND1_POINTS = [
    [
        "Faste møter mellom lærer og helsesykepleier hver måned",
        "Ressursteamet må bli kjent for alle ansatte",
        "Tidlig innsats i lesing på småtrinnet",
        "Vi trenger en felles rutine for bekymring for elever",
    ],
    [
        "PPT bør være mer i klasserommene, ikke bare på kontoret",
        "Bedre overgang fra barnehage til skole",
        "Mer tid til samarbeid i trinnteamene",
        "Tydelig hvem som gjør hva når en elev ikke møter",
    ],
    [
        "Felles kursdag for lærere og assistenter om klasseledelse",
        "Helsesykepleier på foreldremøter",
        "Sosiallærer og miljøterapeut bør ha faste timer i friminuttene",
        "Raskere svar fra barnevernet",
    ],
    [
        "Trinnteam og ressursteam må snakke oftere sammen",
        "Tiltak for hele klassen, ikke bare enkeltelever",
        "Rutine for å følge opp fravær fra første dag",
        "Mer involvering av foreldre i skolemiljøarbeidet",
    ],
]
ROUND2_POINTS = [
    [
        "Ressursteamet møtes annenhver uke med fast agenda",
        "Koordinator som ikke er trinnleder",
        "Logg for tiltakene, gjennomgås hver måned",
    ],
    [
        "Prøve ut PPT i klasserommet på 5. trinn dette halvåret",
        "Evaluere med elevene etter seks uker",
        "Sette av tid i årshjulet til evaluering",
    ],
    [
        "Felles planleggingstid for lærere og miljøterapeuter",
        "Helsesykepleier med i trinnteam en gang i måneden",
        "Styringsgruppen følger opp hvert kvartal",
    ],
    [
        "Starte med én ting: rutine for fravær",
        "Alle ansatte får opplæring i rutinen",
        "Foreldre informeres på første foreldremøte",
    ],
]
NOTES = [
    "Mange grupper peker på behovet for faste møtepunkter mellom lærere og helsesykepleier og PPT. "
    "Fraværsrutine og tidlig innsats går igjen.",
    "Enighet om å starte med få tiltak, med en koordinator som ikke er trinnleder, og å evaluere underveis. "
    "Styringsgruppen tar forslagene videre.",
]


@dataclass(frozen=True)
class DemoResult:
    email: str
    password: str
    conference_id: int
    join_code: str
    projector_key: str


def _facilitator(password: str) -> Facilitator:
    f = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    if f is None:
        return facilitators.create(email=DEMO_EMAIL, name="Demo Ordstyrer", password=password)
    with db.transaction():
        f.password_hash = generate_password_hash(password)
    return f


def make_demo(
    *,
    cluster: bool = True,
    title: str = "Dialogkonferanse 1 – Eksempel skole (demo)",
    template: str = "dk1_school",
    held_on: date | None = None,
    evaluate: Sequence[int] = (),
) -> DemoResult:
    """A finished demo conference. With `evaluate` (measure ids), its first group round is an evaluation
    round of those measures (a DK2): one table each, trial teams seated by measure, then two more tables."""
    password = secrets.token_urlsafe(9)
    f = _facilitator(password)
    conf = conferences.create_conference(f, title=title, template=template, held_on=held_on or date.today())
    people = [
        participants.join(conf, client_uuid=uuid.uuid4(), name=name, role=role)[0] for name, role in PEOPLE
    ]
    group_rounds = [r for r in conf.rounds if r.kind == RoundKind.GROUP]
    for rnd, points, note in zip(group_rounds, (ROUND1_POINTS, ROUND2_POINTS), NOTES, strict=True):
        if evaluate and rnd is group_rounds[0]:
            evaluation.choose(conf, rnd, list(evaluate))
            groups.propose(conf, rnd, group_size=6, strategy="by:measure")
        else:
            groups.propose(conf, rnd, group_size=6)
        rounds.start(conf, rnd)
        for grp, texts in zip(rnd.groups, points, strict=False):
            members = [m.participant for m in grp.memberships]
            reporter = next(m for m in members if m.id != grp.leader_id)
            leader = next(p for p in people if p.id == grp.leader_id)
            groups.set_reporter(conf, grp, reporter.id, by=leader, client_uuid=uuid.uuid4())
            made = [
                bullets.post(conf, reporter, group_id=grp.id, client_uuid=uuid.uuid4(), text_=t)
                for t in texts
            ]
            bullets.mark_for_plenary(conf, reporter, group_id=grp.id, client_uuid=made[0].client_uuid)
        plenary_round = next(
            r for r in conf.rounds if r.kind == RoundKind.PLENARY and r.position > rnd.position
        )
        rounds.start(conf, plenary_round)
        for grp in rnd.groups:
            rounds.focus(conf, grp.number)
        plenary.save_note(conf, client_uuid=uuid.uuid4(), text_=note, author=f.name)
    rounds.finish(conf)
    if cluster:
        _after_the_conference(conf, f, people)
    return DemoResult(DEMO_EMAIL, password, conf.id, conf.join_code, conf.projector_key)


def _after_the_conference(conf: Conference, f: Facilitator, people: list[Participant]) -> None:
    """The path from bullet to Word form: clusters, a dot vote, two initiative drafts."""
    made = board.propose_clusters(conf, by=f.id)
    for cluster, title in zip(made, CLUSTER_TITLES, strict=False):
        board.rename(conf, cluster.id, title)
    votes.open_vote(conf, 3)
    for n, person in enumerate(people):
        for k in range(3):
            target = made[(n + k * (k + 1)) % min(len(made), 4)]
            votes.cast(conf, person, cluster_id=target.id, client_uuid=uuid.uuid4())
    closed = votes.close(conf)
    ranked = sorted(made, key=lambda c: -closed.final_tally[str(c.id)]["dots"])
    for cluster, fields in zip(ranked[:2], INITIATIVE_DRAFTS, strict=False):
        draft = initiatives.from_cluster(conf, cluster.id)
        initiatives.update(conf, draft.id, fields, version=draft.version)


CLUSTER_TITLES = [
    "Faste møtepunkter med helsesykepleier og PPT",
    "Rutine for fravær",
    "Samarbeid i trinnteam",
    "Tidlig innsats",
    "Foreldresamarbeid",
    "Overganger",
]
INITIATIVE_DRAFTS = [
    {
        "goal": "Elevene skal møte et flerfaglig team som kjenner klassen, "
        "og bekymring skal fanges opp tidlig.",
        "coordinator": "Avdelingsleder for mellomtrinnet",
        "main_arena": "resource_team",
        "participants": "Lærerne på 5.–7. trinn, helsesykepleier og PPT-rådgiver",
        "pyramid_level": "preventive",
        "multi_professional": True,
        "lasting": True,
        "all_pupils": True,
    },
    {
        "goal": "Fravær skal følges opp fra første dag med en felles rutine.",
        "main_arena": "grade_team",
        "pyramid_level": "early",
        "multi_professional": True,
    },
]
