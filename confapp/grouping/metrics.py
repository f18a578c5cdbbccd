"""Measuring a round and the bounds the engine is judged against.

Two bounds matter to a facilitator:

* **Distinct values per group** (how multi-professional every table can be):
  ``distinct_bound`` = min(smallest group, floor(sum_v min(n_v, G) / G)). A value held by
  n_v people can appear in at most min(n_v, G) of the G groups, so the groups together have
  at most that many "value slots"; dealing the values round-robin (each value a contiguous
  run of at most G slots) reaches the bound, so it is exact when repeats are ignored.

* **Zero repeated pairs**: let D be the largest number of *present* people any present person
  has already sat with. By the Hajnal-Szemeredi theorem a graph of maximum degree D has an
  equitable colouring (classes within one in size) with any G >= D + 1 colours; colour
  classes are groups, so G >= D + 1 groups with sizes within one guarantee a plan without
  repeated pairs exists. The engine's tests assert zero repeats whenever this holds.
  Conversely a group of s people drawn from the m groups of one earlier round (people not in
  that round count as their own group) repeats at least s - m pairs: ``repeat_lower_bound``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from .model import GroupingError, Metrics, Person, Rounds

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def met_pairs(previous: Rounds, present: Iterable[str] | None = None) -> dict[Pair, int]:
    """How often each pair of (present) people has sat in the same group before."""
    keep = set(present) if present is not None else None
    met: dict[Pair, int] = {}
    for rnd in previous:
        for group in rnd:
            ids = sorted({p for p in group if keep is None or p in keep})
            for a, b in combinations(ids, 2):
                met[(a, b)] = met.get((a, b), 0) + 1
    return met


def count_repeats(groups: Sequence[Sequence[str]], met: Mapping[Pair, int]) -> int:
    """Pairs sitting together in ``groups`` who already sat together (each pair once)."""
    total = 0
    for group in groups:
        for a, b in combinations(group, 2):
            if pair(a, b) in met:
                total += 1
    return total


def max_partners(met: Mapping[Pair, int]) -> int:
    """D: the most distinct earlier partners any present person has."""
    degree: dict[str, int] = {}
    for a, b in met:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    return max(degree.values(), default=0)


def balanced_sizes(n: int, g: int) -> list[int]:
    """Sizes within one of each other, larger groups first."""
    q, r = divmod(n, g)
    return [q + 1] * r + [q] * (g - r)


def zero_repeats_guaranteed(met: Mapping[Pair, int], sizes: Sequence[int]) -> bool:
    """Hajnal-Szemeredi: G >= D + 1 equitable groups can always avoid every repeat."""
    if not sizes or max(sizes) - min(sizes) > 1:
        return False
    return len(sizes) >= max_partners(met) + 1


def repeat_lower_bound(present: Iterable[str], previous: Rounds, sizes: Sequence[int]) -> int:
    """Repeats no plan with these sizes can avoid: pigeonhole over each earlier round."""
    ids = set(present)
    best = 0
    for rnd in previous:
        seen: set[str] = set()
        sources = 0
        for group in rnd:
            inside = {p for p in group if p in ids} - seen
            if inside:
                sources += 1
                seen |= inside
        sources += len(ids - seen)
        best = max(best, sum(max(0, s - sources) for s in sizes))
    return best


def distinct_bound(values: Sequence[str], sizes: Sequence[int]) -> int:
    """Most distinct values *every* group can hold (see module docstring)."""
    if not sizes:
        return 0
    g = len(sizes)
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    slots = sum(min(c, g) for c in counts.values())
    return max(0, min(min(sizes), slots // g))


def is_homogeneous(members: Sequence[Person], field_name: str) -> bool:
    """All non-lead members share one value; leads are the invited outsiders and do not count."""
    return len({p.value(field_name) for p in members if not p.lead}) <= 1


def compute_metrics(
    by_id: Mapping[str, Person],
    groups: Sequence[Sequence[str]],
    previous: Rounds = (),
    *,
    mixed_field: str = "role",
    homogeneous_field: str = "",
    guaranteed: bool | None = None,
) -> Metrics:
    """Metrics for a complete, validated round; ``guaranteed`` overrides the equitable bound."""
    placed = [p for g in groups for p in g]
    met = met_pairs(previous, placed)
    sizes = [len(g) for g in groups]
    distinct = [len({by_id[p].value(mixed_field) for p in g}) for g in groups]
    values = [by_id[p].value(mixed_field) for p in placed]
    mixed = []
    if homogeneous_field:
        mixed = [
            i for i, g in enumerate(groups) if not is_homogeneous([by_id[p] for p in g], homogeneous_field)
        ]
    return Metrics(
        repeated_pairs=count_repeats(groups, met),
        size_spread=(max(sizes) - min(sizes)) if sizes else 0,
        distinct_per_group=distinct,
        mixed_field=mixed_field,
        bound_distinct=distinct_bound(values, sizes),
        sizes=sizes,
        homogeneous_field=homogeneous_field,
        mixed_groups=mixed,
        zero_repeats_guaranteed=zero_repeats_guaranteed(met, sizes) if guaranteed is None else guaranteed,
        repeat_lower_bound=repeat_lower_bound(placed, previous, sizes),
    )


def index_people(people: Sequence[Person]) -> dict[str, Person]:
    """Map ids to people, rejecting empty or duplicate ids."""
    by_id: dict[str, Person] = {}
    for p in people:
        if not isinstance(p, Person):
            raise GroupingError(f"expected Person objects, got {type(p).__name__}")
        if not p.id:
            raise GroupingError("a participant has an empty id")
        if p.id in by_id:
            raise GroupingError(f"duplicate participant id {p.id!r}")
        by_id[p.id] = p
    return by_id


def check_plan(
    people: Sequence[Person],
    groups: Sequence[Sequence[str]],
    previous: Rounds = (),
    *,
    mixed_field: str = "role",
) -> Metrics:
    """Judge a facilitator's own ("manual") groups without changing them.

    Unknown or doubly placed ids are errors; present people left out are reported in
    ``Metrics.unplaced`` because a facilitator may still be seating them.
    """
    by_id = index_people(people)
    Person("x").value(mixed_field)  # validates the field name
    seen: dict[str, int] = {}
    for gi, group in enumerate(groups):
        for pid in group:
            if pid not in by_id:
                raise GroupingError(f"group {gi + 1}: {pid!r} is not among the participants present")
            if pid in seen:
                raise GroupingError(f"{pid!r} is in both group {seen[pid] + 1} and group {gi + 1}")
            seen[pid] = gi
    metrics = compute_metrics(by_id, [list(g) for g in groups], previous, mixed_field=mixed_field)
    metrics.unplaced = [p.id for p in people if p.id not in seen]
    return metrics
