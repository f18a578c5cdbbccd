"""Strategy "by:measure": the people who ran a measure's trial sit at that measure's table.

In an evaluation round (DK2/DK3) table k evaluates measure k. The guide wants at least one person who
ran the trial in each evaluation, so each measure's trial team is seated at its table (as pins) and
everyone else is mixed around them as usual. Teams come as names (the plan's coordinator and "who
takes part in the trial", and any list the facilitator gives); `match_team` finds the people present
by name, ignoring case, spacing and titles in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .model import GroupingError

_SPLIT = re.compile(r"[\n,;]+|\s+(?:og|and)\s+", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^)]*\)")


def name_key(name: str) -> str:
    """A name as compared: "  kari  NORDMANN (PPT)" and "Kari Nordmann" are the same person."""
    return " ".join(_BRACKETS.sub(" ", name).split()).casefold()


def team_names(*texts: str) -> list[str]:
    """Names in free text: one per line, or separated by commas, semicolons or "og"/"and"."""
    out: list[str] = []
    for text in texts:
        for part in _SPLIT.split(text or ""):
            key = name_key(part)
            if key and key not in out:
                out.append(key)
    return out


def match_team(names: Mapping[str, str], wanted: Sequence[str]) -> list[str]:
    """Ids (of `names`: id -> display name) of the people whose name is among `wanted`, in id order."""
    keys = {name_key(w) for w in wanted}
    return [pid for pid, name in names.items() if name_key(name) in keys]


def team_pins(teams: Sequence[Sequence[str]], groups: int) -> dict[str, int]:
    """Team k (person ids) to group index k. Someone in two teams sits with the first one."""
    if len(teams) > groups:
        raise GroupingError(f"{len(teams)} measures are evaluated, but there are only {groups} groups")
    pins: dict[str, int] = {}
    for index, team in enumerate(teams):
        for pid in team:
            pins.setdefault(pid, index)
    return pins
