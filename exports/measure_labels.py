"""Fixed wording of the measure documents (dossier, status report, annual calendar), per language.

Same mechanism as `exports.labels`, kept in its own module so that neither file grows
past reading size: `measure_labels_for(lang)` returns the shared labels of
`exports.labels` plus these. Keys never overlap the shared ones, and every language
has the same keys (tests check both).

Status labels are lower case as they appear mid-sentence ("fra utkast til vedtatt");
the builders capitalise them where they start a cell or heading.
"""

from __future__ import annotations

from exports.labels import LABELS, normalize_lang
from exports.text import clean_text

MEASURE_NB: dict[str, str] = {
    "status_draft": "utkast",
    "status_concretised": "konkretisert",
    "status_decided": "vedtatt",
    "status_in_trial": "under utprøving",
    "status_evaluated": "evaluert",
    "status_daily_operation": "daglig drift",
    "status_adjusted": "justeres",
    "status_stopped": "avsluttet",
    "m_status": "Status",
    "m_coordinator": "Koordinator",
    "m_as_of": "Per {date}",
    "m_warnings": "Regelvarsler",
    # dossier
    "m_dossier_title": "Tiltaksmappe",
    "m_dossier_intro": (
        "Alt om ett utviklingstiltak: planen, vedtakene, tidslinjen, loggen, evalueringene "
        "og innspillene fra konferansene som tiltaket bygger på."
    ),
    "m_plan": "Plan for tiltaket",
    "m_decisions": "Vedtak og statusendringer",
    "m_timeline": "Tidslinje",
    "m_log": "Logg fra utprøvingen",
    "m_evaluations": "Evalueringer",
    "m_sources": "Innspill fra konferansene",
    "m_col_date": "Dato",
    "m_col_change": "Endring",
    "m_col_by": "Hvem",
    "m_col_reason": "Begrunnelse og vedtak",
    "m_decision_note": "Vedtak:",
    "m_created": "opprettet som {to}",
    "m_change": "fra {from_} til {to}",
    "m_col_kind": "Hva",
    "m_col_description": "Beskrivelse",
    "m_kind_milestone": "Milepæl",
    "m_kind_status": "Status",
    "m_kind_log": "Logg",
    "m_kind_evaluation": "Evaluering",
    "m_kind_source": "Innspill",
    "m_milestone_done": "nådd",
    "m_milestone_planned": "planlagt",
    "m_milestone_overdue": "forfalt",
    "m_log_what": "Hva ble gjort",
    "m_log_who": "Hvem deltok",
    "m_log_learned": "Hva lærte vi",
    "m_eval_heading": "Evaluering {date}",
    "m_eval_works": "Hva fungerer?",
    "m_eval_adjust": "Hva bør justeres?",
    "m_eval_daily": "Bør tiltaket bli en del av daglig drift?",
    "m_eval_participants": "Deltakere",
    "m_eval_conference": "Konferanse",
    "m_col_conference": "Konferanse",
    "m_col_table": "Bord",
    "m_col_point": "Innspill",
    "m_none_history": "Ingen statusendringer er registrert.",
    "m_none_timeline": "Ingenting er registrert ennå.",
    "m_none_log": "Ingen loggføringer ennå.",
    "m_none_evaluations": "Tiltaket er ikke evaluert ennå.",
    "m_none_sources": "Ingen innspill er knyttet til tiltaket.",
    "m_open": "ikke utfylt",
    # status report
    "m_report_title": "Statusrapport for utviklingstiltakene",
    "m_report_intro": (
        "Styringsgruppens oversikt: alle utviklingstiltak etter status, med koordinator, "
        "siste loggføring, neste milepæl og regelvarsler."
    ),
    "m_summary": "Antall tiltak etter status",
    "m_col_count": "Antall",
    "m_total": "Totalt",
    "m_col_measure": "Tiltak",
    "m_col_last_log": "Siste loggføring",
    "m_col_next_milestone": "Neste milepæl",
    "m_no_log": "ingen logg ennå",
    "m_no_milestone": "ingen planlagt",
    "m_none_measures": "Ingen utviklingstiltak er registrert ennå.",
    "m_status_heading": "{status} ({n})",
    # annual calendar
    "m_calendar_title": "Årshjul",
    "m_calendar_intro": (
        "Milepælene i utviklingstiltakene og de planlagte dialogkonferansene, måned for måned."
    ),
    "m_calendar_name": "Årshjul – {org}",
    "m_period": "Periode",
    "m_col_month": "Måned",
    "m_col_event": "Hendelse",
    "m_kind_conference": "Dialogkonferanse",
    "m_nothing": "–",
    "m_cal_measure": "Tiltak: {title}",
}

