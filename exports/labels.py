"""Fixed wording of the exported documents, one dict per language.

The Word files are read outside the app (filed, mailed, printed), so their labels
cannot come from Flask-Babel's request locale; the builders take `lang` explicitly
and look the words up here. Every dict has exactly the same keys (a test checks).
"""

from __future__ import annotations

from datetime import date

NB: dict[str, str] = {
    "doc_kind": "Dialogkonferanse",
    "level_municipal": "Kommunenivå",
    "level_school": "Skolenivå",
    "date": "Dato",
    "level": "Nivå",
    "template": "Mal",
    "facilitators": "Fasilitator(er)",
    "participants": "Antall deltakere",
    "purpose": "Formål",
    "agenda": "Program",
    "col_nr": "Nr.",
    "col_kind": "Type",
    "col_title": "Tittel",
    "col_question": "Spørsmål",
    "col_minutes": "Min.",
    "kind_group": "Gruppearbeid",
    "kind_plenary": "Plenum",
    "proceedings": "Gjennomføring",
    "round_heading": "Runde {n}: {title}",
    "plenary_heading": "Plenum: {title}",
    "question": "Spørsmål:",
    "group": "Gruppe {n}",
    "col_name": "Navn",
    "col_role": "Rolle",
    "col_unit": "Enhet",
    "leader": "gruppeleder",
    "reporter": "referent",
    "bullets": "Punkter fra gruppen",
    "plenary_point": "(til plenum)",
    "no_bullets": "Ingen punkter registrert.",
    "no_members": "Ingen deltakere registrert.",
    "no_groups": "Ingen grupper registrert.",
    "no_notes": "Ingen notater registrert.",
    "no_rounds": "Ingen runder registrert.",
    "note_group": "Gruppe {n}:",
    "page_prefix": "Side ",
    "page_middle": " av ",
}

NN: dict[str, str] = {
    "doc_kind": "Dialogkonferanse",
    "level_municipal": "Kommunenivå",
    "level_school": "Skulenivå",
    "date": "Dato",
    "level": "Nivå",
    "template": "Mal",
    "facilitators": "Fasilitator(ar)",
    "participants": "Tal på deltakarar",
    "purpose": "Føremål",
    "agenda": "Program",
    "col_nr": "Nr.",
    "col_kind": "Type",
    "col_title": "Tittel",
    "col_question": "Spørsmål",
    "col_minutes": "Min.",
    "kind_group": "Gruppearbeid",
    "kind_plenary": "Plenum",
    "proceedings": "Gjennomføring",
    "round_heading": "Runde {n}: {title}",
    "plenary_heading": "Plenum: {title}",
    "question": "Spørsmål:",
    "group": "Gruppe {n}",
    "col_name": "Namn",
    "col_role": "Rolle",
    "col_unit": "Eining",
    "leader": "gruppeleiar",
    "reporter": "referent",
    "bullets": "Punkt frå gruppa",
    "plenary_point": "(til plenum)",
    "no_bullets": "Ingen punkt er registrerte.",
    "no_members": "Ingen deltakarar er registrerte.",
    "no_groups": "Ingen grupper er registrerte.",
    "no_notes": "Ingen notat er registrerte.",
    "no_rounds": "Ingen rundar er registrerte.",
    "note_group": "Gruppe {n}:",
    "page_prefix": "Side ",
    "page_middle": " av ",
}

EN: dict[str, str] = {
    "doc_kind": "Dialogue conference",
    "level_municipal": "Municipal level",
    "level_school": "School level",
    "date": "Date",
    "level": "Level",
    "template": "Template",
    "facilitators": "Facilitator(s)",
    "participants": "Number of participants",
    "purpose": "Purpose",
    "agenda": "Programme",
    "col_nr": "No.",
    "col_kind": "Type",
    "col_title": "Title",
    "col_question": "Question",
    "col_minutes": "Min.",
    "kind_group": "Group work",
    "kind_plenary": "Plenary",
    "proceedings": "Proceedings",
    "round_heading": "Round {n}: {title}",
    "plenary_heading": "Plenary: {title}",
    "question": "Question:",
    "group": "Group {n}",
    "col_name": "Name",
    "col_role": "Role",
    "col_unit": "Unit",
    "leader": "group leader",
    "reporter": "reporter",
    "bullets": "Points from the group",
    "plenary_point": "(for plenary)",
    "no_bullets": "No points recorded.",
    "no_members": "No participants recorded.",
    "no_groups": "No groups recorded.",
    "no_notes": "No notes recorded.",
    "no_rounds": "No rounds recorded.",
    "note_group": "Group {n}:",
    "page_prefix": "Page ",
    "page_middle": " of ",
}

LABELS: dict[str, dict[str, str]] = {"nb": NB, "nn": NN, "en": EN}

# BCP 47 tags for the document's core properties and spell-checking language.
LANGUAGE_TAGS: dict[str, str] = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}

# Bokmål and nynorsk spell the months the same way.
_MONTHS_NO = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def normalize_lang(lang: str) -> str:
    """Map "nb", "nb_NO", "nn-NO", "no", "en-GB" … to a key of `LABELS`.

    Callers often hold a locale string from Babel; accepting those variants saves
    every caller from stripping regions. Anything else is a bug, so it raises.
    """
    key = (lang or "").replace("_", "-").split("-")[0].lower()
    if key == "no":
        key = "nb"
    if key not in LABELS:
        raise ValueError(f"unsupported export language {lang!r}; use one of {sorted(LABELS)}")
    return key


def labels_for(lang: str) -> dict[str, str]:
    return LABELS[normalize_lang(lang)]


def format_date(day: date, lang: str = "nb") -> str:
    """Long date as a Norwegian reader expects it: "22. november 2026" (en: "22 November 2026")."""
    key = normalize_lang(lang)
    if key == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}. {_MONTHS_NO[day.month - 1]} {day.year}"
