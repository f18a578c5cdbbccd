"""The lean write path of `bullets.post` (issue 16): what it sends to the database, and that the rules hold.

Service level on a real SQLite file. The statements are captured with SQLAlchemy's own
`before_cursor_execute` hook on the real engine; nothing is timed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from confapp import db
from confapp.errors import Conflict, TryLater
from confapp.models import Bullet, Conference, EventRecord, Participant, RoundKind
from confapp.services import bullets, conferences, facilitators, groups, participants, rounds


@pytest.fixture
def table(app: Flask) -> tuple[Conference, Participant, Participant, int]:
    """A running group round: (conference, the table's reporter, its leader, the table's id)."""
    f = facilitators.create(email="f@example.no", name="F", password="et langt passord 123")
    conf = conferences.create_conference(f, title="Skrivebane", template="dk1_school")
    for n in range(6):
        participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {n}", role="Lærer")
    rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
    groups.propose(conf, rnd, group_size=6)
    rounds.start(conf, rnd)
    grp = rnd.groups[0]
    leader = db.session.get(Participant, grp.leader_id)
    reporter = next(m.participant for m in grp.memberships if m.participant_id != grp.leader_id)
    groups.set_reporter(conf, grp, reporter.id, by=leader, client_uuid=uuid.uuid4())
    assert leader is not None
    return conf, reporter, leader, grp.id


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []
    engine = db.session.get_bind()

    def note(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen.append(" ".join(sql.split()).upper())

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def posted_events(conf: Conference) -> int:
    return (
        db.session.scalar(
            select(func.count(EventRecord.id)).where(
                EventRecord.conference_id == conf.id, EventRecord.type == "bullet.posted"
            )
        )
        or 0
    )


def test_a_new_point_is_written_without_reading_its_uuid_first_and_without_orm_loads(table) -> None:  # type: ignore[no-untyped-def]
    conf, reporter, _, gid = table
    with statements() as seen:
        b = bullets.post(conf, reporter, group_id=gid, client_uuid=uuid.uuid4(), text_="Første punkt")
    reads_of_uuid = [s for s in seen if s.startswith("SELECT") and "CLIENT_UUID" in s]
    assert reads_of_uuid == [], seen
    inserts = [s for s in seen if s.startswith("INSERT INTO BULLETS")]
    assert len(inserts) == 1 and "ON CONFLICT" in inserts[0], seen
    # The table's checks are one SELECT joining the round: no separate load of group, then round.
    assert not [s for s in seen if s.startswith("SELECT") and "FROM ROUNDS" in s and "JOIN" not in s], seen
    stored = db.session.scalar(select(Bullet).where(Bullet.id == b.id))
    assert stored is not None and stored.text == "Første punkt" and stored.client_uuid == b.client_uuid
    assert posted_events(conf) == 1


def test_a_retry_returns_the_same_bullet_and_logs_nothing_more(table) -> None:  # type: ignore[no-untyped-def]
    conf, reporter, _, gid = table
    cid = uuid.uuid4()
    first = bullets.post(conf, reporter, group_id=gid, client_uuid=cid, text_="Et punkt")
    again = bullets.post(conf, reporter, group_id=gid, client_uuid=cid, text_="Et punkt")
    assert again.id == first.id
    assert db.session.scalar(select(func.count(Bullet.id))) == 1
    assert posted_events(conf) == 1


def test_another_phone_cannot_take_a_used_uuid(table) -> None:  # type: ignore[no-untyped-def]
    conf, reporter, leader, gid = table
    cid = uuid.uuid4()
    bullets.post(conf, reporter, group_id=gid, client_uuid=cid, text_="Reporterens punkt")
    with pytest.raises(Conflict) as err:
        bullets.post(conf, leader, group_id=gid, client_uuid=cid, text_="Lederens punkt")
    assert err.value.code == "uuid_taken"
    assert posted_events(conf) == 1


def test_a_retry_after_the_round_closed_or_at_the_rate_limit_still_gets_its_bullet(table) -> None:  # type: ignore[no-untyped-def]
    conf, reporter, _, gid = table
    made = [
        bullets.post(conf, reporter, group_id=gid, client_uuid=uuid.uuid4(), text_=f"Punkt {n}", per_minute=2)
        for n in range(2)
    ]
    with pytest.raises(TryLater):
        bullets.post(
            conf, reporter, group_id=gid, client_uuid=uuid.uuid4(), text_="Ett for mye", per_minute=2
        )
    again = bullets.post(
        conf, reporter, group_id=gid, client_uuid=made[0].client_uuid, text_="Punkt 0", per_minute=2
    )
    assert again.id == made[0].id
    rounds.finish(conf)
    db.session.expire_all()
    late = bullets.post(conf, reporter, group_id=gid, client_uuid=made[1].client_uuid, text_="Punkt 1")
    assert late.id == made[1].id
    with pytest.raises(Conflict) as err:
        bullets.post(conf, reporter, group_id=gid, client_uuid=uuid.uuid4(), text_="For sent")
    assert err.value.code == "round_closed"
    assert posted_events(conf) == 2
