"""What the strategy forum's agenda and minutes (Word) are made from: plain data, no database.

`confapp.export.forum` fills it from `confapp.services.forum`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Postponement:
    on: date
    by: str
    reason: str


@dataclass(frozen=True)
class EscalationItem:
    school: str
    text: str  # what needs a decision
    raised_on: date
    raised_by: str
    measure: str = ""  # the measure's title; "" for a question of its own
    postponements: list[Postponement] = field(default_factory=list)
    decision: str = ""
    follow_up: str = ""
    follow_up_due: date | None = None
    decided_on: date | None = None
    decided_by: str = ""


@dataclass(frozen=True)
class ForumReport:
    organisation: str  # the municipality
    as_of: date
    agenda: list[EscalationItem] = field(default_factory=list)  # oldest first
    minutes: list[EscalationItem] = field(default_factory=list)  # in the order decided
