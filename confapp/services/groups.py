"""Tables for each group round: propose (via the grouping engine), adjust, appoint, publish."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from confapp import db, schemas
from confapp.errors import N_, Conflict, Forbidden, ServiceError
from confapp.grouping import (
    STRATEGY_NAMES,
    GroupingError,
    Metrics,
    Person,
    check_plan,
    match_team,
    place_late_arrival,
    plan_round,
    remove_person,
    team_names,
)
from confapp.live import events
from confapp.models import (
    Conference,
    Group,
    Measure,
    Membership,
    Participant,
    Round,
    RoundKind,
    RoundState,
)
from confapp.services import access, bullets, idempotency
from confapp.services.conferences import conference_event

DEFAULT_GROUP_SIZE = 6
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Seated:
    """A late arrival given a seat when the round's tables were announced: the console says where."""

    participant_id: int
    name: str
    table: int


def present_people(conf: Conference) -> list[Participant]:
    return [p for p in conf.participants if p.present]


def history(conf: Conference, before: Round) -> list[list[list[str]]]:
    """Earlier group rounds' tables as participant ids, for the engine's repeated-pair count."""
    return [
        [[str(m.participant_id) for m in g.memberships] for g in r.groups]
        for r in conf.rounds
        if r.kind == RoundKind.GROUP and r.position < before.position and r.groups
    ]


def current_group_round(conf: Conference) -> Round | None:
    """The group round phones should show a table for: the active one, else the next published one."""
    active = next((r for r in conf.rounds if r.id == conf.active_round_id), None)
    if active is not None and active.kind == RoundKind.GROUP:
        return active
    upcoming = [r for r in conf.rounds if r.kind == RoundKind.GROUP and r.state == RoundState.PENDING]
    return next((r for r in upcoming if r.groups_published), None)


def my_table(conf: Conference, participant: Participant) -> Group | None:
    """The table a phone shows its owner now (the page is drawn with it before the socket is up)."""
    rnd = current_group_round(conf)
    if rnd is None:
        return None
    return db.session.scalar(  # the table itself in one read, not the seat and then its table
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.round_id == rnd.id, Membership.participant_id == participant.id)
    )


@dataclass(frozen=True)
class Seat:
    """Where a phone's owner sits now and whether the phone offers them the composer.

    Sent in the phone's snapshot (`seat`), so the phone shows the server's answer rather than working
    out the current round or the may-write rule itself. Every change to it reaches the phone as a new
    snapshot: `phase.changed` and `groups.published` for everyone, `group.roles_set` for its own table.
    """

    round_id: int | None  # the group round whose table the phone shows (running, else the next published)
    group_id: int | None  # the owner's table in it, if seated
    may_write: bool  # reporter or group leader of that table while its round runs
    may_appoint: bool  # its group leader, until the round is over: may choose the reporter

    def to_dict(self) -> dict[str, Any]:
        return {
            "round_id": self.round_id,
            "group_id": self.group_id,
            "may_write": self.may_write,
            "may_appoint": self.may_appoint,
        }


def seat(conf: Conference, participant: Participant) -> Seat:
    """The phone's table and what it may do there now, by the rules the writes themselves apply."""
    rnd = current_group_round(conf)
    table = my_table(conf, participant)
    return Seat(
        round_id=rnd.id if rnd is not None else None,
        group_id=table.id if table is not None else None,
        may_write=table is not None and bullets.may_write(table, participant),
        may_appoint=table is not None and may_appoint(table, participant),
    )


def _person(p: Participant) -> Person:
    return Person(id=str(p.id), role=p.role.lower(), unit=p.unit.lower(), grade_team=p.grade_team.lower())


def propose(conf: Conference, rnd: Round, **options: Any) -> list[Group]:
    """Replace the round's tables with the engine's proposal: mixed roles, few repeated pairs.

    `options` are `do_propose`'s: `group_size` or `groups`, `strategy`, `seed`.
    """
    with db.transaction() as s:
        return do_propose(s, conf, rnd, **options)


