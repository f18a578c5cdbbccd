"""Plain data types shared by the grouping engine, its CLI and the app.

Everything here is deliberately free of Flask and the database: the engine takes
people and earlier rounds as plain values and returns plain values, so the
facilitator console, the CLI and the tests all drive the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

FIELDS: tuple[str, ...] = ("role", "unit", "grade_team")
"""Person attributes a strategy can group or mix by."""

Groups = list[list[str]]
"""One round: participant ids per group; group i is "table i+1"."""

Rounds = Sequence[Sequence[Sequence[str]]]
"""Earlier rounds, oldest first, each a sequence of groups of participant ids."""


class GroupingError(ValueError):
    """Bad input to the engine, with a message a facilitator can act on (English; the UI translates)."""


@dataclass(frozen=True)
class Person:
    """A participant present at the conference."""

    id: str
    role: str = ""
    unit: str = ""
    grade_team: str = ""
    lead: bool = False

    def value(self, field_name: str) -> str:
        """The person's value for a grouping field ("role", "unit" or "grade_team")."""
        if field_name not in FIELDS:
            raise GroupingError(f"unknown field {field_name!r}; expected one of {', '.join(FIELDS)}")
        return str(getattr(self, field_name))


@dataclass(frozen=True)
class Strategy:
    """A parsed strategy string: kind is mixed, by, keep or random; field is set for "by"."""

    kind: str  # "measure" is "by:measure": trial teams at their measures' tables (teams.py)
    field: str = ""

    @property
    def mixed_field(self) -> str:
        """The field whose spread is reported: role, unless the groups are homogeneous by role."""
        return "unit" if self.kind == "by" and self.field == "role" else "role"

    def __str__(self) -> str:
        if self.kind == "measure":
            return "by:measure"
        return f"by:{self.field}" if self.kind == "by" else self.kind


STRATEGY_NAMES = ("mixed", "random", "keep", "by:role", "by:unit", "by:grade_team", "by:measure")


def parse_strategy(text: str) -> Strategy:
    """Accept "mixed", "random", "keep", "by:FIELD" (also "by:grade-team") or "by:measure"."""
    raw = text.strip().lower()
    if raw in ("mixed", "random", "keep"):
        return Strategy(raw)
    if raw == "by:measure":
        return Strategy("measure")
    if raw.startswith("by:"):
        name = raw[3:].strip().replace("-", "_")
        if name in FIELDS:
            return Strategy("by", name)
        raise GroupingError(f"unknown field in strategy {text!r}; expected by:role, by:unit or by:grade_team")
    if raw == "manual":
        raise GroupingError("strategy 'manual' is not planned by the engine; use check_plan() on your groups")
    raise GroupingError(f"unknown strategy {text!r}; expected one of {', '.join(STRATEGY_NAMES)}")


_NOUNS = {
    "nb": {"role": ("yrkesgruppe", "yrkesgrupper"), "unit": ("enhet", "enheter"),
           "grade_team": ("trinnteam", "trinnteam")},
    "nn": {"role": ("yrkesgruppe", "yrkesgrupper"), "unit": ("eining", "einingar"),
           "grade_team": ("trinnteam", "trinnteam")},
    "en": {"role": ("profession", "professions"), "unit": ("unit", "units"),
           "grade_team": ("grade team", "grade teams")},
}  # fmt: skip


