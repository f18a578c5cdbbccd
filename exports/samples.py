"""Invented conference data for tests, benchmarks and previews.

All names are placeholders ("Deltaker 17", "Skole B"): no real people, no real
pupils (conference notes must never identify a pupil anyway). The content is
Norwegian-looking so that layout problems with long words and æøå show up.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from exports.data import (
    AgendaItemData,
    BulletData,
    ConferenceReport,
    GroupData,
    InitiativeData,
    InitiativesReport,
    MemberData,
    NoteData,
    RoundData,
    SourceBulletData,
)

ROLES = (
    "Lærer",
    "Assistent",
    "Helsesykepleier",
    "PPT-rådgiver",
    "Barnevernskonsulent",
    "Sosiallærer",
    "Avdelingsleder",
    "Spesialpedagog",
    "Miljøterapeut",
    "Rektor",
)
UNITS = (
    "Skole A",
    "Skole B",
    "Skole C",
    "Skole D",
    "PPT",
    "Barnevernstjenesten",
    "Helsestasjon for ungdom",
)
QUESTIONS = (
    "Hva bør vi jobbe med for å styrke det tverrfaglige samarbeidet?",
    "Hvordan bør arbeidet organiseres og gjennomføres?",
    "Hva fungerer, og hva bør justeres?",
    "Hva bør bli en del av daglig drift?",
)
_OPENINGS = (
    "Faste møtepunkter mellom",
    "Tydeligere ansvarsfordeling mellom",
    "Felles kompetanseheving for",
    "Bedre informasjonsflyt mellom",
    "Lavterskeltilbud i samarbeid med",
    "Tidlig innsats gjennom samarbeid mellom",
    "Mer tid til refleksjon i",
)
_PARTNERS = (
    "trinnteam og ressursteam",
    "skole og PPT",
    "helsesykepleier og kontaktlærer",
    "skole og barnevern",
    "sosiallærer og foreldre",
    "ledelse og ansatte",
)
_TAILS = (
    "– én gang i måneden.",
    "slik at elevene får raskere hjelp.",
    "med tydelig referat og oppfølging.",
    "før høstferien, med evaluering til våren.",
    "på tvers av trinnene.",
    "(må avklares med styringsgruppa).",
)


def _bullet_text(rng: random.Random) -> str:
    return f"{rng.choice(_OPENINGS)} {rng.choice(_PARTNERS)} {rng.choice(_TAILS)}"


def _agenda_of(rounds: list[RoundData]) -> list[AgendaItemData]:
    return [AgendaItemData(r.position, r.kind, r.title, r.question, r.minutes) for r in rounds]


def make_sample_report() -> ConferenceReport:
    """A small, realistic school conference: two group rounds, two plenaries, one quiet group."""
    start = datetime(2026, 11, 22, 9, 0)
    members_1 = [
        [
            MemberData("Deltaker 1", "Kontaktlærer 5. trinn", "Skole A", is_leader=True),
            MemberData("Deltaker 2", "Helsesykepleier", "Helsestasjonen", is_reporter=True),
            MemberData("Deltaker 3", "PPT-rådgiver", "PPT"),
            MemberData("Deltaker 4", "Assistent", "Skole A"),
        ],
        [
            MemberData("Deltaker 5", "Sosiallærer", "Skole A", is_leader=True, is_reporter=True),
            MemberData("Deltaker 6", "Barnevernskonsulent", "Barnevernstjenesten"),
            MemberData("Deltaker 7", "Lærer 7. trinn", "Skole A"),
        ],
    ]
    bullets_1 = [
        [
            BulletData("Faste møter mellom trinnteam og helsesykepleier", True, start),
            BulletData("PPT med i ressursteamet fra høsten", False, start),
            BulletData("Felles språk for «tidlig innsats» – hva betyr det hos oss?", False, start),
        ],
        [
            BulletData("Lavterskel kontakt med barnevernet uten at en sak må meldes", True, start),
            BulletData("Mer tid til samarbeid i årshjulet", False, start),
        ],
    ]
    round_1 = RoundData(
        1,
        "group",
        "Hva bør vi jobbe med?",
        QUESTIONS[0],
        40,
        groups=[GroupData(i + 1, members_1[i], bullets_1[i]) for i in range(len(members_1))],
    )
    plenary_1 = RoundData(
        2,
        "plenary",
        "Oppsummering runde 1",
        minutes=20,
        notes=[
            NoteData("Mange ønsker faste møtepunkter med helsesykepleier.", "Ordstyrer", 1),
            NoteData("Barnevernet inviterer til drøftingsmøter uten navn.", "Ordstyrer", 2),
            NoteData("Styringsgruppa tar forslagene videre.", "Ordstyrer"),
        ],
    )
    round_2 = RoundData(
        3,
        "group",
        "Hvordan organiserer vi arbeidet?",
        QUESTIONS[1],
        40,
        groups=[
            GroupData(
                1,
                [
                    MemberData("Deltaker 1", "Kontaktlærer 5. trinn", "Skole A"),
                    MemberData("Deltaker 6", "Barnevernskonsulent", "Barnevernstjenesten", is_leader=True),
                    MemberData("Deltaker 4", "Assistent", "Skole A", is_reporter=True),
                ],
                [
                    BulletData("Koordinator bør ikke være trinnteamleder", True, start),
                    BulletData("Plan per tiltak med tidsramme og framdriftsplan", False, start),
                ],
            ),
            GroupData(
                2,
                [
                    MemberData("Deltaker 2", "Helsesykepleier", "Helsestasjonen", is_leader=True),
                    MemberData("Deltaker 3", "PPT-rådgiver", "PPT"),
                    MemberData("Deltaker 5", "Sosiallærer", "Skole A"),
                    MemberData("Deltaker 7", "Lærer 7. trinn", "Skole A", is_reporter=True),
                ],
                [],
            ),
        ],
    )
    plenary_2 = RoundData(4, "plenary", "Veien videre – hva skjer nå?", minutes=15)
    rounds = [round_1, plenary_1, round_2, plenary_2]
    return ConferenceReport(
        title="Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A",
        level="school",
        held_on=date(2026, 11, 22),
        purpose=(
            "Hele personalet foreslår det konkrete innholdet i utviklingsarbeidet "
            "og hvordan det bør gjennomføres.\n\n"
            "Forslagene analyseres av styringsgruppa etter konferansen."
        ),
        template_label="DK1 skole",
        facilitators=["Fasilitator A", "Fasilitator B"],
        participant_count=7,
        agenda=_agenda_of(rounds),
        rounds=rounds,
    )


def make_large_report(participants: int = 300, rounds: int = 4, bullets: int = 1500) -> ConferenceReport:
    """A big municipal conference for benchmarks: `rounds` group rounds, each followed by a plenary.

    Every group round seats all participants in new groups of six (so the member tables
    hold `participants * rounds` rows in total) and the `bullets` are spread evenly over
    all groups of all rounds. Seeded, so every call gives the same data.
    """
    rng = random.Random(2026)
    people = [
        MemberData(f"Deltaker {i + 1}", rng.choice(ROLES), rng.choice(UNITS)) for i in range(participants)
    ]
    group_size = 6
    n_groups = max(1, -(-participants // group_size))
    total_groups = n_groups * rounds
    start = datetime(2026, 11, 22, 9, 0)

    round_list: list[RoundData] = []
    bullet_no = 0
    for r in range(rounds):
        seating = people[:]
        rng.shuffle(seating)  # a different composition every round, as the guide asks
        groups: list[GroupData] = []
        for g in range(n_groups):
            seated = seating[g * group_size : (g + 1) * group_size]
            members = [
                MemberData(m.name, m.role, m.unit, is_leader=(k == 0), is_reporter=(k == 1))
                for k, m in enumerate(seated)
            ]
            group_index = r * n_groups + g
            count = bullets * (group_index + 1) // total_groups - bullets * group_index // total_groups
            group_bullets = [
                BulletData(
                    _bullet_text(rng),
                    is_plenary_point=(k == 0),
                    created_at=start + timedelta(minutes=bullet_no + k),
                )
                for k in range(count)
            ]
            bullet_no += count
            groups.append(GroupData(g + 1, members, group_bullets))
        question = QUESTIONS[r % len(QUESTIONS)]
        round_list.append(RoundData(2 * r + 1, "group", f"Gruppearbeid {r + 1}", question, 40, groups=groups))
        notes = [
            NoteData(f"Gruppe {g.number} løftet fram: {g.bullets[0].text}", "Ordstyrer", g.number)
            for g in groups[:: max(1, n_groups // 8)]
            if g.bullets
        ]
        round_list.append(RoundData(2 * r + 2, "plenary", f"Plenum {r + 1}", minutes=20, notes=notes))

    return ConferenceReport(
        title="Dialogkonferanse 2 – Kommunal evaluering av tverrfaglig samarbeid",
        level="municipal",
        held_on=date(2026, 11, 22),
        purpose="Evaluere erfaringene så langt og foreslå justeringer i det tverrfaglige arbeidet.",
        template_label="DK2 kommune",
        facilitators=["Fasilitator A"],
        participant_count=participants,
        agenda=_agenda_of(round_list),
        rounds=round_list,
    )


def make_sample_initiatives() -> InitiativesReport:
    """Three development measures as a steering group might draft them after a school conference.

    They differ on purpose: one fully planned and proposed, one with a grade-team leader as
    coordinator and open fields, one barely started (no pyramid level, no vote, no cluster).
    """
    r1, r2 = "Runde 1: Hva bør vi jobbe med?", "Runde 2: Hvordan organiserer vi arbeidet?"
    return InitiativesReport(
        conference_title="Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A",
        held_on=date(2026, 11, 22),
        level="school",
        organisation="Skole A",
        initiatives=[
            InitiativeData(
                title="Faste møter mellom lærere og helsesykepleier",
                goal=(
                    "Elevene skal oppleve at skolen og helsesykepleier ser dem tidlig, "
                    "og lærerne skal vite hvem de kan drøfte bekymringer med."
                ),
                content=(
                    "Helsesykepleier deltar på trinnteammøtet én gang i måneden.\n"
                    "Trinnteamet tar opp temaer for hele trinnet, ikke enkeltelever: trivsel, "
                    "søvn, skjermbruk og overgangen til ungdomsskolen.\n\n"
                    "Etter hvert møte skriver koordinator en kort logg."
                ),
                coordinator="Deltaker 7, lærer 7. trinn",
                main_arena="grade_team",
                participants="Lærerne på 5.–7. trinn, helsesykepleier og sosiallærer",
                timeframe=(
                    "Oppstart januar 2027. Evaluering i trinnteamet i april; "
                    "styringsgruppen avgjør i juni om tiltaket blir en del av daglig drift."
                ),
                pyramid_level="preventive",
                multi_professional=True,
                lasting=True,
                all_pupils=True,
                status="proposed",
                cluster_title="Helsesykepleier i trinnteamet",
                votes=14,
                sources=[
                    SourceBulletData("Faste møter mellom trinnteam og helsesykepleier", r1, 1, True),
                    SourceBulletData("Felles språk for «tidlig innsats» – hva betyr det hos oss?", r1, 1),
                    SourceBulletData("Mer tid til samarbeid i årshjulet", r1, 2),
                    SourceBulletData("Plan per tiltak med tidsramme og framdriftsplan", r2, 1),
                ],
            ),
            InitiativeData(
                title="Drøftingsmøter med barnevernet uten navn",
                goal="Lærerne skal kunne drøfte en bekymring med barnevernet før en sak meldes.",
                content="Barnevernet holder åpen drøftingstime på skolen annenhver uke, uten navn på elever.",
                coordinator="Deltaker 1, trinnleder 5. trinn",
                coordinator_is_grade_team_leader=True,
                main_arena="resource_team",
                pyramid_level="early",
                multi_professional=True,
                lasting=True,
                all_pupils=False,
                status="draft",
                cluster_title="Lavterskel kontakt med barnevernet",
                votes=9,
                sources=[
                    SourceBulletData(
                        "Lavterskel kontakt med barnevernet uten at en sak må meldes", r1, 2, True
                    ),
                    SourceBulletData("Koordinator bør ikke være trinnteamleder", r2, 1, True),
                ],
            ),
            InitiativeData(
                title="PPT med i ressursteamet fra høsten",
                goal="PPT skal bli en fast del av skolens ressursteam.",
                main_arena="other",
                main_arena_other="Ledermøtet, i samarbeid med PPT-leder",
                sources=[SourceBulletData("PPT med i ressursteamet fra høsten", r1, 1)],
            ),
        ],
    )