def do_propose(
    s: Session,
    conf: Conference,
    rnd: Round,
    *,
    group_size: Any = None,
    groups: Any = None,
    strategy: str = "mixed",
    seed: int = 0,
) -> list[Group]:
    """Inside the caller's transaction (`propose`, or `rounds.start` for a round without tables)."""
    if rnd.kind != RoundKind.GROUP:
        raise ServiceError("invalid", N_("Only group rounds have tables."))
    if rnd.state != RoundState.PENDING:
        raise Conflict("started", N_("This round has started; move people instead of re-planning."))
    if strategy not in STRATEGY_NAMES:
        raise ServiceError("invalid", N_("Unknown strategy."))
    people = present_people(conf)
    if len(people) < 2:
        raise ServiceError(
            "too_few", N_("At least two participants must have joined before groups can be made.")
        )
    if rnd.measures and group_size in (None, "") and groups in (None, ""):
        groups = len(rnd.measures)  # an evaluation round: one table per measure
    size, count = _size_or_count(group_size, groups, len(people))
    _check_strategy(conf, rnd, strategy, people)
    names = {str(p.id): p.display_name for p in people}
    teams = [match_team(names, wanted) for wanted in trial_teams(rnd)] if strategy == "by:measure" else []
    present = {p.id for p in people}
    pins = {
        str(m.participant_id): g.number - 1
        for g in rnd.groups
        for m in g.memberships
        if m.pinned and m.participant_id in present
    }
    try:
        plan = plan_round(
            [_person(p) for p in people],
            history(conf, rnd),
            strategy=strategy,
            group_size=size,
            groups=count,
            pins=pins,
            seed=seed,
            teams=teams,
        )
    except GroupingError as exc:
        raise _grouping_error(strategy, exc) from None
    earlier_leaders = {g.leader_id for r in conf.rounds if r.position < rnd.position for g in r.groups}
    by_id = {str(p.id): p for p in people}
    for g in list(rnd.groups):
        s.delete(g)
    s.flush()
    rnd.groups = []
    for number, ids in enumerate(plan.groups, start=1):
        members = [by_id[i] for i in ids]
        leader = next((m for m in members if m.id not in earlier_leaders), members[0] if members else None)
        grp = Group(conference_id=conf.id, number=number, leader_id=leader.id if leader else None)
        grp.memberships = [
            Membership(round_id=rnd.id, participant_id=m.id, participant=m, pinned=str(m.id) in pins)
            for m in members
        ]
        rnd.groups.append(grp)
    changed = rnd.strategy != strategy
    rnd.strategy = strategy
    s.flush()
    assign_measures(s, rnd)
    record_groups(s, conf, rnd)
    if changed:  # the agenda item's strategy is part of every viewer's rounds
        events.record(s, conf.id, conference_event(conf))
    return rnd.groups


def assign_measures(s: Session, rnd: Round) -> None:
    """Inside the caller's transaction: in an evaluation round table k evaluates the k-th chosen
    measure (confapp/services/evaluation.py); tables beyond them, and ordinary rounds, evaluate none."""
    by_position = {rm.position: rm.measure_id for rm in rnd.measures}
    for g in rnd.groups:
        g.measure_id = by_position.get(g.number)
    s.flush()
    for g in rnd.groups:
        s.expire(g, ["measure"])


def trial_teams(rnd: Round) -> list[list[str]]:
    """Each chosen measure's trial team as names, in table order: the coordinator, who takes part in
    the trial (the plan's field) and whoever the facilitator added for this round."""
    out = []
    for rm in rnd.measures:
        m = db.session.get(Measure, rm.measure_id)
        out.append(team_names(m.coordinator, m.participants, rm.team) if m is not None else [])
    return out


