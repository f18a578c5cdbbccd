"""Generated populations for tests, the benchmark and demos (no real people).

The mixes mimic the conferences in DOMAIN.md: a school conference is mostly teachers
(70 % or more) with a few assistants, school nurses, PPT advisers and child-welfare
workers; a municipal conference is led by principals and heads of services.
"""

from __future__ import annotations

import random

from .model import Person

MIXES: dict[str, dict[str, float]] = {
    "teachers70": {
        "teacher": 0.70,
        "assistant": 0.10,
        "special_educator": 0.06,
        "school_nurse": 0.04,
        "ppt_adviser": 0.04,
        "child_welfare": 0.03,
        "social_teacher": 0.03,
    },
    "teachers90": {"teacher": 0.90, "assistant": 0.05, "school_nurse": 0.03, "ppt_adviser": 0.02},
    "balanced": {
        r: 1 / 6 for r in ("teacher", "assistant", "school_nurse", "ppt_adviser", "child_welfare", "leader")
    },
    "municipal": {
        "principal": 0.30,
        "ppt_adviser": 0.15,
        "child_welfare": 0.15,
        "school_health": 0.15,
        "unit_head": 0.10,
        "teacher": 0.10,
        "steering_group": 0.05,
    },
}

GRADE_TEAMS = ("1-2", "3-4", "5-7", "8-10")
EXTERNAL_ROLES = ("ppt_adviser", "child_welfare", "school_nurse", "school_health")


def role_counts(n: int, mix: dict[str, float]) -> dict[str, int]:
    """Exact head counts by largest remainder, every role at least one person when n allows."""
    raw = {r: n * share for r, share in mix.items()}
    counts = {r: int(v) for r, v in raw.items()}
    for r in sorted(raw, key=lambda r: (-(raw[r] - counts[r]), r))[: n - sum(counts.values())]:
        counts[r] += 1
    for r in mix:
        if counts[r] == 0 and n >= len(mix):
            donor = max(counts, key=lambda k: counts[k])
            counts[donor] -= 1
            counts[r] = 1
    return counts


def generate_population(n: int, mix: str = "teachers70", seed: int = 0, leads: int = 0) -> list[Person]:
    """n people with roles in the given mix, spread over about n/25 units and four grade teams.

    ``leads`` people from external services (PPT, child welfare, school health) are flagged
    as leads and have no grade team, as in "grade teams, each led by one external professional".
    """
    rng = random.Random(seed)
    counts = role_counts(n, MIXES[mix])
    roles = [r for r, c in counts.items() for _ in range(c)]
    rng.shuffle(roles)
    n_units = max(2, n // 25)
    unit_weights = [1 + k % 3 for k in range(n_units)]  # uneven school sizes
    lead_idx = [i for i, r in enumerate(roles) if r in EXTERNAL_ROLES][:leads]
    if len(lead_idx) < leads:
        lead_idx += [i for i in range(n) if i not in lead_idx][: leads - len(lead_idx)]
    lead_set = set(lead_idx)
    people = []
    for i, role in enumerate(roles):
        unit = f"school_{rng.choices(range(n_units), weights=unit_weights)[0] + 1}"
        is_lead = i in lead_set
        grade = "" if is_lead else GRADE_TEAMS[rng.randrange(len(GRADE_TEAMS))]
        people.append(Person(id=f"p{i + 1:03d}", role=role, unit=unit, grade_team=grade, lead=is_lead))
    return people
