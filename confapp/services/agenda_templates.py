"""Conference templates from the LOG guide's plan (DOMAIN.md, "The conference series").

The content is Norwegian because it is the conference's content, not UI text; a facilitator edits
it freely after choosing a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from confapp.errors import N_


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "group" | "plenary"
    title: str
    question: str = ""
    minutes: int | None = None


@dataclass(frozen=True)
class Template:
    key: str
    label: str  # English, translated in the UI
    level: str
    purpose: str
    agenda: list[AgendaItem] = field(default_factory=list)
    # A follow-up conference (DK2, DK3): creating one offers the measures in trial for its first group round.
    evaluates: bool = False


Q_WHAT = "Hva bør vi arbeide med for å styrke det flerfaglige samarbeidet rundt elevene?"
Q_HOW = "Hvordan bør arbeidet organiseres og gjennomføres i praksis?"
Q_WORKS = "Hva fungerer i det vi har prøvd ut så langt, og hva bør justeres?"
Q_ADJUST = "Hvilke justeringer og forbedringer foreslår vi for det videre arbeidet?"
Q_DAILY = "Hvilke nye arbeidsmåter bør bli en del av daglig drift?"
Q_HOW_DAILY = "Hva skal til for at dette blir varig praksis, og hvem har ansvaret?"


def _two_rounds(q1: str, q2: str, minutes: int = 40) -> list[AgendaItem]:
    return [
        AgendaItem("group", "Gruppearbeid 1", q1, minutes),
        AgendaItem("plenary", "Plenum 1: punktvise referater", "", 20),
        AgendaItem("group", "Gruppearbeid 2 (nye grupper)", q2, minutes),
        AgendaItem("plenary", "Plenum 2: punktvise referater", "", 20),
    ]


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in [
        Template(
            "dk1_municipal",
            N_("DK1 municipal: anchoring and situation analysis"),
            "municipal",
            "Forankre prosjektet i kommunen, gjøre en situasjonsanalyse av dagens flerfaglige samarbeid "
            "og få innspill til hva som bør være fokus i utviklingsarbeidet i kommunen og skolene.",
            _two_rounds(
                "Hvordan fungerer det flerfaglige samarbeidet rundt elevene i dag?",
                "Hva bør være fokus i utviklingsarbeidet i kommunen og på skolene?",
            ),
        ),
        Template(
            "dk1_school",
            N_("DK1 school: what should we work on, and how"),
            "school",
            "Involvere hele personalet i dialog om ideer og forslag til hva som bør være det konkrete "
            "innholdet i utviklingsarbeidet, og hvordan det best kan legges opp i praksis.",
            _two_rounds(Q_WHAT, Q_HOW),
        ),
        Template(
            "dk2_municipal",
            N_("DK2 municipal: evaluate experience so far"),
            "municipal",
            "Evaluere erfaringene så langt sammen med skoleledere, enhetsledere og flerfaglig personale, "
            "som grunnlag for justeringer og forbedringer i utviklingsarbeidet.",
            _two_rounds(Q_WORKS, Q_ADJUST),
            evaluates=True,
        ),
        Template(
            "dk2_school",
            N_("DK2 school: mid-course evaluation of the trials"),
            "school",
            "Dialog om erfaringene med utprøving av ny praksis, og forslag til justeringer og forbedringer "
            "av den videre gjennomføringen (underveisevaluering).",
            _two_rounds(Q_WORKS, Q_ADJUST),
            evaluates=True,
        ),
        Template(
            "dk3_municipal",
            N_("DK3 municipal: what becomes daily operation"),
            "municipal",
            "Evaluere utviklingsarbeidet og ta stilling til hvilke nye arbeidsmåter som skal bli en del av "
            "daglig drift i kommunen.",
            _two_rounds(Q_WORKS, Q_DAILY),
            evaluates=True,
        ),
        Template(
            "dk3_school",
            N_("DK3 school: what becomes daily operation"),
            "school",
            "Evaluere utprøvingene og foreslå hvilke erfaringer som skal bli en del av daglig drift "
            "på skolen.",
            _two_rounds(Q_WORKS, Q_DAILY),
            evaluates=True,
        ),
        Template(
            "closing",
            N_("Closing conference: ordinary practice and renewed strategy"),
            "municipal",
            "Avgjøre hva som skal bli ordinær praksis, og gi innspill til en fornyet kommunal strategi "
            "for flerfaglig samarbeid rundt elevene.",
            _two_rounds(Q_DAILY, Q_HOW_DAILY),
        ),
        Template("blank", N_("Blank conference"), "school", "", []),
    ]
}
