"""``confapp plan-groups``: plan group rounds from a participant CSV.

Registered in the main CLI group by ``confapp.cli``; kept here so the engine package owns
its command and tests can drive it with click's CliRunner.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .io import load_people_csv, load_previous_json, plans_to_dict, read_people_csv
from .model import GroupingError, RoundPlan, parse_strategy
from .strategies import plan_rounds

__all__ = ["load_people_csv", "plan_groups_command"]


def _text_report(plans: list[RoundPlan], lang: str) -> str:
    label = {"nb": ("Runde", "Bord"), "nn": ("Runde", "Bord"), "en": ("Round", "Table")}[lang]
    lines = []
    for r, plan in enumerate(plans, start=1):
        lines.append(f"{label[0]} {r}: {plan.metrics.summary(lang)}")
        for g, group in enumerate(plan.groups, start=1):
            lines.append(f"  {label[1]} {g} ({len(group)}): {', '.join(group)}")
    return "\n".join(lines)


@click.command(
    "plan-groups",
    help="Plan group rounds for a dialogue conference from PEOPLE_CSV "
    "(header with at least id and role; unit, grade_team and lead are optional). "
    "Each round gets a different composition with as few repeated pairs as possible.",
)
@click.argument("people_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rounds", type=int, default=2, show_default=True, help="Number of rounds to plan.")
@click.option(
    "--group-size", type=int, default=None, help="Largest group size K (groups = ceil(people / K))."
)
@click.option("--groups", "n_groups", type=int, default=None, help="Number of groups G per round.")
@click.option(
    "--strategy",
    default="mixed",
    show_default=True,
    help="mixed (spread roles and units), by:FIELD (homogeneous by role, unit or grade_team), "
    "random (plain shuffle), or keep (repeat the last --previous round).",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="JSON with rounds already held: a list of rounds, each a list of groups of ids "
    "(this command's --json output also works).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same plan."
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan and its metrics as JSON.")
@click.option(
    "--lang",
    type=click.Choice(["nb", "nn", "en"]),
    default="nb",
    show_default=True,
    help="Language of the plain-text summary.",
)
def plan_groups_command(
    people_csv: Path,
    rounds: int,
    group_size: int | None,
    n_groups: int | None,
    strategy: str,
    previous: Path | None,
    seed: int,
    as_json: bool,
    lang: str,
) -> None:
    """Click entry point; every bad input becomes a ClickException (exit code 1)."""
    if rounds < 1:
        raise click.ClickException(f"--rounds must be at least 1, got {rounds}")
    if (group_size is None) == (n_groups is None):
        raise click.ClickException("give exactly one of --group-size or --groups")
    try:
        strat = parse_strategy(strategy)
        people, columns = read_people_csv(people_csv)
        if strat.kind == "by" and strat.field not in columns:
            raise GroupingError(f"strategy {strat} needs a {strat.field!r} column in {people_csv.name}")
        history = load_previous_json(previous) if previous else []
        plans = plan_rounds(
            people,
            rounds,
            previous=history,
            strategy=str(strat),
            group_size=group_size,
            groups=n_groups,
            seed=seed,
        )
    except GroupingError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        data = plans_to_dict(
            plans,
            strategy=str(strat),
            seed=seed,
            participants=len(people),
            group_size=group_size,
            groups=n_groups,
        )
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(_text_report(plans, lang))
