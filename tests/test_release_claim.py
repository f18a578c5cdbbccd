"""The phone says "this isn't me" about a name it claimed from the list (participants.release_claim)."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from confapp import db
from confapp.errors import ServiceError
from confapp.models import Bullet, Conference, EventRecord, Participant
from confapp.services import bullets, conferences, facilitators, groups, participants, rounds


def _conference() -> Conference:
    f = facilitators.create(email="o@example.no", name="Ordstyrer", password="testpassord-123")
    conf = conferences.create_conference(f, title="Planleggingsdag", template="dk1_school")
    conferences.import_participants(conf, "navn,rolle\nIda Eksempel,Lærer\nOle Eksempel,Assistent\n".encode())
    return conf


def _listed(conf: Conference, name: str) -> Participant:
    return next(p for p in conf.participants if p.display_name == name)


def _event_types(conf: Conference) -> list[str]:
    return list(
        db.session.scalars(
            select(EventRecord.type).where(EventRecord.conference_id == conf.id).order_by(EventRecord.seq)
        )
    )


def test_release_frees_the_name_forgets_the_phone_and_logs_the_event(app: Flask) -> None:
    conf = _conference()
    ida = _listed(conf, "Ida Eksempel")
    p, token = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
    assert p.id == ida.id and ida not in participants.joinable_names(conf)

    released = participants.release_claim(conf, ida.id, token)

    assert released.id == ida.id and released.joined_at is None
    assert participants.by_token(token) is None, "the wrong phone's token stops working"
    assert ida in participants.joinable_names(conf)
    assert _event_types(conf)[-1] == "participant.released"
    # The right person's phone can now claim the name.
    again, other_token = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
    assert again.id == ida.id and participants.by_token(other_token).id == ida.id  # type: ignore[union-attr]


def test_release_keeps_points_already_written_under_the_name(app: Flask) -> None:
    conf = _conference()
    ida, ole = _listed(conf, "Ida Eksempel"), _listed(conf, "Ole Eksempel")
    p, token = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
    participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ole.id)
    rnd = next(r for r in conf.rounds if r.kind == "group")
    (table,) = groups.propose(conf, rnd, group_size=2)
    rounds.start(conf, rnd)
    groups.set_reporter(conf, table, p.id, by=None)
    bullets.post(conf, p, group_id=table.id, client_uuid=str(uuid.uuid4()), text_="Faste møter med PPT")

    participants.release_claim(conf, ida.id, token)

    texts = db.session.scalars(select(Bullet.text).where(Bullet.author_id == ida.id)).all()
    assert texts == ["Faste møter med PPT"]
    assert ida.id in {m.participant_id for m in table.memberships}, "the seat belongs to the listed person"


def test_release_is_refused_when_the_name_was_claimed_by_another_phone_meanwhile(app: Flask) -> None:
    conf = _conference()
    ida = _listed(conf, "Ida Eksempel")
    _, first = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
    participants.release_claim(conf, ida.id, first)
    _, second = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
    seq = conf.last_seq

    with pytest.raises(ServiceError) as refused:
        participants.release_claim(conf, ida.id, first)  # the first phone, from a stale page

    assert refused.value.code == "claimed_elsewhere"
    db.session.refresh(ida)
    assert participants.by_token(second).id == ida.id  # type: ignore[union-attr]
    assert ida.joined_at is not None and conf.last_seq == seq, "nothing changed, no event"


@pytest.mark.parametrize(
    ("case", "code"),
    [("typed_name", "not_claimed"), ("already_free", "already_free"), ("unknown_id", "not_claimed")],
)
def test_release_refuses_what_is_not_a_claimed_listed_name(app: Flask, case: str, code: str) -> None:
    conf = _conference()
    ida = _listed(conf, "Ida Eksempel")
    if case == "typed_name":
        p, token = participants.join(conf, client_uuid=uuid.uuid4(), name="Kari Skrevet", role="Lærer")
        pid: object = p.id
    elif case == "already_free":
        _, token = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
        participants.release_claim(conf, ida.id, token)
        pid = ida.id
    else:
        _, token = participants.join(conf, client_uuid=uuid.uuid4(), claim_id=ida.id)
        pid = "999999"
    seq = conf.last_seq
    with pytest.raises(ServiceError) as refused:
        participants.release_claim(conf, pid, token)
    assert refused.value.code == code and conf.last_seq == seq
