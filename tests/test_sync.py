"""One catch-up rule for the socket `sync` and `GET /events`: a replay, or a snapshot when one is needed."""

from __future__ import annotations

import uuid

from flask import Flask

from confapp import db
from confapp.models import Conference
from confapp.services import conferences, facilitators, participants, snapshot, sync

FACILITATOR = snapshot.Viewer("facilitator")


def _conference_with_events(app: Flask, joins: int) -> tuple[Conference, str]:
    f = facilitators.create(email="s@example.no", name="Ordstyrer S", password="testpassord-123")
    conf = conferences.create_conference(f, title="Innhenting", template="dk1_school")
    for i in range(joins):
        participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {i + 1}", role="Lærer")
    db.session.refresh(conf)
    return conf, facilitators.issue_api_token(f)


def test_catch_up_replays_within_the_limit_and_asks_for_a_snapshot_beyond_it(app: Flask) -> None:
    conf, _ = _conference_with_events(app, joins=5)
    head = conf.last_seq
    got = sync.catch_up(conf, FACILITATOR, head - 3, limit=10)
    assert not got.snapshot_required
    assert [e["seq"] for e in got.events or []] == [head - 2, head - 1, head]
    assert got.seq == head

    nothing = sync.catch_up(conf, FACILITATOR, head, limit=10)
    assert nothing.events == [] and nothing.seq == head and not nothing.snapshot_required

    assert sync.catch_up(conf, FACILITATOR, 0, limit=head - 1).snapshot_required, "more missed than the limit"
    assert sync.catch_up(conf, FACILITATOR, head + 5, limit=10).snapshot_required, "a seq we never reached"
    assert sync.catch_up(conf, FACILITATOR, None, limit=10).snapshot_required, "no state at all"


def test_events_route_answers_snapshot_required_past_the_replay_limit(app: Flask) -> None:
    """Before: more than 10,000 missed gave `events: []` with the head's seq, and a client believed it."""
    app.config["EVENT_REPLAY_LIMIT"] = 4
    conf, token = _conference_with_events(app, joins=6)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    r = client.get(f"/api/v1/conferences/{conf.id}/events?since=0", headers=headers).get_json()
    assert r == {"events": [], "seq": conf.last_seq, "snapshot_required": True}

    since = conf.last_seq - 4
    r = client.get(f"/api/v1/conferences/{conf.id}/events?since={since}", headers=headers).get_json()
    assert r["snapshot_required"] is False
    assert [e["seq"] for e in r["events"]] == list(range(since + 1, conf.last_seq + 1))
    assert r["seq"] == conf.last_seq
    # The same rule as the socket: one setting, one answer.
    assert sync.catch_up(conf, FACILITATOR, 0, limit=app.config["EVENT_REPLAY_LIMIT"]).snapshot_required
