"""Fixed wording of the strategy forum's agenda and minutes (Word), per language; same keys in every one."""

from __future__ import annotations

from exports.labels import normalize_lang
from exports.measure_labels import measure_labels_for

FORUM_NB: dict[str, str] = {
    "f_kicker": "Strategisk forum",
    "f_title": "Saksliste og referat",
    "f_intro": (
        "Det skolene ikke kan løse alene. En sak står på sakslista til forumet har fattet vedtak og "
        "bestemt hvem som følger opp. Eldste sak først; en utsatt sak beholder plassen sin."
    ),
    "f_date": "Dato",
    "f_agenda": "Saksliste",
    "f_minutes": "Referat",
    "f_none_open": "Ingen saker venter på vedtak.",
    "f_none_decided": "Ingen vedtak ennå.",
    "f_case": "Sak {n}",
    "f_school": "Skole",
    "f_measure": "Tiltak",
    "f_question": "Spørsmål fra skolen",
    "f_text": "Hva trenger vedtak",
    "f_raised": "Meldt inn",
    "f_postponed": "Utsatt",
    "f_decision": "Vedtak",
    "f_follow_up": "Følges opp av",
    "f_due": "innen {day}",
    "f_decided": "Vedtatt",
}
FORUM_NN: dict[str, str] = {
    **FORUM_NB,
    "f_title": "Sakliste og referat",
    "f_agenda": "Sakliste",
    "f_decided": "Vedteke",
    "f_intro": (
        "Det skulane ikkje kan løyse åleine. Ei sak står på saklista til forumet har gjort vedtak og "
        "bestemt kven som følgjer opp. Eldste sak først; ei utsett sak held på plassen sin."
    ),
    "f_none_open": "Ingen saker ventar på vedtak.",
    "f_none_decided": "Ingen vedtak enno.",
    "f_school": "Skule",
    "f_question": "Spørsmål frå skulen",
    "f_text": "Kva treng vedtak",
    "f_raised": "Meldt inn",
    "f_postponed": "Utsett",
    "f_follow_up": "Blir følgt opp av",
}
FORUM_EN: dict[str, str] = {
    "f_kicker": "Strategy forum",
    "f_title": "Agenda and minutes",
    "f_intro": (
        "What the schools cannot settle alone. A case stays on the agenda until the forum has decided and "
        "named who follows up. Oldest case first; a postponed case keeps its place."
    ),
    "f_date": "Date",
    "f_agenda": "Agenda",
    "f_minutes": "Minutes",
    "f_none_open": "Nothing waits for a decision.",
    "f_none_decided": "No decisions yet.",
    "f_case": "Case {n}",
    "f_school": "School",
    "f_measure": "Measure",
    "f_question": "Question from the school",
    "f_text": "What needs a decision",
    "f_raised": "Sent",
    "f_postponed": "Postponed",
    "f_decision": "Decision",
    "f_follow_up": "Followed up by",
    "f_due": "by {day}",
    "f_decided": "Decided",
}
FORUM_LABELS: dict[str, dict[str, str]] = {"nb": FORUM_NB, "nn": FORUM_NN, "en": FORUM_EN}


def forum_labels_for(lang: str) -> dict[str, str]:
    """The measure documents' labels plus the forum's own, for `lang`."""
    return {**measure_labels_for(lang), **FORUM_LABELS[normalize_lang(lang)]}