def move(conf: Conference, rnd: Round, participant_id: int, to_number: int) -> None:
    """Move one person to table `to_number` (one past the last opens a new table)."""
    if rnd.kind != RoundKind.GROUP or rnd.state == RoundState.DONE:
        raise Conflict("closed", N_("This round is closed."))
    person = access.participant_in(conf, participant_id)
    current = access.membership(person, rnd.id)
    if not isinstance(to_number, int) or not 1 <= to_number <= len(rnd.groups) + 1:
        raise ServiceError("invalid", N_("No such table."))
    with db.transaction() as s:
        target = next((g for g in rnd.groups if g.number == to_number), None)
        if target is None:
            target = Group(conference_id=conf.id, number=to_number)
            rnd.groups.append(target)
            s.flush()
        if current is not None:
            old = current.group
            if old.id == target.id:
                return
            if old.leader_id == person.id:
                old.leader_id = None
            if old.reporter_id == person.id:
                old.reporter_id = None
            current.group = target
            current.pinned = True  # placed by hand: a new proposal keeps it
        else:
            target.memberships.append(
                Membership(round_id=rnd.id, participant_id=person.id, participant=person, pinned=True)
            )
        s.flush()
        s.expire_all()
        record_groups(s, conf, rnd)


def pin(conf: Conference, rnd: Round, participant_id: int, pinned: bool) -> None:
    """Keep a person at their table when the facilitator asks for a new proposal."""
    person = access.participant_in(conf, participant_id)
    current = access.membership(person, rnd.id)
    if current is None:
        raise ServiceError("not_member", N_("This person has no table in this round."))
    with db.transaction() as s:
        current.pinned = bool(pinned)
        s.flush()
        record_groups(s, conf, rnd)


def metrics(conf: Conference, rnd: Round) -> Metrics:
    """The engine's own judgement of the round's tables as they stand (after drags, too)."""
    people = present_people(conf)
    groups = [[str(m.participant_id) for m in g.memberships] for g in rnd.groups]
    return check_plan([_person(p) for p in people], groups, history(conf, rnd))


def set_leader(conf: Conference, grp: Group, participant_id: int | None) -> Group:
    if participant_id is not None and participant_id not in {m.participant_id for m in grp.memberships}:
        raise ServiceError("not_member", N_("The group leader must sit at this table."))
    with db.transaction() as s:
        grp.leader_id = participant_id
        _record_roles(s, conf, grp)
    return grp


def set_reporter(
    conf: Conference,
    grp: Group,
    participant_id: int | None,
    *,
    by: Participant | None,
    client_uuid: Any = None,
) -> Group:
    """The group leader appoints the reporter (`by` is None when the facilitator does it).

    A phone's appointment carries its key (`client_uuid`): a retry, even one arriving after a later
    appointment, changes nothing.
    """
    if by is None:
        with db.transaction() as s:
            _set_reporter(s, conf, grp, participant_id, by=None)
        return grp
    cid = idempotency.parse_key(client_uuid)
    with db.transaction() as s:
        idempotency.once(
            s,
            conf.id,
            key=cid,
            action="group.set_reporter",
            actor=f"p:{by.id}",
            write=lambda: _set_reporter(s, conf, grp, participant_id, by=by),
        )
    return grp


def _set_reporter(
    s: Session, conf: Conference, grp: Group, participant_id: int | None, *, by: Participant | None
) -> dict[str, Any]:
    if by is not None:
        _check_appointer(grp, by)
    if grp.round.state == RoundState.DONE:
        raise Conflict("closed", N_("This round is closed."))
    if participant_id is not None and participant_id not in {m.participant_id for m in grp.memberships}:
        raise ServiceError("not_member", N_("The reporter must sit at this table."))
    grp.reporter_id = participant_id
    _record_roles(s, conf, grp)
    return {"group_id": grp.id, "reporter_id": participant_id}


def _check_appointer(grp: Group, by: Participant) -> None:
    """A phone may appoint its table's reporter: its group leader, until the round is over."""
    if grp.leader_id != by.id:
        raise Forbidden("not_leader", N_("Only the group leader appoints the reporter."))
    if grp.round.state == RoundState.DONE:
        raise Conflict("closed", N_("This round is closed."))


