"""Fixed wording of the school owner's overview (Word), per language; same keys in every language.

Statuses, pyramid levels and the plan's conferences reuse `exports.measure_labels` / `exports.labels`.
"""

from __future__ import annotations

from exports.labels import normalize_lang
from exports.measure_labels import measure_labels_for

OVERVIEW_NB: dict[str, str] = {
    "o_title": "Skoleeiers oversikt over utviklingstiltakene",
    "o_intro": (
        "Alle skolenes utviklingstiltak etter status, med veilederens regelvarsler, tall per skole "
        "og konferanseplanen for året. Til saksframlegg for kommunen."
    ),
    "o_counts": "Tall per skole",
    "o_col_school": "Skole",
    "o_col_measures": "Tiltak",
    "o_col_with_coordinator": "Med koordinator",
    "o_col_with_forum": "Med forum (hovedarena)",
    "o_col_flagged": "Med regelvarsel",
    "o_chart": "Tiltak etter nivå i tiltakspyramiden og status",
    "o_total": "Sum",
    "o_plan": "Konferanseplan {year}",
    "o_col_conference": "Konferanse",
    "o_col_state": "Status",
    "o_col_date": "Dato",
    "o_measures": "Tiltak etter status",
    "o_col_measure": "Tiltak",
    "o_col_flags": "Regelvarsler",
    "o_col_level": "Nivå i pyramiden",
    "o_none": "Ingen tiltak ennå.",
    "o_not_placed": "Ikke plassert",
    "state_held": "gjennomført",
    "state_planned": "planlagt",
    "state_missing": "mangler",
    "flag_no_coordinator": "ingen koordinator",
    "flag_coordinator_is_leader": "koordinator er trinnleder",
    "flag_no_arena": "ingen hovedarena",
    "flag_not_multi_professional": "ikke flerfaglig",
    "flag_no_time_frame": "ingen tidsramme",
    "flag_not_all_pupils": "rettet mot enkeltelever",
    "plan_dk1_municipal": "DK1 kommune",
    "plan_dk1_school": "DK1 skole",
    "plan_dk2_municipal": "DK2 kommune",
    "plan_dk2_school": "DK2 skole",
    "plan_dk3_municipal": "DK3 kommune",
    "plan_dk3_school": "DK3 skole",
    "plan_closing": "Avslutningskonferanse",
}
OVERVIEW_NN: dict[str, str] = {
    **OVERVIEW_NB,
    "o_title": "Skuleeigars oversikt over utviklingstiltaka",
    "o_intro": (
        "Alle utviklingstiltaka til skulane etter status, med rettleiarens regelvarsel, tal per skule "
        "og konferanseplanen for året. Til saksframlegg for kommunen."
    ),
    "o_counts": "Tal per skule",
    "o_col_school": "Skule",
    "o_col_with_forum": "Med forum (hovudarena)",
    "o_col_flagged": "Med regelvarsel",
    "o_chart": "Tiltak etter nivå i tiltakspyramiden og status",
    "o_none": "Ingen tiltak enno.",
    "o_not_placed": "Ikkje plassert",
    "state_held": "gjennomført",
    "state_missing": "manglar",
    "flag_no_coordinator": "ingen koordinator",
    "flag_no_arena": "ingen hovudarena",
    "flag_not_multi_professional": "ikkje fleirfagleg",
    "flag_not_all_pupils": "retta mot einskildelevar",
    "plan_dk1_school": "DK1 skule",
    "plan_dk2_school": "DK2 skule",
    "plan_dk3_school": "DK3 skule",
}
OVERVIEW_EN: dict[str, str] = {
    "o_title": "The school owner's overview of the development measures",
    "o_intro": (
        "Every school's development measures by status, with the guide's rule warnings, counts per school "
        "and the year's conference plan. For the municipal council's case papers."
    ),
    "o_counts": "Counts per school",
    "o_col_school": "School",
    "o_col_measures": "Measures",
    "o_col_with_coordinator": "With a coordinator",
    "o_col_with_forum": "With a forum (main arena)",
    "o_col_flagged": "With a rule warning",
    "o_chart": "Measures by level in the intervention pyramid and by status",
    "o_total": "Total",
    "o_plan": "Conference plan {year}",
    "o_col_conference": "Conference",
    "o_col_state": "State",
    "o_col_date": "Date",
    "o_measures": "Measures by status",
    "o_col_measure": "Measure",
    "o_col_flags": "Rule warnings",
    "o_col_level": "Pyramid level",
    "o_none": "No measures yet.",
    "o_not_placed": "Not placed",
    "state_held": "held",
    "state_planned": "planned",
    "state_missing": "missing",
    "flag_no_coordinator": "no coordinator",
    "flag_coordinator_is_leader": "coordinator is the grade-team leader",
    "flag_no_arena": "no main arena",
    "flag_not_multi_professional": "not multi-professional",
    "flag_no_time_frame": "no time frame",
    "flag_not_all_pupils": "aimed at individual pupils",
    "plan_dk1_municipal": "DK1 municipal",
    "plan_dk1_school": "DK1 school",
    "plan_dk2_municipal": "DK2 municipal",
    "plan_dk2_school": "DK2 school",
    "plan_dk3_municipal": "DK3 municipal",
    "plan_dk3_school": "DK3 school",
    "plan_closing": "Closing conference",
}
OVERVIEW_LABELS: dict[str, dict[str, str]] = {"nb": OVERVIEW_NB, "nn": OVERVIEW_NN, "en": OVERVIEW_EN}


def overview_labels_for(lang: str) -> dict[str, str]:
    """The measure documents' labels plus the overview's own, for `lang`."""
    return {**measure_labels_for(lang), **OVERVIEW_LABELS[normalize_lang(lang)]}
