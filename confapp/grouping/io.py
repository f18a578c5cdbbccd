"""Reading participant lists and earlier rounds from files, writing plans as JSON-ready data.

Participant lists come from spreadsheets, so the reader accepts what Norwegian Excel
produces: a UTF-8 BOM, semicolon or tab separators, and Norwegian column names.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from .model import GroupingError, Person, RoundPlan

REQUIRED = ("id", "role")
OPTIONAL = ("unit", "grade_team", "lead")
ALIASES = {
    "rolle": "role",
    "yrke": "role",
    "profession": "role",
    "yrkesgruppe": "role",
    "enhet": "unit",
    "skole": "unit",
    "school": "unit",
    "trinnteam": "grade_team",
    "trinn": "grade_team",
    "gradeteam": "grade_team",
    "leder": "lead",
    "gruppeleder": "lead",
}
TRUE = {"1", "true", "yes", "y", "x", "ja", "j"}
FALSE = {"", "0", "false", "no", "n", "nei"}


def _column(name: str) -> str:
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def read_people_csv(path: str | Path) -> tuple[list[Person], list[str]]:
    """People and the recognised columns of a CSV file; errors name the line and column."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GroupingError(
            f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as CSV UTF-8"
        ) from exc
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise GroupingError(f"{name}: empty file; expected a header line with at least: id, role")
    header_line = lines[0]
    delimiter = max(",;\t", key=header_line.count) if any(c in header_line for c in ",;\t") else ","
    rows = csv.reader(lines, delimiter=delimiter)
    header = [_column(h) for h in next(rows)]
    for col in header:
        if col and header.count(col) > 1:
            raise GroupingError(f"{name}: column {col!r} appears more than once in the header")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GroupingError(
            f"{name}: missing required column {', '.join(repr(c) for c in missing)} "
            f"(header line 1 has: {', '.join(h for h in header if h) or 'nothing'})"
        )
    pos = {c: header.index(c) for c in (*REQUIRED, *OPTIONAL) if c in header}
    people: list[Person] = []
    first_line: dict[str, int] = {}
    for lineno, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(col: str, row: list[str] = row) -> str:
            k = pos.get(col)
            return row[k].strip() if k is not None and k < len(row) else ""

        pid = cell("id")
        if not pid:
            raise GroupingError(f"{name} line {lineno}: empty value in column 'id'")
        if pid in first_line:
            raise GroupingError(
                f"{name} line {lineno}: duplicate id {pid!r} (first on line {first_line[pid]})"
            )
        first_line[pid] = lineno
        lead_raw = cell("lead").lower()
        if lead_raw not in TRUE | FALSE:
            raise GroupingError(
                f"{name} line {lineno}, column 'lead': {cell('lead')!r} is not yes/no (1/0, ja/nei)"
            )
        people.append(
            Person(
                id=pid,
                role=cell("role"),
                unit=cell("unit"),
                grade_team=cell("grade_team"),
                lead=lead_raw in TRUE,
            )
        )
    if not people:
        raise GroupingError(f"{name}: no participants below the header")
    return people, [c for c in header if c in pos]


def load_people_csv(path: str | Path) -> list[Person]:
    """Participants from a CSV with a header of at least ``id`` and ``role``.

    Optional columns: ``unit``, ``grade_team``, ``lead`` (yes/no). Blank lines are skipped;
    a missing column, an empty or duplicate id raise :class:`GroupingError`.
    """
    return read_people_csv(path)[0]


def parse_previous(data: object, source: str = "previous rounds") -> list[list[list[str]]]:
    """Earlier rounds from JSON data: a list of rounds, or this tool's own output ({"rounds": ...}).

    A round is a list of groups or an object with "groups"; a group is a list of ids.
    """
    if isinstance(data, dict) and "rounds" in data:
        data = data["rounds"]
    if not isinstance(data, list):
        raise GroupingError(f"{source}: expected a list of rounds, each a list of groups of participant ids")
    rounds: list[list[list[str]]] = []
    for r, rnd in enumerate(data, start=1):
        if isinstance(rnd, dict) and "groups" in rnd:
            rnd = rnd["groups"]
        if not isinstance(rnd, list):
            raise GroupingError(f"{source}: round {r} is not a list of groups")
        groups: list[list[str]] = []
        for g, group in enumerate(rnd, start=1):
            if not isinstance(group, list) or not all(isinstance(p, str | int) for p in group):
                raise GroupingError(f"{source}: round {r}, group {g} is not a list of participant ids")
            groups.append([str(p) for p in group])
        rounds.append(groups)
    return rounds


def load_previous_json(path: str | Path) -> list[list[list[str]]]:
    """Earlier rounds from a JSON file (see :func:`parse_previous`)."""
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise GroupingError(
            f"{name} line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"
        ) from exc
    return parse_previous(data, name)


def plans_to_dict(plans: Sequence[RoundPlan], **info: object) -> dict[str, object]:
    """The CLI's JSON: rounds as plain id lists plus one ``metrics`` object over all rounds."""
    per_round = [p.metrics.to_dict() for p in plans]
    return {
        **info,
        "rounds": [[list(g) for g in p.groups] for p in plans],
        "metrics": {
            "repeated_pairs": sum(p.metrics.repeated_pairs for p in plans),
            "size_spread": max((p.metrics.size_spread for p in plans), default=0),
            "mixed_field": plans[0].metrics.mixed_field if plans else "role",
            "distinct_per_group": [p.metrics.distinct_per_group for p in plans],
            "min_distinct": min((p.metrics.min_distinct for p in plans), default=0),
            "bound_distinct": min((p.metrics.bound_distinct for p in plans), default=0),
            "per_round": per_round,
        },
    }