def may_appoint(grp: Group, participant: Participant) -> bool:
    """Whether the phone should offer this person the reporter picker for this table now."""
    try:
        _check_appointer(grp, participant)
    except ServiceError:
        return False
    return True


def publish(conf: Conference, rnd: Round) -> list[Seated]:
    """Announce the tables: every phone shows 'you are at table N with …'.

    Whoever joined while the tables were a draft is seated first (returned, so the console can say where).
    """
    if not rnd.groups:
        raise ServiceError("no_groups", N_("Make the groups first."))
    if rnd.groups_published:
        return []
    with db.transaction() as s:
        seated = seat_unseated(s, conf, rnd)
        rnd.groups_published = True
        record_groups(s, conf, rnd)
    return seated


def seat_unseated(s: Session, conf: Conference, rnd: Round) -> list[Seated]:
    """Inside the publish/start transaction: seat every present person the round's tables lack.

    They joined after the draft was made (phones are not told about draft tables, so the join could not
    seat them). Each goes where `place_late_arrival` puts them: a smallest table, fewest repeated pairs;
    nobody already seated moves. The caller records the event that announces the tables.
    """
    if not rnd.groups:
        return []
    seated_ids = {m.participant_id for g in rnd.groups for m in g.memberships}
    # Read afresh: a join in another request may not be in this session's `conf.participants` yet.
    present = [
        p
        for p in s.scalars(
            select(Participant).where(Participant.conference_id == conf.id).order_by(Participant.id)
        )
        if p.present
    ]
    waiting = [p for p in present if p.id not in seated_ids]
    if not waiting:
        return []
    everyone = [_person(p) for p in present]
    previous = history(conf, rnd)
    out = []
    for person in waiting:
        current = [[str(m.participant_id) for m in g.memberships] for g in rnd.groups]
        grp = rnd.groups[place_late_arrival(_person(person), current, everyone, previous)]
        grp.memberships.append(Membership(round_id=rnd.id, participant_id=person.id, participant=person))
        out.append(Seated(participant_id=person.id, name=person.display_name, table=grp.number))
    s.flush()
    return out


def seat_late_arrival(s: Session, conf: Conference, person: Participant) -> None:
    """Inside the join transaction: give a late arrival a table without reshuffling anyone."""
    rnd = current_group_round(conf)
    if rnd is None or not rnd.groups:
        return
    if s.scalar(
        select(Membership).where(Membership.round_id == rnd.id, Membership.participant_id == person.id)
    ):
        return
    people = [p for p in present_people(conf) if p.id != person.id] + [person]
    current = [[str(m.participant_id) for m in g.memberships] for g in rnd.groups]
    index = place_late_arrival(_person(person), current, [_person(p) for p in people], history(conf, rnd))
    grp = rnd.groups[index]
    seat = Membership(round_id=rnd.id, participant_id=person.id, participant=person)
    grp.memberships.append(seat)
    s.flush()
    if not rnd.groups_published:
        record_groups(s, conf, rnd)
        return
    member = schemas.group_member(seat)
    events.record(s, conf.id, events.GroupMemberAdded(round_id=rnd.id, group_id=grp.id, member=member))


def unseat(s: Session, conf: Conference, person: Participant) -> None:
    """Inside the removal transaction: take someone who left off the tables still to come.

    A running round only loses them (nobody is moved mid-discussion); a planned round is rebalanced by
    the engine, which moves at most one person to keep sizes within one.
    """
    for rnd in conf.rounds:
        if rnd.kind != RoundKind.GROUP or rnd.state == RoundState.DONE:
            continue
        mine = access.membership(person, rnd.id)
        if mine is None:
            continue
        grp = mine.group
        if grp.leader_id == person.id:
            grp.leader_id = None
        if grp.reporter_id == person.id:
            grp.reporter_id = None
        current = [[str(m.participant_id) for m in g.memberships] for g in rnd.groups]
        s.delete(mine)
        s.flush()
        s.expire(grp, ["memberships"])
        if rnd.state == RoundState.PENDING:
            others = [p for p in present_people(conf) if p.id != person.id]
            after = remove_person(
                current, str(person.id), people=[_person(p) for p in others], previous=history(conf, rnd)
            )
            target_of = {pid: index for index, ids in enumerate(after) for pid in ids}
            for index, g in enumerate(rnd.groups):
                for m in list(g.memberships):
                    if target_of.get(str(m.participant_id), index) != index:
                        m.group = rnd.groups[target_of[str(m.participant_id)]]
            s.flush()
            s.expire_all()
        record_groups(s, conf, rnd)


