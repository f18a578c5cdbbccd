"""Gather a conference into the plain dataclasses the Word builders take (one read, no writes)."""

from __future__ import annotations

from confapp.models import Conference, RoundKind
from confapp.services import bullets, plenary
from confapp.services.agenda_templates import TEMPLATES
from exports.data import (
    AgendaItemData,
    BulletData,
    ConferenceReport,
    GroupData,
    MemberData,
    NoteData,
    RoundData,
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
    )
