"""Changes during a running round: late arrivals, people leaving, rebalancing.

These never reshuffle a round: a late arrival joins one group, someone leaving causes at
most one other person to change tables. People sitting down should not be asked to move
because someone else was late.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .metrics import met_pairs, pair
from .model import GroupingError, Person, Rounds


def _lookup(people: Sequence[Person]) -> dict[str, Person]:
    return {p.id: p for p in people}


def _join_key(
    person: Person,
    group: Sequence[str],
    by_id: dict[str, Person],
    met: dict,
    mixed_field: str,
) -> tuple[int, int, int, int]:
    """Lower is better: fewest repeated pairs, then brings a missing value, then fewest same unit/role."""
    others = [by_id.get(q, Person(q)) for q in group if q != person.id]
    repeats = sum(1 for q in others if pair(person.id, q.id) in met)
    value = person.value(mixed_field)
    missing = 0 if any(q.value(mixed_field) == value for q in others) else -1
    same_unit = sum(1 for q in others if person.unit and q.unit == person.unit)
    same_role = sum(1 for q in others if q.role == person.role)
    return repeats, missing, same_unit, same_role


def place_late_arrival(
    person: Person,
    current: Sequence[Sequence[str]],
    people: Sequence[Person],
    previous: Rounds = (),
    *,
    mixed_field: str = "role",
) -> int:
    """Index of the group a late arrival should join.

    Only the smallest groups are candidates (so sizes stay within one); among them the one
    where the person repeats fewest earlier pairs, then where their ``mixed_field`` value is
    missing, then with fewest people from the same unit and role; ties go to the lowest index.
    """
    if not current:
        raise GroupingError("there are no groups to join")
    for gi, group in enumerate(current):
        if person.id in group:
            raise GroupingError(f"{person.id!r} is already in group {gi + 1}")
    by_id = _lookup(people)
    by_id[person.id] = person
    present = {q for g in current for q in g} | {person.id}
    met = met_pairs(previous, present)
    smallest = min(len(g) for g in current)
    candidates = [gi for gi, g in enumerate(current) if len(g) == smallest]
    return min(candidates, key=lambda gi: (_join_key(person, current[gi], by_id, met, mixed_field), gi))


def _best_mover(
    source: Sequence[str],
    target: Sequence[str],
    by_id: dict[str, Person],
    met: dict,
    fixed: Collection[str],
    mixed_field: str,
) -> str | None:
    """Who moves from source to target: fewest repeats there, then both tables as mixed as possible."""
    movable = [q for q in source if q not in fixed]
    if not movable:
        return None

    def value(q: str) -> str:
        return by_id.get(q, Person(q)).value(mixed_field)

    def key(q: str) -> tuple:
        person = by_id.get(q, Person(q))
        repeats, _, same_unit, same_role = _join_key(person, target, by_id, met, mixed_field)
        src_after = len({value(r) for r in source if r != q})
        tgt_after = len({value(r) for r in target} | {value(q)})
        return (repeats, -min(src_after, tgt_after), -(src_after + tgt_after), same_unit, same_role)

    return min(movable, key=lambda q: (key(q), source.index(q)))


def remove_person(
    current: Sequence[Sequence[str]],
    person_id: str,
    *,
    people: Sequence[Person] = (),
    previous: Rounds = (),
    mixed_field: str = "role",
) -> list[list[str]]:
    """Take someone out of the round; move at most one person to keep sizes within one.

    With ``people`` (and ``previous``) the moved person is chosen to avoid repeated pairs and
    keep tables mixed; without them, the last-listed person of the largest group moves.
    """
    groups = [list(g) for g in current]
    where = [gi for gi, g in enumerate(groups) if person_id in g]
    if not where:
        raise GroupingError(f"{person_id!r} is not in any group")
    gi = where[0]
    groups[gi].remove(person_id)
    sizes = [len(g) for g in groups]
    if max(sizes) - min(sizes) > 1 and len(groups[gi]) == min(sizes):
        src = min((k for k in range(len(groups)) if sizes[k] == max(sizes)), key=lambda k: k)
        by_id = _lookup(people)
        met = met_pairs(previous, {q for g in groups for q in g})
        mover = (
            _best_mover(groups[src], groups[gi], by_id, met, (), mixed_field) if by_id else groups[src][-1]
        )
        if mover is not None:
            groups[src].remove(mover)
            groups[gi].append(mover)
    return groups


def rebalance(
    current: Sequence[Sequence[str]],
    people: Sequence[Person],
    previous: Rounds = (),
    *,
    fixed: Collection[str] = (),
    mixed_field: str = "role",
) -> list[list[str]]:
    """Move people from the largest to the smallest groups until sizes are within one."""
    groups = [list(g) for g in current]
    by_id = _lookup(people)
    met = met_pairs(previous, {q for g in groups for q in g})
    while groups:
        sizes = [len(g) for g in groups]
        if max(sizes) - min(sizes) <= 1:
            break
        dst = sizes.index(min(sizes))
        sources = sorted(k for k in range(len(groups)) if sizes[k] == max(sizes))
        moved = False
        for src in sources:
            mover = _best_mover(groups[src], groups[dst], by_id, met, fixed, mixed_field)
            if mover is not None:
                groups[src].remove(mover)
                groups[dst].append(mover)
                moved = True
                break
        if not moved:
            raise GroupingError("the pinned people leave no way to make group sizes within one")
    return groups