@dataclass
class Metrics:
    """What the facilitator needs to judge a round, plus the bounds the engine aimed for.

    ``bound_distinct`` is the largest k such that *every* group can have k distinct values
    of ``mixed_field`` with these group sizes: min(smallest group, floor(sum_v min(n_v, G) / G))
    where n_v is the number of people with value v and G the number of groups. It is never
    above min(#distinct values, smallest group) and is exact (attainable) when repeats are
    ignored: a value with fewer people than groups cannot reach every group.
    """

    repeated_pairs: int
    size_spread: int
    distinct_per_group: list[int]
    mixed_field: str
    bound_distinct: int
    sizes: list[int] = field(default_factory=list)
    homogeneous_field: str = ""
    mixed_groups: list[int] = field(default_factory=list)
    """Indexes of groups that are not homogeneous by ``homogeneous_field`` (leads ignored)."""
    unplaced: list[str] = field(default_factory=list)
    """Present people missing from the checked groups (manual plans only)."""
    zero_repeats_guaranteed: bool = False
    """The Hajnal-Szemeredi bound proves a plan without repeated pairs exists and the strategy
    aims for one (mixed or by-field without pins), so the engine promises 0 repeated pairs.
    From ``check_plan`` it only says such a plan exists for these sizes."""
    repeat_lower_bound: int = 0
    """Repeated pairs no plan with these sizes can avoid (pigeonhole over one earlier round)."""

    @property
    def min_distinct(self) -> int:
        return min(self.distinct_per_group, default=0)

    def to_dict(self) -> dict[str, object]:
        return {
            "repeated_pairs": self.repeated_pairs,
            "size_spread": self.size_spread,
            "sizes": list(self.sizes),
            "mixed_field": self.mixed_field,
            "distinct_per_group": list(self.distinct_per_group),
            "min_distinct": self.min_distinct,
            "bound_distinct": self.bound_distinct,
            "homogeneous_field": self.homogeneous_field,
            "mixed_groups": list(self.mixed_groups),
            "unplaced": list(self.unplaced),
            "zero_repeats_guaranteed": self.zero_repeats_guaranteed,
            "repeat_lower_bound": self.repeat_lower_bound,
            "summary": self.summary(),
        }

    def summary(self, lang: str = "nb") -> str:
        """One plain sentence, e.g. "0 gjentatte par, hver gruppe har minst 3 yrkesgrupper"."""
        lang = lang if lang in _NOUNS else "nb"
        n = self.repeated_pairs
        head = {
            "nb": f"{n} gjentatt par" if n == 1 else f"{n} gjentatte par",
            "nn": f"{n} gjenteke par" if n == 1 else f"{n} gjentekne par",
            "en": f"{n} repeated pair" if n == 1 else f"{n} repeated pairs",
        }[lang]
        if 0 < n <= self.repeat_lower_bound:
            head += {"nb": " (uunngåelig)", "nn": " (uunngåeleg)", "en": " (unavoidable)"}[lang]
        parts = [head]
        if self.homogeneous_field:
            noun = _NOUNS[lang][self.homogeneous_field][0]
            k = len(self.mixed_groups)
            if k == 0:
                parts.append(
                    {
                        "nb": f"alle grupper er homogene etter {noun}",
                        "nn": f"alle grupper er homogene etter {noun}",
                        "en": f"every group is homogeneous by {noun}",
                    }[lang]
                )
            else:
                parts.append(
                    {
                        "nb": f"{k} {'gruppe er blandet' if k == 1 else 'grupper er blandet'}",
                        "nn": f"{k} {'gruppe er blanda' if k == 1 else 'grupper er blanda'}",
                        "en": f"{k} {'group is mixed' if k == 1 else 'groups are mixed'}",
                    }[lang]
                )
        if self.distinct_per_group and (not self.homogeneous_field or self.min_distinct > 1):
            m = self.min_distinct
            one, many = _NOUNS[lang][self.mixed_field]
            noun = one if m == 1 else many
            parts.append(
                {
                    "nb": f"hver gruppe har minst {m} {noun}",
                    "nn": f"kvar gruppe har minst {m} {noun}",
                    "en": f"every group has at least {m} {noun}",
                }[lang]
            )
        if self.size_spread > 1 and self.sizes:
            lo, hi = min(self.sizes), max(self.sizes)
            parts.append(
                {
                    "nb": f"ujevne grupper ({lo}–{hi} personer)",
                    "nn": f"ujamne grupper ({lo}–{hi} personar)",
                    "en": f"uneven groups ({lo}–{hi} people)",
                }[lang]
            )
        if self.unplaced:
            k = len(self.unplaced)
            parts.append(
                {
                    "nb": f"{k} {'person' if k == 1 else 'personer'} uten gruppe",
                    "nn": f"{k} {'person' if k == 1 else 'personar'} utan gruppe",
                    "en": f"{k} {'person' if k == 1 else 'people'} without a group",
                }[lang]
            )
        return ", ".join(parts)


@dataclass
class RoundPlan:
    """One planned round: the groups and how good they are."""

    groups: Groups
    metrics: Metrics

    def to_dict(self) -> dict[str, object]:
        return {"groups": [list(g) for g in self.groups], "metrics": self.metrics.to_dict()}
