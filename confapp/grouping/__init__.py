"""Group composition for dialogue conferences: a pure engine (plain data in, plain data out).

The method's one hard rule is at least two rounds of group discussion with a different
composition each time. ``plan_round`` builds the next round for a strategy (mixed, by:FIELD,
by:measure, keep, random), minimising pairs who already sat together while keeping sizes within one;
``check_plan`` judges a facilitator's own ("manual") groups; ``place_late_arrival`` and
``remove_person`` adjust a running round without reshuffling it.
"""

from .io import load_people_csv, load_previous_json
from .live import place_late_arrival, rebalance, remove_person
from .metrics import check_plan, distinct_bound, met_pairs, repeat_lower_bound, zero_repeats_guaranteed
from .model import STRATEGY_NAMES, GroupingError, Metrics, Person, RoundPlan
from .strategies import apportion, group_count, plan_round, plan_rounds
from .teams import match_team, name_key, team_names

__all__ = [
    "STRATEGY_NAMES",
    "GroupingError",
    "Metrics",
    "Person",
    "RoundPlan",
    "apportion",
    "check_plan",
    "distinct_bound",
    "group_count",
    "load_people_csv",
    "load_previous_json",
    "match_team",
    "name_key",
    "met_pairs",
    "place_late_arrival",
    "plan_round",
    "plan_rounds",
    "rebalance",
    "remove_person",
    "repeat_lower_bound",
    "team_names",
    "zero_repeats_guaranteed",
]
