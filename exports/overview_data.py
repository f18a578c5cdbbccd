"""What the school owner's overview (Word) is made from: plain data, no database.

`confapp.export.overview` fills it from `confapp.services.school_owner`; status, flag and pyramid
values are the service's keys (labels come from `exports.overview_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class OverviewMeasure:
    title: str
    status: str
    pyramid_level: str  # "preventive" | "early" | "individual" | ""
    coordinator: str = ""
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanStepData:
    template: str  # "dk1_municipal" … "closing"
    state: str  # "held" | "planned" | "missing"
    title: str = ""
    held_on: date | None = None


@dataclass(frozen=True)
class SchoolData:
    name: str
    measures: list[OverviewMeasure] = field(default_factory=list)
    with_coordinator: int = 0
    with_forum: int = 0
    plan: list[PlanStepData] = field(default_factory=list)


@dataclass(frozen=True)
class OverviewReport:
    organisation: str
    as_of: date
    year: int
    schools: list[SchoolData] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # in the lifecycle's order
    # chart[pyramid level][status] = number of measures
    chart: dict[str, dict[str, int]] = field(default_factory=dict)
