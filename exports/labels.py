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
    "evaluations": "Evaluering av tiltak",
    "evaluation_status": "Status nå",
    "evaluation_tables": "Evaluert ved bord",
    "evaluation_goal": "Mål",
    "evaluation_questions": "Hva fungerer? Hva bør justeres? Bør det bli daglig praksis?",
    "evaluation_points": "Punkter fra bordet",
    "round_heading": "Runde {n}: {title}",
    "plenary_heading": "Plenum: {title}",
    "question": "Spørsmål:",
    "group": "Bord {n}",
    "col_name": "Navn",
    "col_role": "Rolle",
    "col_unit": "Enhet",
    "leader": "gruppeleder",
    "reporter": "referent",
    "bullets": "Punkter fra bordet",
    "plenary_point": "(til plenum)",
    "no_bullets": "Ingen punkter registrert.",
    "no_members": "Ingen deltakere registrert.",
    "no_groups": "Ingen bord registrert.",
    "no_notes": "Ingen notater registrert.",
    "no_rounds": "Ingen runder registrert.",
    "note_group": "Bord {n}:",
    "page_prefix": "Side ",
    "page_middle": " av ",
    # -- initiative forms (exports/initiatives.py); field labels exactly as the guide names them --
    "ini_doc_title": "Utviklingstiltak fra dialogkonferansen",
    "ini_scope_school": (
        "Dette er en plan for utviklingstiltak for hele skolen. "
        "Det er ikke et henvisningsskjema for enkeltelever."
    ),
    "ini_scope_municipal": (
        "Dette er en plan for utviklingstiltak for skolene i kommunen. "
        "Det er ikke et henvisningsskjema for enkeltelever."
    ),
    "ini_how": (
        "Hvert tiltak har sin egen plan med de seks punktene fra veilederen. "
        "Åpne felt fylles ut av styringsgruppen."
    ),
    "ini_privacy": "Skriv ikke opplysninger som kan identifisere enkeltelever (taushetsplikt).",
    "ini_conference": "Konferanse",
    "ini_org_school": "Skole",
    "ini_org_municipal": "Kommune",
    "ini_count": "Antall tiltak",
    "ini_overview": "Tiltakene i dette dokumentet",
    "ini_col_initiative": "Tiltak",
    "ini_col_status": "Status",
    "ini_none": "Ingen tiltak er registrert ennå.",
    "ini_kicker": "Utviklingstiltak {n} av {total}",
    "ini_status": "Status",
    "ini_cluster": "Klynge",
    "ini_votes": "Stemmer",
    "ini_status_draft": "Utkast",
    "ini_status_proposed": "Foreslått",
    "ini_status_decided": "Vedtatt",
    "ini_status_concretised": "Konkretisert",
    "ini_status_in_trial": "Under utprøving",
    "ini_status_evaluated": "Evaluert",
    "ini_status_daily_operation": "Daglig drift",
    "ini_status_adjusted": "Justeres",
    "ini_status_stopped": "Avsluttet",
    "ini_plan": "Plan for tiltaket",
    "ini_goal": "Målsettingen for tiltaket",
    "ini_content": "Hva tiltaket skal bestå i",
    "ini_coordinator": "Koordinator for arbeidet med utviklingstiltaket",
    "ini_arena": "Hovedarena for diskusjon og konkretisering av tiltaket (ressursteam eller trinnteam)",
    "ini_participants": "Hvem som skal delta i den praktiske utprøvingen av tiltaket",
    "ini_timeframe": "Tidsramme og framdriftsplan for arbeidet",
    "ini_placeholder": "Fylles ut av styringsgruppen",
    "ini_arena_resource_team": "Ressursteam",
    "ini_arena_grade_team": "Trinnteam",
    "ini_warning_label": "Merk:",
    "ini_warning_grade_team_leader": (
        "Veilederen anbefaler at koordinator ikke er trinnleder, slik at flere får ansvar."
    ),
    "ini_pyramid": "Nivå i tiltakspyramiden",
    "ini_pyramid_preventive": "Forebyggende arbeid",
    "ini_pyramid_early": "Tidlig innsats",
    "ini_pyramid_individual": "Individuell oppfølging",
    "ini_checks": "Kvalitetskriterier",
    "ini_col_criterion": "Kriterium",
    "ini_col_met": "Oppfylt",
    "ini_check_multi_professional": "Tiltaket er reelt tverrfaglig",
    "ini_check_lasting": "Tiltaket har en viss varighet",
    "ini_check_all_pupils": "Tiltaket retter seg mot alle elever, ikke enkeltsaker",
    "ini_yes": "Ja",
    "ini_no": "Nei",
    "ini_not_assessed": "ikke vurdert",
    "ini_see_appendix": "Innspillene fra konferansen som tiltaket bygger på, står i vedlegget.",
    "ini_appendix": "Vedlegg: innspill fra konferansen",
    "ini_appendix_intro": "Punktene gruppene skrev under konferansen, ordnet etter tiltaket de førte til.",
    "ini_appendix_heading": "Tiltak {n}: {title}",
    "ini_col_round": "Runde",
    "ini_col_group": "Bord",
    "ini_col_input": "Innspill",
    "ini_no_sources": "Ingen innspill er knyttet til tiltaket.",
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
    "evaluations": "Evaluering av tiltak",
    "evaluation_status": "Status no",
    "evaluation_tables": "Evaluert ved bord",
    "evaluation_goal": "Mål",
    "evaluation_questions": "Kva fungerer? Kva bør justerast? Bør det bli dagleg praksis?",
    "evaluation_points": "Punkt frå bordet",
    "round_heading": "Runde {n}: {title}",
    "plenary_heading": "Plenum: {title}",
    "question": "Spørsmål:",
    "group": "Bord {n}",
    "col_name": "Namn",
    "col_role": "Rolle",
    "col_unit": "Eining",
    "leader": "gruppeleiar",
    "reporter": "referent",
    "bullets": "Punkt frå bordet",
    "plenary_point": "(til plenum)",
    "no_bullets": "Ingen punkt er registrerte.",
    "no_members": "Ingen deltakarar er registrerte.",
    "no_groups": "Ingen bord er registrerte.",
    "no_notes": "Ingen notat er registrerte.",
    "no_rounds": "Ingen rundar er registrerte.",
    "note_group": "Bord {n}:",
    "page_prefix": "Side ",
    "page_middle": " av ",
    # -- initiative forms (exports/initiatives.py) --
    "ini_doc_title": "Utviklingstiltak frå dialogkonferansen",
    "ini_scope_school": (
        "Dette er ein plan for utviklingstiltak for heile skulen. "
        "Det er ikkje eit tilvisingsskjema for enkeltelevar."
    ),
    "ini_scope_municipal": (
        "Dette er ein plan for utviklingstiltak for skulane i kommunen. "
        "Det er ikkje eit tilvisingsskjema for enkeltelevar."
    ),
    "ini_how": (
        "Kvart tiltak har sin eigen plan med dei seks punkta frå rettleiaren. "
        "Opne felt skal fyllast ut av styringsgruppa."
    ),
    "ini_privacy": "Ikkje skriv opplysningar som kan identifisere enkeltelevar (teieplikt).",
    "ini_conference": "Konferanse",
    "ini_org_school": "Skule",
    "ini_org_municipal": "Kommune",
    "ini_count": "Tal på tiltak",
    "ini_overview": "Tiltaka i dette dokumentet",
    "ini_col_initiative": "Tiltak",
    "ini_col_status": "Status",
    "ini_none": "Ingen tiltak er registrerte enno.",
    "ini_kicker": "Utviklingstiltak {n} av {total}",
    "ini_status": "Status",
    "ini_cluster": "Klynge",
    "ini_votes": "Røyster",
    "ini_status_draft": "Utkast",
    "ini_status_proposed": "Føreslått",
    "ini_status_decided": "Vedteke",
    "ini_status_concretised": "Konkretisert",
    "ini_status_in_trial": "Under utprøving",
    "ini_status_evaluated": "Evaluert",
    "ini_status_daily_operation": "Dagleg drift",
    "ini_status_adjusted": "Blir justert",
    "ini_status_stopped": "Avslutta",
    "ini_plan": "Plan for tiltaket",
    "ini_goal": "Målsetjinga for tiltaket",
    "ini_content": "Kva tiltaket skal bestå i",
    "ini_coordinator": "Koordinator for arbeidet med utviklingstiltaket",
    "ini_arena": "Hovudarena for diskusjon og konkretisering av tiltaket (ressursteam eller trinnteam)",
    "ini_participants": "Kven som skal delta i den praktiske utprøvinga av tiltaket",
    "ini_timeframe": "Tidsramme og framdriftsplan for arbeidet",
    "ini_placeholder": "Fyllast ut av styringsgruppa",
    "ini_arena_resource_team": "Ressursteam",
    "ini_arena_grade_team": "Trinnteam",
    "ini_warning_label": "Merk:",
    "ini_warning_grade_team_leader": (
        "Rettleiaren tilrår at koordinatoren ikkje er trinnleiar, slik at fleire får ansvar."
    ),
    "ini_pyramid": "Nivå i tiltakspyramiden",
    "ini_pyramid_preventive": "Førebyggjande arbeid",
    "ini_pyramid_early": "Tidleg innsats",
    "ini_pyramid_individual": "Individuell oppfølging",
    "ini_checks": "Kvalitetskriterium",
    "ini_col_criterion": "Kriterium",
    "ini_col_met": "Oppfylt",
    "ini_check_multi_professional": "Tiltaket er reelt tverrfagleg",
    "ini_check_lasting": "Tiltaket har ei viss varigheit",
    "ini_check_all_pupils": "Tiltaket rettar seg mot alle elevar, ikkje enkeltsaker",
    "ini_yes": "Ja",
    "ini_no": "Nei",
    "ini_not_assessed": "ikkje vurdert",
    "ini_see_appendix": "Innspela frå konferansen som tiltaket byggjer på, står i vedlegget.",
    "ini_appendix": "Vedlegg: innspel frå konferansen",
    "ini_appendix_intro": "Punkta gruppene skreiv under konferansen, ordna etter tiltaket dei førte til.",
    "ini_appendix_heading": "Tiltak {n}: {title}",
    "ini_col_round": "Runde",
    "ini_col_group": "Bord",
    "ini_col_input": "Innspel",
    "ini_no_sources": "Ingen innspel er knytte til tiltaket.",
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
    "evaluations": "Evaluation of measures",
    "evaluation_status": "Status now",
    "evaluation_tables": "Evaluated at table",
    "evaluation_goal": "Goal",
    "evaluation_questions": "What works? What should be adjusted? Should it become daily practice?",
    "evaluation_points": "The table's points",
    "round_heading": "Round {n}: {title}",
    "plenary_heading": "Plenary: {title}",
    "question": "Question:",
    "group": "Table {n}",
    "col_name": "Name",
    "col_role": "Role",
    "col_unit": "Unit",
    "leader": "group leader",
    "reporter": "reporter",
    "bullets": "Points from the table",
    "plenary_point": "(for plenary)",
    "no_bullets": "No points recorded.",
    "no_members": "No participants recorded.",
    "no_groups": "No tables recorded.",
    "no_notes": "No notes recorded.",
    "no_rounds": "No rounds recorded.",
    "note_group": "Table {n}:",
    "page_prefix": "Page ",
    "page_middle": " of ",
    # -- initiative forms (exports/initiatives.py) --
    "ini_doc_title": "Development measures from the dialogue conference",
    "ini_scope_school": (
        "This is a plan for development measures for the whole school. "
        "It is not a referral form for an individual pupil."
    ),
    "ini_scope_municipal": (
        "This is a plan for development measures for the schools in the municipality. "
        "It is not a referral form for an individual pupil."
    ),
    "ini_how": (
        "Each measure has its own plan with the six points from the guide. "
        "Open fields are filled in by the steering group."
    ),
    "ini_privacy": "Do not enter anything that could identify an individual pupil (confidentiality).",
    "ini_conference": "Conference",
    "ini_org_school": "School",
    "ini_org_municipal": "Municipality",
    "ini_count": "Number of measures",
    "ini_overview": "Measures in this document",
    "ini_col_initiative": "Measure",
    "ini_col_status": "Status",
    "ini_none": "No measures recorded yet.",
    "ini_kicker": "Development measure {n} of {total}",
    "ini_status": "Status",
    "ini_cluster": "Cluster",
    "ini_votes": "Votes",
    "ini_status_draft": "Draft",
    "ini_status_proposed": "Proposed",
    "ini_status_decided": "Decided",
    "ini_status_concretised": "Concretised",
    "ini_status_in_trial": "In trial",
    "ini_status_evaluated": "Evaluated",
    "ini_status_daily_operation": "Daily operation",
    "ini_status_adjusted": "Being adjusted",
    "ini_status_stopped": "Stopped",
    "ini_plan": "Plan for the measure",
    "ini_goal": "Goal of the measure",
    "ini_content": "What the measure will consist of",
    "ini_coordinator": "Coordinator of the work on the development measure",
    "ini_arena": "Main arena for discussing and concretising the measure (resource team or grade team)",
    "ini_participants": "Who will take part in the practical trial of the measure",
    "ini_timeframe": "Time frame and progress plan for the work",
    "ini_placeholder": "To be filled in by the steering group",
    "ini_arena_resource_team": "Resource team",
    "ini_arena_grade_team": "Grade team",
    "ini_warning_label": "Note:",
    "ini_warning_grade_team_leader": (
        "The guide recommends that the coordinator is not the grade-team leader, "
        "so that more people carry responsibility."
    ),
    "ini_pyramid": "Level in the intervention pyramid",
    "ini_pyramid_preventive": "Preventive work",
    "ini_pyramid_early": "Early intervention",
    "ini_pyramid_individual": "Individual follow-up",
    "ini_checks": "Quality criteria",
    "ini_col_criterion": "Criterion",
    "ini_col_met": "Met",
    "ini_check_multi_professional": "The measure is genuinely multi-professional",
    "ini_check_lasting": "The measure is of some duration",
    "ini_check_all_pupils": "The measure is aimed at all pupils, not individual cases",
    "ini_yes": "Yes",
    "ini_no": "No",
    "ini_not_assessed": "not assessed",
    "ini_see_appendix": "The conference input this measure builds on is listed in the appendix.",
    "ini_appendix": "Appendix: input from the conference",
    "ini_appendix_intro": "The points the groups wrote during the conference, by the measure they led to.",
    "ini_appendix_heading": "Measure {n}: {title}",
    "ini_col_round": "Round",
    "ini_col_group": "Table",
    "ini_col_input": "Input",
    "ini_no_sources": "No input is linked to this measure.",
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
