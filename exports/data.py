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
