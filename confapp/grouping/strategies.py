"""Turning a strategy and a size request into a solved round.

Group count: ``group_size=K`` gives G = ceil(n / K) groups, so no group exceeds K and sizes
are within one (e.g. 31 people, K=8: 8+8+8+7); ``groups=G`` is taken as is. Either way no
group may drop below 2 people.

By-field rule (``by:FIELD``): homogeneity wins over equal sizes. Non-lead people are
partitioned by their value; each value gets at least one group of its own (so asking for
fewer groups than there are values gives one group per value), and the number of groups per
value is chosen to make the sizes across the whole round as even as possible; inside one
value sizes are always within one. Leads (external professionals leading a table) are not
part of any value: they are spread one per group, smallest groups first. A value held by a
single non-lead person cannot form a group; that person joins the smallest group, which is
then reported as mixed. A facilitator's pin always wins, even against homogeneity.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from .engine import Problem, solve
from .metrics import (
    balanced_sizes,
    compute_metrics,
    distinct_bound,
    index_people,
    max_partners,
    met_pairs,
    repeat_lower_bound,
)
from .model import GroupingError, Person, RoundPlan, Rounds, Strategy, parse_strategy
from .teams import team_pins


def group_count(n: int, group_size: int | None, groups: int | None) -> int:
    """Validate the size request and return the number of groups."""
    if (group_size is None) == (groups is None):
        raise GroupingError("give exactly one of group size or number of groups")
    if n < 2:
        raise GroupingError(f"at least 2 participants are needed to make groups, got {n}")
    if group_size is not None:
        if group_size < 2:
            raise GroupingError(f"group size must be at least 2, got {group_size}")
        if group_size > n:
            raise GroupingError(f"group size {group_size} is larger than the {n} participants present")
        return -(-n // group_size)
    assert groups is not None
    if groups < 1:
        raise GroupingError(f"number of groups must be at least 1, got {groups}")
    if groups > n // 2:
        raise GroupingError(f"{groups} groups of {n} participants would leave groups of fewer than 2")
    return groups


def _validate_pins(pins: Mapping[str, int] | None, by_id: Mapping[str, Person], g: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for pid, gi in (pins or {}).items():
        if pid not in by_id:
            raise GroupingError(f"pinned participant {pid!r} is not among the participants present")
        if not isinstance(gi, int) or isinstance(gi, bool) or not 0 <= gi < g:
            raise GroupingError(
                f"{pid!r} is pinned to group index {gi!r}, but there are {g} groups (indexes 0–{g - 1})"
            )
        out[pid] = gi
    return out


def _fit_caps(sizes: list[int], pin_counts: list[int], classes: list[int] | None = None) -> list[int]:
    """Give the larger sizes of each class to the groups with the most pins; fail if pins overflow."""
    g = len(sizes)
    classes = classes or [0] * g
    caps = list(sizes)
    for c in sorted(set(classes)):
        idx = [k for k in range(g) if classes[k] == c]
        pool = sorted((sizes[k] for k in idx), reverse=True)
        for k, size in zip(sorted(idx, key=lambda k: (-pin_counts[k], k)), pool, strict=True):
            caps[k] = size
    for k in range(g):
        if pin_counts[k] > caps[k]:
            raise GroupingError(
                f"{pin_counts[k]} people are pinned to group {k + 1}, which only seats {caps[k]}"
            )
    return caps


def _ids(values: Sequence[str], skip_empty: bool = False) -> tuple[list[int], int]:
    table: dict[str, int] = {}
    out = []
    for v in values:
        if skip_empty and not v:
            out.append(-1)
            continue
        out.append(table.setdefault(v, len(table)))
    return out, len(table)


def _adjacency(people: Sequence[Person], previous: Rounds) -> tuple[list[list[tuple[int, int]]], dict]:
    index = {p.id: i for i, p in enumerate(people)}
    met = met_pairs(previous, index)
    adj: list[list[tuple[int, int]]] = [[] for _ in people]
    for (a, b), w in met.items():
        adj[index[a]].append((index[b], w))
        adj[index[b]].append((index[a], w))
    return adj, met


def _problem(
    people: Sequence[Person],
    previous: Rounds,
    caps: list[int],
    pins: Mapping[str, int],
    *,
    bound: int,
    cls: list[int] | None = None,
    gcls: list[int] | None = None,
    lead_target: list[int] | None = None,
) -> Problem:
    floor = 0 if lead_target is not None else repeat_lower_bound([p.id for p in people], previous, caps)
    role, n_roles = _ids([p.role for p in people])
    unit, n_units = _ids([p.unit for p in people], skip_empty=True)
    adj, _ = _adjacency(people, previous)
    return Problem(
        role=role,
        unit=unit,
        lead=[p.lead for p in people],
        cls=cls or [-1] * len(people),
        gcls=gcls or [-1] * len(caps),
        cap=caps,
        lead_target=lead_target,
        pinned=[pins.get(p.id, -1) for p in people],
        adj=adj,
        bound=bound,
        n_roles=n_roles,
        n_units=n_units,
        repeat_floor=floor,
    )


def _to_groups(people: Sequence[Person], asg: Sequence[int], g: int) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in range(g)]
    for p, gi in zip(people, asg, strict=True):
        groups[gi].append(p.id)
    return groups


def _pin_counts(pins: Mapping[str, int], g: int) -> list[int]:
    counts = [0] * g
    for gi in pins.values():
        counts[gi] += 1
    return counts


def _plan_mixed(people, previous, g, pins, seed, *, shuffle_only: bool) -> tuple[list[list[str]], None]:
    caps = _fit_caps(balanced_sizes(len(people), g), _pin_counts(pins, g))
    if shuffle_only:
        rng = random.Random(seed)
        groups: list[list[str]] = [[] for _ in range(g)]
        for pid, gi in pins.items():
            groups[gi].append(pid)
        free = [p.id for p in people if p.id not in pins]
        rng.shuffle(free)
        for gi in range(g):
            take = caps[gi] - len(groups[gi])
            groups[gi].extend(free[:take])
            free = free[take:]
        return groups, None
    bound = distinct_bound([p.role for p in people], caps)
    pb = _problem(people, previous, caps, pins, bound=bound)
    return _to_groups(people, solve(pb, seed), g), None


def _final_sizes(
    counts: Mapping[str, int], alloc: Mapping[str, int], leads: int
) -> tuple[list[int], list[int]]:
    """Group sizes per value (within one); leads go one per group first, then to the smallest."""
    sizes = [s for v in counts for s in balanced_sizes(counts[v], alloc[v])]
    lead_target = [0] * len(sizes)
    for _ in range(leads):
        k = min(range(len(sizes)), key=lambda x: (lead_target[x], sizes[x] + lead_target[x], x))
        lead_target[k] += 1
    return sizes, lead_target


def _size_score(counts: Mapping[str, int], alloc: Mapping[str, int], leads: int) -> tuple[int, float]:
    sizes, lead_target = _final_sizes(counts, alloc, leads)
    final = [s + t for s, t in zip(sizes, lead_target, strict=True)]
    mean = sum(final) / len(final)
    return max(final) - min(final), sum((x - mean) ** 2 for x in final)


def apportion(counts: Mapping[str, int], g: int, leads: int = 0) -> dict[str, int]:
    """Groups per value: at least one each, at least 2 non-leads per group, sizes as even as possible.

    Starts from a largest-average (D'Hondt) allocation, then moves single groups between
    values while that narrows the spread of final sizes (leads included).
    """
    values = list(counts)
    if not values:
        return {}
    total = min(max(g, len(values)), sum(max(1, counts[v] // 2) for v in values))
    alloc = dict.fromkeys(values, 1)

    def can_grow(v: str) -> bool:
        return counts[v] // (alloc[v] + 1) >= 2

    for _ in range(total - len(values)):
        grow = [v for v in values if can_grow(v)]
        if not grow:
            break
        best = max(grow, key=lambda v: (counts[v] / alloc[v], -values.index(v)))
        alloc[best] += 1
    score = _size_score(counts, alloc, leads)
    improved = True
    while improved:
        improved = False
        for v in values:
            for w in values:
                if v == w or alloc[v] <= 1 or not can_grow(w):
                    continue
                alloc[v] -= 1
                alloc[w] += 1
                new = _size_score(counts, alloc, leads)
                if new < score:
                    score, improved = new, True
                else:
                    alloc[v] += 1
                    alloc[w] -= 1
    return alloc


def _plan_by_field(people, previous, g, pins, seed, field_name) -> tuple[list[list[str]], bool]:
    counts: dict[str, int] = {}
    for p in people:
        if not p.lead:
            counts[p.value(field_name)] = counts.get(p.value(field_name), 0) + 1
    singles = {v for v, c in counts.items() if c == 1}
    grouped = {v: c for v, c in sorted(counts.items()) if c >= 2}
    if not grouped:
        raise GroupingError(f"no value of {field_name} is shared by two or more participants")
    leads = [p for p in people if p.lead]
    alloc = apportion(grouped, g, len(leads))
    gcls_names = [v for v, k in alloc.items() for _ in range(k)]
    sizes, lead_target = _final_sizes(grouped, alloc, len(leads))
    sizes = [s + t for s, t in zip(sizes, lead_target, strict=True)]
    total = len(sizes)
    for _ in singles:
        gi = min(range(total), key=lambda x: (sizes[x], x))
        sizes[gi] += 1
    pins = _validate_pins(pins, index_people(people), total)
    names = {v: i for i, v in enumerate(grouped)}
    gcls = [names[v] for v in gcls_names]
    caps = _fit_caps(sizes, _pin_counts(pins, total), gcls)
    cls = [-1 if p.lead or p.value(field_name) in singles else names[p.value(field_name)] for p in people]
    pb = _problem(people, previous, caps, pins, bound=0, cls=cls, gcls=gcls, lead_target=lead_target)
    groups = _to_groups(people, solve(pb, seed), total)
    guaranteed = not leads and not singles and not pins
    if guaranteed:
        for v, k in alloc.items():
            ids = [p.id for p in people if p.value(field_name) == v]
            if k < max_partners(met_pairs(previous, ids)) + 1:
                guaranteed = False
    return groups, guaranteed


def _plan_keep(people, previous, pins) -> list[list[str]]:
    from .live import place_late_arrival, rebalance

    if not previous:
        raise GroupingError("strategy 'keep' needs a previous round")
    by_id = index_people(people)
    if not any(p in by_id for grp in previous[-1] for p in grp):
        raise GroupingError("strategy 'keep': nobody from the previous round is present")
    # a table whose people have all left is dropped; later tables move up one number
    groups = [[p for p in grp if p in by_id and p not in (pins or {})] for grp in previous[-1]]
    groups = [grp for grp, old in zip(groups, previous[-1], strict=True) if any(p in by_id for p in old)]
    pins = _validate_pins(pins, by_id, len(groups))
    for pid, gi in pins.items():
        groups[gi].append(pid)
    seated = {p for grp in groups for p in grp}
    for p in people:
        if p.id not in seated:
            groups[place_late_arrival(p, groups, people, previous[:-1])].append(p.id)
    return rebalance(groups, people, previous[:-1], fixed=set(pins))


def plan_round(
    people: Sequence[Person],
    previous: Rounds = (),
    *,
    strategy: str = "mixed",
    group_size: int | None = None,
    groups: int | None = None,
    pins: Mapping[str, int] | None = None,
    seed: int = 0,
    teams: Sequence[Sequence[str]] = (),
) -> RoundPlan:
    """Plan the next round for the people present, given the rounds already held.

    ``previous`` lists earlier rounds (groups of ids); people absent now are ignored.
    Strategies: "mixed" spreads roles (then units) so every group reaches the distinct
    bound, then minimises repeated pairs; "by:role" / "by:unit" / "by:grade_team" makes
    homogeneous groups (rule in the module docstring); "keep" repeats the last previous
    round with the absent removed, newcomers placed as late arrivals and sizes evened out
    (``group_size``/``groups`` are ignored); "random" is a plain balanced shuffle;
    "by:measure" seats ``teams[k]`` (ids: a measure's trial team) at group k and mixes the rest
    as "mixed" does. ``pins`` (id -> group index) are always honoured, before any team.
    Raises GroupingError on bad input.
    """
    by_id = index_people(people)
    strat = parse_strategy(strategy)
    guaranteed: bool | None = None
    if strat.kind == "keep":
        result, guaranteed = _plan_keep(people, previous, pins), False
    else:
        g = group_count(len(people), group_size, groups)
        if strat.kind == "by":
            result, guaranteed = _plan_by_field(people, previous, g, pins, seed, strat.field)
        else:
            if strat.kind == "measure":
                present = [[pid for pid in team if pid in by_id] for team in teams]
                pins = {**team_pins(present, g), **(pins or {})}
            valid = _validate_pins(pins, by_id, g)
            result, _ = _plan_mixed(people, previous, g, valid, seed, shuffle_only=strat.kind == "random")
            if valid or strat.kind == "random":
                guaranteed = False  # a shuffle does not aim for it; pins void the theorem's premise
    metrics = compute_metrics(
        by_id,
        result,
        previous,
        mixed_field=strat.mixed_field,
        homogeneous_field=strat.field if strat.kind == "by" else "",
        guaranteed=guaranteed,
    )
    return RoundPlan(groups=result, metrics=metrics)


def plan_rounds(
    people: Sequence[Person],
    rounds: int,
    *,
    previous: Rounds = (),
    strategy: str = "mixed",
    group_size: int | None = None,
    groups: int | None = None,
    pins: Mapping[str, int] | None = None,
    seed: int = 0,
) -> list[RoundPlan]:
    """Plan several rounds in a row, each avoiding the pairs of all rounds before it."""
    if rounds < 1:
        raise GroupingError(f"number of rounds must be at least 1, got {rounds}")
    history = [[list(g) for g in rnd] for rnd in previous]
    plans: list[RoundPlan] = []
    for k in range(rounds):
        plan = plan_round(
            people,
            history,
            strategy=strategy,
            group_size=group_size,
            groups=groups,
            pins=pins,
            seed=seed * 1_000_003 + k,
        )
        plans.append(plan)
        history.append(plan.groups)
    return plans


__all__ = ["Strategy", "apportion", "group_count", "plan_round", "plan_rounds"]
