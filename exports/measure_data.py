"""Plain data for the documents filed after the conference: dossier, status report, calendar.

A development measure (utviklingstiltak) lives for a school year or more after the
conference that made it: the steering group decides it, a team tries it out and logs
what it does, the next conference evaluates it. The confapp services turn the
measures into these dataclasses; the builders in `exports.measures` and
`exports.calendar` turn them into Word and iCalendar files without touching the database.

Status keys, in the order of the lifecycle: see `MEASURE_STATUSES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from exports.data import InitiativeData

# The lifecycle's statuses in the order the status report lists them.
# Labels per language: `exports.measure_labels` ("status_<key>").
MEASURE_STATUSES: tuple[str, ...] = (
    "draft",
    "concretised",
    "decided",
    "in_trial",
    "evaluated",
    "daily_operation",
    "adjusted",
    "stopped",
)


@dataclass(frozen=True)
class MilestoneData:
    """A dated step in the measure's progress plan; `id` keeps its calendar entry stable across exports."""

    id: int | str
    title: str
    due: date
    done: bool = False


@dataclass(frozen=True)
class StatusChangeData:
    """One decision on the measure: who moved it from which status to which, and why."""

    at: datetime | date
    from_status: str  # "" for the first entry (the measure was created)
    to_status: str
    by: str = ""
    reason: str = ""
    decision_note: str = ""  # e.g. "Styringsgruppemøte 12. januar, sak 3/27"


@dataclass(frozen=True)
class LogEntryData:
    """What the trial team did on one day, as the coordinator wrote it down."""

    on: date
    what: str
    who: str = ""  # who took part
    learned: str = ""


@dataclass(frozen=True)
class EvaluationData:
    """The guide's three evaluation questions, answered at a conference or team meeting."""

    on: date
    works: str = ""  # What works?
    adjust: str = ""  # What should be adjusted?
    daily_operation: str = ""  # Should it become part of daily operation?
    participants: str = ""
    conference_title: str = ""  # the evaluation round it came from, if any


@dataclass(frozen=True)
class SourcePointData:
    """A point written at a conference table that the measure builds on or was evaluated by."""

    text: str
    conference_title: str = ""
    held_on: date | None = None
    table_number: int | None = None


@dataclass(frozen=True)
class MeasureData:
    """One development measure with its plan and everything that happened to it since.

    The plan fields mean exactly what they mean in `exports.data.InitiativeData`; empty
    strings are fields nobody has filled in yet and are printed as such.
    """

    id: int | str
    title: str
    status: str = "draft"  # a key of MEASURE_STATUSES
    goal: str = ""
    content: str = ""
    coordinator: str = ""
    main_arena: str = ""  # "resource_team" | "grade_team" | "other" | ""
    main_arena_other: str = ""
    participants: str = ""
    timeframe: str = ""
    pyramid_level: str = ""  # "preventive" | "early" | "individual" | ""
    multi_professional: bool | None = None
    lasting: bool | None = None
    all_pupils: bool | None = None
    milestones: list[MilestoneData] = field(default_factory=list)
    history: list[StatusChangeData] = field(default_factory=list)
    log: list[LogEntryData] = field(default_factory=list)
    evaluations: list[EvaluationData] = field(default_factory=list)
    sources: list[SourcePointData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # rule warnings, already worded for the reader

    def as_plan(self) -> InitiativeData:
        """The plan part as the initiative form's data, so both documents print it the same way."""
        return InitiativeData(
            title=self.title,
            goal=self.goal,
            content=self.content,
            coordinator=self.coordinator,
            main_arena=self.main_arena,
            main_arena_other=self.main_arena_other,
            participants=self.participants,
            timeframe=self.timeframe,
            pyramid_level=self.pyramid_level,
            multi_professional=self.multi_professional,
            lasting=self.lasting,
            all_pupils=self.all_pupils,
        )


@dataclass(frozen=True)
class PlannedConferenceData:
    """A dialogue conference in the calendar; `id` keeps its calendar entry stable across exports."""

    id: int | str
    title: str
    held_on: date


@dataclass(frozen=True)
class MeasuresReport:
    """Everything the status report, the dossiers and the annual calendar are made from.

    `as_of` is the day the documents speak of ("next milestone", "overdue"); the caller
    passes today so that a document built twice on one day is the same document.
    """

    organisation: str
    as_of: date
    measures: list[MeasureData] = field(default_factory=list)
    conferences: list[PlannedConferenceData] = field(default_factory=list)
    level: str = "school"  # "municipal" | "school"
