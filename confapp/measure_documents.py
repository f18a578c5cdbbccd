"""The measures' documents: gathers a measure (or all of an organisation's) into the plain data the
builders in `exports/measures.py` take, with labels in the reader's language.

Small documents, built in the request (no export worker): one measure's dossier or one table row per
measure.
"""

from __future__ import annotations

from flask_babel import force_locale, gettext

from confapp.errors import N_
from confapp.models import Conference, Measure, Organisation
from confapp.responses import message
from confapp.services import measures
from confapp.services.initiatives import VALUE_LABELS
from exports.measures import CalendarDay, MeasureData

PLAN = (  # the guide's six fields, as the form names them
    ("goal", N_("Goal of the measure")),
    ("content", N_("What the measure consists of")),
    ("coordinator", N_("Coordinator of the work on the development measure")),
    ("main_arena", N_("Main arena")),
    ("participants", N_("Who takes part in the practical trial of the measure")),
    ("timeframe", N_("Time frame and progress plan for the work")),
)


def _milestone_text(x: dict[str, object]) -> str:
    if x["kind"] == "trial_start":
        return gettext("Start of the trial")
    if x["kind"] == "trial_end":
        return gettext("Planned end of the trial")
    return str(x["text"])


def measure_data(m: Measure, lang: str = "nb") -> MeasureData:
    """Everything the dossier shows of one measure, in `lang`."""
    with force_locale(lang):
        arena = m.main_arena_other if m.main_arena == "other" else VALUE_LABELS.get(m.main_arena, "")
        values = {name: getattr(m, name) for name, _ in PLAN} | {
            "main_arena": gettext(arena) if arena else ""
        }
        timeline = measures.timeline(m)
        label = {s: gettext(text) for s, text in measures.STATUS_LABELS.items()}
        return MeasureData(
            id=m.id,
            title=m.title,
            status=label[m.status],
            coordinator=m.coordinator,
            plan=[(gettext(title), values[name]) for name, title in PLAN],
            rules=[message(note) for note in measures.rules(m)],
            milestones=[(x["on"], _milestone_text(x)) for x in measures.milestones(m)],
            history=[
                (i["at"], " – ".join(p for p in (label[i["to"]], i["actor"], i["reason"]) if p))
                for i in timeline
                if i["kind"] == "status"
            ],
            log=[(i["at"], i["done"], i["who"], i["learned"]) for i in timeline if i["kind"] == "log"],
            evaluations=[
                (i["at"], i["what_works"], i["what_to_adjust"], i["daily_operation"], i["trial_people"])
                for i in timeline
                if i["kind"] == "evaluation"
            ],
            sources=[
                (i["conference"], str(i["table"] or ""), i["text"]) for i in timeline if i["kind"] == "source"
            ],
        )


def calendar_days(org: Organisation, conferences: list[Conference], lang: str = "nb") -> list[CalendarDay]:
    """The annual calendar: every measure's milestones and every conference's day."""
    days = [CalendarDay(f"conference-{c.id}@confapp", c.held_on, c.title) for c in conferences]
    for m in measures.of_organisation(org):
        with force_locale(lang):
            for n, x in enumerate(measures.milestones(m)):
                days.append(
                    CalendarDay(f"measure-{m.id}-{n}@confapp", x["on"], f"{m.title}: {_milestone_text(x)}")
                )
    return sorted(days, key=lambda d: d.day)
