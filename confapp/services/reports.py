"""Gather a conference into the plain dataclasses the Word builders take (one read, no writes)."""

from __future__ import annotations

from sqlalchemy import select

from confapp import db, schemas
from confapp.models import Cluster, Conference, Group, Initiative, Round, RoundKind
from confapp.services import bullets, evaluation, initiatives, plenary, votes
from confapp.services.agenda_templates import TEMPLATES
from exports.data import (
    AgendaItemData,
    BulletData,
    ConferenceReport,
    EvaluatedMeasureData,
    GroupData,
    InitiativeData,
    InitiativesReport,
    MemberData,
    NoteData,
    RoundData,
    SourceBulletData,
)


def conference_report(conf: Conference) -> ConferenceReport:
    by_group: dict[int, list[BulletData]] = {}
    for b in bullets.visible(conference_id=conf.id):
        by_group.setdefault(b.group_id, []).append(
            BulletData(text=b.text, is_plenary_point=b.is_plenary_point, created_at=b.created_at)
        )
    notes_by_round: dict[int, list[NoteData]] = {}
    for n in plenary.notes(conf):
        notes_by_round.setdefault(n.round_id, []).append(
            NoteData(text=n.text, author=n.author, group_number=n.group_number, created_at=n.created_at)
        )
    rounds = []
    for r in conf.rounds:
        groups = []
        if r.kind == RoundKind.GROUP:
            for g in r.groups:
                members = [
                    MemberData(
                        name=m.participant.display_name,
                        role=m.participant.role,
                        unit=m.participant.unit,
                        is_leader=m.participant_id == g.leader_id,
                        is_reporter=m.participant_id == g.reporter_id,
                    )
                    for m in g.memberships
                ]
                groups.append(GroupData(number=g.number, members=members, bullets=by_group.get(g.id, [])))
        rounds.append(
            RoundData(
                position=r.position,
                kind=r.kind,
                title=r.title,
                question=r.question,
                minutes=r.minutes,
                groups=groups,
                notes=notes_by_round.get(r.id, []),
            )
        )
    template = TEMPLATES.get(conf.template)
    return ConferenceReport(
        title=conf.title,
        level=conf.level,
        held_on=conf.held_on,
        purpose=conf.purpose,
        template_label=template.label if template else "",
        facilitators=[f.name for f in conf.facilitators],
        participant_count=sum(1 for p in conf.participants if p.joined_at is not None),
        agenda=[
            AgendaItemData(
                position=r.position, kind=r.kind, title=r.title, question=r.question, minutes=r.minutes
            )
            for r in conf.rounds
        ],
        rounds=rounds,
        evaluations=[
            EvaluatedMeasureData(
                title=m.title,
                status=m.status,
                goal=m.goal,
                tables=[g.number for g in tables],
                bullets=[
                    BulletData(text=b.text, is_plenary_point=b.is_plenary_point, created_at=b.created_at)
                    for g in tables
                    for b in evaluation.table_points(g)
                ],
            )
            for m, tables in evaluation.of_conference(conf)
        ],
    )


def initiatives_report(conf: Conference, only: Initiative | None = None) -> InitiativesReport:
    """The initiative forms with their source bullets (round and table) and the vote, if one was held."""
    chosen = [only] if only is not None else initiatives.of_conference(conf)
    rounds = {r.id: r for r in db.session.scalars(select(Round).where(Round.conference_id == conf.id))}
    tables = {g.id: g.number for g in db.session.scalars(select(Group).where(Group.conference_id == conf.id))}
    vote = votes.current(conf)
    final = (vote.final_tally or {}) if vote is not None else {}
    running = votes.tally(vote) if vote is not None and vote.state == "open" else {}
    items = []
    for i in chosen:
        cluster = db.session.get(Cluster, i.cluster_id) if i.cluster_id else None
        dots: int | None = None
        if vote is not None and i.cluster_id is not None:
            key = str(i.cluster_id)
            dots = final[key]["dots"] if key in final else running.get(key, 0)
        fields = {name: getattr(i, name) for name in schemas.INITIATIVE_FIELDS}
        items.append(
            InitiativeData(
                **fields,
                cluster_title=cluster.title if cluster else "",
                votes=dots,
                sources=[
                    SourceBulletData(
                        text=b.text,
                        round_title=rounds[b.round_id].title if b.round_id in rounds else "",
                        group_number=tables.get(b.group_id, 0),
                        is_plenary_point=b.is_plenary_point,
                    )
                    for b in i.sources
                    if not b.hidden
                ],
            )
        )
    return InitiativesReport(
        conference_title=conf.title, held_on=conf.held_on, level=conf.level, initiatives=items
    )