def record_groups(s: Session, conf: Conference, rnd: Round) -> None:
    """Tell who needs it that the round's tables changed (staff only while they are a draft)."""
    if rnd.groups_published:
        events.record(s, conf.id, events.GroupsPublished(round_id=rnd.id))
    else:
        payload = [schemas.group(g) for g in rnd.groups]
        events.record(s, conf.id, events.GroupsPlanned(round_id=rnd.id, groups=payload))


def _record_roles(s: Session, conf: Conference, grp: Group) -> None:
    event = events.GroupRolesSet(
        round_id=grp.round_id, group_id=grp.id, leader_id=grp.leader_id, reporter_id=grp.reporter_id
    )
    if not grp.round.groups_published:
        # Not announced yet: staff see it through the planned groups, phones later.
        events.record(
            s,
            conf.id,
            events.GroupsPlanned(round_id=grp.round_id, groups=[schemas.group(g) for g in grp.round.groups]),
        )
    else:
        events.record(s, conf.id, event)


BY_FIELD_LABELS = {"by:role": N_("role"), "by:unit": N_("unit"), "by:grade_team": N_("grade team")}


def _check_strategy(conf: Conference, rnd: Round, strategy: str, people: list[Participant]) -> None:
    """What the engine would refuse for lack of data, said in the user's words before it is asked."""
    if strategy == "keep" and not history(conf, rnd):
        raise ServiceError("grouping", N_("'Keep the previous tables' needs an earlier round with tables."))
    if strategy == "by:measure" and not rnd.measures:
        raise ServiceError(
            "grouping", N_("'By measure' needs the measures this round evaluates: choose them first.")
        )
    if strategy in BY_FIELD_LABELS:
        field_name = strategy.removeprefix("by:")
        values = [getattr(p, field_name).strip().lower() for p in people]
        if not any(values.count(v) >= 2 for v in set(values)):
            raise ServiceError(
                "grouping",
                N_("Nobody shares the same %(field)s with anyone else, so the tables cannot be made by it."),
                field=BY_FIELD_LABELS[strategy],
            )


def _grouping_error(strategy: str, exc: GroupingError) -> ServiceError:
    """The engine explains itself in English with its internal field names (for the CLI and developers):
    it goes to the log, and the user gets a sentence in their language."""
    log.info("grouping engine refused (%s): %s", strategy, exc)
    return ServiceError(
        "grouping",
        N_("These tables cannot be made with these settings. Try another number per table or way of mixing."),
    )


def _size_or_count(group_size: Any, groups: Any, n: int) -> tuple[int | None, int | None]:
    try:
        size = int(group_size) if group_size not in (None, "") else None
        count = int(groups) if groups not in (None, "") else None
    except (TypeError, ValueError):
        raise ServiceError("invalid", N_("Group size and number of groups must be whole numbers.")) from None
    if size is None and count is None:
        size = DEFAULT_GROUP_SIZE if n >= 2 * DEFAULT_GROUP_SIZE else None
        count = None if size else max(1, math.ceil(n / DEFAULT_GROUP_SIZE))
    if size is not None and count is not None:
        raise ServiceError("invalid", N_("Give a group size or a number of groups, not both."))
    if size is not None and not 2 <= size <= n:
        raise ServiceError("invalid", N_("Group size must be between 2 and %(n)d."), n=n)
    if count is not None and not 1 <= count <= n:
        raise ServiceError("invalid", N_("Number of groups must be between 1 and %(n)d."), n=n)
    return size, count