MEASURE_NN: dict[str, str] = {
    "status_draft": "utkast",
    "status_concretised": "konkretisert",
    "status_decided": "vedteke",
    "status_in_trial": "under utprøving",
    "status_evaluated": "evaluert",
    "status_daily_operation": "dagleg drift",
    "status_adjusted": "justerast",
    "status_stopped": "avslutta",
    "m_status": "Status",
    "m_coordinator": "Koordinator",
    "m_as_of": "Per {date}",
    "m_warnings": "Regelvarsel",
    "m_dossier_title": "Tiltaksmappe",
    "m_dossier_intro": (
        "Alt om eitt utviklingstiltak: planen, vedtaka, tidslinja, loggen, evalueringane "
        "og innspela frå konferansane som tiltaket byggjer på."
    ),
    "m_plan": "Plan for tiltaket",
    "m_decisions": "Vedtak og statusendringar",
    "m_timeline": "Tidslinje",
    "m_log": "Logg frå utprøvinga",
    "m_evaluations": "Evalueringar",
    "m_sources": "Innspel frå konferansane",
    "m_col_date": "Dato",
    "m_col_change": "Endring",
    "m_col_by": "Kven",
    "m_col_reason": "Grunngiving og vedtak",
    "m_decision_note": "Vedtak:",
    "m_created": "oppretta som {to}",
    "m_change": "frå {from_} til {to}",
    "m_col_kind": "Kva",
    "m_col_description": "Skildring",
    "m_kind_milestone": "Milepæl",
    "m_kind_status": "Status",
    "m_kind_log": "Logg",
    "m_kind_evaluation": "Evaluering",
    "m_kind_source": "Innspel",
    "m_milestone_done": "nådd",
    "m_milestone_planned": "planlagt",
    "m_milestone_overdue": "forfallen",
    "m_log_what": "Kva vart gjort",
    "m_log_who": "Kven deltok",
    "m_log_learned": "Kva lærte vi",
    "m_eval_heading": "Evaluering {date}",
    "m_eval_works": "Kva fungerer?",
    "m_eval_adjust": "Kva bør justerast?",
    "m_eval_daily": "Bør tiltaket bli ein del av dagleg drift?",
    "m_eval_participants": "Deltakarar",
    "m_eval_conference": "Konferanse",
    "m_col_conference": "Konferanse",
    "m_col_table": "Bord",
    "m_col_point": "Innspel",
    "m_none_history": "Ingen statusendringar er registrerte.",
    "m_none_timeline": "Ingenting er registrert enno.",
    "m_none_log": "Ingen loggføringar enno.",
    "m_none_evaluations": "Tiltaket er ikkje evaluert enno.",
    "m_none_sources": "Ingen innspel er knytte til tiltaket.",
    "m_open": "ikkje utfylt",
    "m_report_title": "Statusrapport for utviklingstiltaka",
    "m_report_intro": (
        "Oversikta til styringsgruppa: alle utviklingstiltak etter status, med koordinator, "
        "siste loggføring, neste milepæl og regelvarsel."
    ),
    "m_summary": "Tal på tiltak etter status",
    "m_col_count": "Tal",
    "m_total": "Totalt",
    "m_col_measure": "Tiltak",
    "m_col_last_log": "Siste loggføring",
    "m_col_next_milestone": "Neste milepæl",
    "m_no_log": "ingen logg enno",
    "m_no_milestone": "ingen planlagd",
    "m_none_measures": "Ingen utviklingstiltak er registrerte enno.",
    "m_status_heading": "{status} ({n})",
    "m_calendar_title": "Årshjul",
    "m_calendar_intro": (
        "Milepælane i utviklingstiltaka og dei planlagde dialogkonferansane, månad for månad."
    ),
    "m_calendar_name": "Årshjul – {org}",
    "m_period": "Periode",
    "m_col_month": "Månad",
    "m_col_event": "Hending",
    "m_kind_conference": "Dialogkonferanse",
    "m_nothing": "–",
    "m_cal_measure": "Tiltak: {title}",
}

