"""Seq allocation is an explicit step of `db.transaction` (`events.commit`), not a hidden commit hook."""

from __future__ import annotations

import pytest
from flask import Flask

from confapp import db
from confapp.live import events
from confapp.models import Conference, EventRecord
from confapp.services import conferences, facilitators


def _conference() -> Conference:
    f = facilitators.create(email="c@example.no", name="Ordstyrer C", password="testpassord-123")
    return conferences.create_conference(f, title="Rekkefølge", template="dk1_school")


def test_a_transaction_takes_the_seqs_commits_and_hands_them_over_in_order(app: Flask) -> None:
    conf = _conference()
    head = conf.last_seq
    seen: list[list[events.Committed]] = []
    events.add_dispatcher(seen.append)
    try:
        with db.transaction() as s:
            events.record(s, conf.id, events.PlenaryFocus(round_id=1, group_number=1))
            events.record(s, conf.id, events.PlenaryFocus(round_id=1, group_number=2))
    finally:
        events._dispatchers.remove(seen.append)
    assert [[c.seq for c in batch] for batch in seen] == [[head + 1, head + 2]]
    stored = db.session.query(EventRecord.seq).filter_by(conference_id=conf.id).order_by(EventRecord.seq)
    assert [seq for (seq,) in stored.all()][-2:] == [head + 1, head + 2]
    db.session.refresh(conf)
    assert conf.last_seq == head + 2


def test_a_bare_commit_with_recorded_events_is_refused_and_writes_nothing(app: Flask) -> None:
    conf = _conference()
    head = conf.last_seq
    s = db.session()
    events.record(s, conf.id, events.PlenaryFocus(round_id=1, group_number=1))
    with pytest.raises(RuntimeError, match="outside confapp.db.transaction"):
        s.commit()
    s.rollback()
    db.session.refresh(conf)
    assert conf.last_seq == head
    assert db.session.query(EventRecord).filter_by(conference_id=conf.id, seq=head + 1).first() is None
