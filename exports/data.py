"""Plain data the export builders take.

The builders never touch the database: `confapp.services.reports` turns a
conference into these dataclasses, and the builders turn them into bytes. That
keeps the Word layout testable without a server and the queries in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class MemberData:
    name: str
    role: str
    unit: str = ""
    is_leader: bool = False
    is_reporter: bool = False


@dataclass(frozen=True)
class BulletData:
    text: str
    is_plenary_point: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True)
class GroupData:
    number: int
    members: list[MemberData] = field(default_factory=list)
    bullets: list[BulletData] = field(default_factory=list)


@dataclass(frozen=True)
class NoteData:
    text: str
    author: str = ""
    group_number: int | None = None  # the table the note is about, if any
    created_at: datetime | None = None


@dataclass(frozen=True)
class AgendaItemData:
    position: int  # 1-based place in the agenda
    kind: str  # "group" | "plenary"
    title: str
    question: str = ""
    minutes: int | None = None


@dataclass(frozen=True)
class RoundData:
    """One agenda item as it was held: a group round with its tables, or a plenary with its notes."""

    position: int
    kind: str  # "group" | "plenary"
    title: str
    question: str = ""
    minutes: int | None = None
    groups: list[GroupData] = field(default_factory=list)
    notes: list[NoteData] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluatedMeasureData:
    """A measure an evaluation round's tables evaluated: its status now, the tables and their points."""

    title: str
    status: str  # the lifecycle's code: in_trial, evaluated, daily_operation …
    goal: str = ""
    tables: list[int] = field(default_factory=list)
    bullets: list[BulletData] = field(default_factory=list)


@dataclass(frozen=True)
class ConferenceReport:
    title: str
    level: str  # "municipal" | "school"
    held_on: date
    purpose: str = ""
    template_label: str = ""
    facilitators: list[str] = field(default_factory=list)
    participant_count: int = 0
    agenda: list[AgendaItemData] = field(default_factory=list)
    rounds: list[RoundData] = field(default_factory=list)
    evaluations: list[EvaluatedMeasureData] = field(default_factory=list)


# --- initiatives (development measures) drafted from clustered bullets ---


@dataclass(frozen=True)
class SourceBulletData:
    """A bullet an initiative came from, so anyone can trace the measure back to the conference."""

    text: str
    round_title: str
    group_number: int
    is_plenary_point: bool = False


@dataclass(frozen=True)
class InitiativeData:
    """The six fields of the plan, exactly as the guide names them, plus pyramid level and checks.

    Empty strings are fields the steering group fills in later; the document shows them as such.
    """

    title: str
    goal: str = ""  # Målsettingen for tiltaket
    content: str = ""  # Hva tiltaket skal bestå i
    coordinator: str = ""  # Koordinator for arbeidet med utviklingstiltaket
    coordinator_is_grade_team_leader: bool = False  # the guide advises against it: shown as a warning
    main_arena: str = ""  # "resource_team" | "grade_team" | "other" | ""
    main_arena_other: str = ""  # free text when main_arena == "other"
    participants: str = ""  # Hvem som skal delta i den praktiske utprøvingen av tiltaket
    timeframe: str = ""  # Tidsramme og framdriftsplan for arbeidet
    pyramid_level: str = ""  # "preventive" | "early" | "individual" | ""
    # The quality checks; None: not assessed (printed as such, never as a silent "no").
    multi_professional: bool | None = None  # 1: genuinely multi-professional
    lasting: bool | None = None  # 2: of some duration
    all_pupils: bool | None = None  # 3: aimed at all pupils, not one case
    status: str = "draft"  # a measure status (confapp/services/measures.py STATUSES)
    cluster_title: str = ""
    votes: int | None = None  # dots the cluster got in the conference's vote, if one was held
    sources: list[SourceBulletData] = field(default_factory=list)


@dataclass(frozen=True)
class InitiativesReport:
    conference_title: str
    held_on: date
    level: str  # "municipal" | "school"
    initiatives: list[InitiativeData] = field(default_factory=list)
    organisation: str = ""  # school or municipality name, if known