MEASURE_EN: dict[str, str] = {
    "status_draft": "draft",
    "status_concretised": "concretised",
    "status_decided": "decided",
    "status_in_trial": "in trial",
    "status_evaluated": "evaluated",
    "status_daily_operation": "daily operation",
    "status_adjusted": "adjusted",
    "status_stopped": "stopped",
    "m_status": "Status",
    "m_coordinator": "Coordinator",
    "m_as_of": "As of {date}",
    "m_warnings": "Rule warnings",
    "m_dossier_title": "Measure dossier",
    "m_dossier_intro": (
        "Everything about one development measure: the plan, the decisions, the timeline, the log, "
        "the evaluations and the conference input the measure builds on."
    ),
    "m_plan": "Plan for the measure",
    "m_decisions": "Decisions and status changes",
    "m_timeline": "Timeline",
    "m_log": "Log of the trial",
    "m_evaluations": "Evaluations",
    "m_sources": "Input from the conferences",
    "m_col_date": "Date",
    "m_col_change": "Change",
    "m_col_by": "Who",
    "m_col_reason": "Reason and decision",
    "m_decision_note": "Decision:",
    "m_created": "created as {to}",
    "m_change": "from {from_} to {to}",
    "m_col_kind": "What",
    "m_col_description": "Description",
    "m_kind_milestone": "Milestone",
    "m_kind_status": "Status",
    "m_kind_log": "Log",
    "m_kind_evaluation": "Evaluation",
    "m_kind_source": "Input",
    "m_milestone_done": "reached",
    "m_milestone_planned": "planned",
    "m_milestone_overdue": "overdue",
    "m_log_what": "What was done",
    "m_log_who": "Who took part",
    "m_log_learned": "What we learned",
    "m_eval_heading": "Evaluation {date}",
    "m_eval_works": "What works?",
    "m_eval_adjust": "What should be adjusted?",
    "m_eval_daily": "Should the measure become part of daily operation?",
    "m_eval_participants": "Participants",
    "m_eval_conference": "Conference",
    "m_col_conference": "Conference",
    "m_col_table": "Table",
    "m_col_point": "Input",
    "m_none_history": "No status changes recorded.",
    "m_none_timeline": "Nothing recorded yet.",
    "m_none_log": "No log entries yet.",
    "m_none_evaluations": "The measure has not been evaluated yet.",
    "m_none_sources": "No input is linked to this measure.",
    "m_open": "not filled in",
    "m_report_title": "Status report on the development measures",
    "m_report_intro": (
        "The steering group's overview: every development measure by status, with coordinator, "
        "last log entry, next milestone and rule warnings."
    ),
    "m_summary": "Measures by status",
    "m_col_count": "Count",
    "m_total": "Total",
    "m_col_measure": "Measure",
    "m_col_last_log": "Last log entry",
    "m_col_next_milestone": "Next milestone",
    "m_no_log": "no log yet",
    "m_no_milestone": "none planned",
    "m_none_measures": "No development measures recorded yet.",
    "m_status_heading": "{status} ({n})",
    "m_calendar_title": "Annual calendar",
    "m_calendar_intro": "The measures' milestones and the planned dialogue conferences, month by month.",
    "m_calendar_name": "Annual calendar – {org}",
    "m_period": "Period",
    "m_col_month": "Month",
    "m_col_event": "Event",
    "m_kind_conference": "Dialogue conference",
    "m_nothing": "–",
    "m_cal_measure": "Measure: {title}",
}

MEASURE_LABELS: dict[str, dict[str, str]] = {"nb": MEASURE_NB, "nn": MEASURE_NN, "en": MEASURE_EN}


def measure_labels_for(lang: str) -> dict[str, str]:
    """The shared export labels plus the measure documents' own, for `lang` ("nb", "nn_NO", "en" …)."""
    key = normalize_lang(lang)
    return {**LABELS[key], **MEASURE_LABELS[key]}


def status_label(t: dict[str, str], status: str, *, capital: bool = False) -> str:
    """The reader's word for a status key; an unknown key is shown as it is rather than hidden."""
    label = t.get(f"status_{status}") or clean_text(status).strip()
    return label[:1].upper() + label[1:] if capital else label
