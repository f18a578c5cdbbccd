"""A phone's identity on the lean write path (issue 16): `bullet.post` loads no Conference or Participant
per event, so what a connection was when it connected must never decide what it may write now.

Against a real server with real Socket.IO clients: a phone removed by the facilitator cannot post again
through the connection it already has, and a reporter whose next group round seats them elsewhere posts
at the new table only. At service level, the ids a connection holds are refused once the phone is removed.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
import socketio
from flask import Flask
from support import Api, Conference, LiveServer, socket_client

from confapp import db
from confapp.errors import Forbidden
from confapp.models import Bullet, Participant, RoundKind
from confapp.services import bullets, conferences, facilitators, groups, participants, rounds


def _post(phone: socketio.Client, group_id: int, text: str) -> dict[str, Any] | None:
    """The phone's ack, or None when the server had closed the connection instead."""
    try:
        return phone.call(  # type: ignore[no-any-return]
            "bullet.post", {"group_id": group_id, "uuid": str(uuid.uuid4()), "text": text}, timeout=10
        )
    except (socketio.exceptions.BadNamespaceError, socketio.exceptions.TimeoutError):
        return None


def _texts(api: Api, conf: Conference) -> list[str]:
    return [b["text"] for b in api.get(conf.path("/snapshot"))["bullets"]]


def test_a_removed_phone_cannot_post_through_the_connection_it_has(
    server: LiveServer, facilitator_api: Api
) -> None:
    conf = Conference(server, facilitator_api)
    groups_, reporters = conf.running_round(people=4, group_size=2)
    table = groups_[0]["id"]
    reporter = reporters[table]
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[reporter]})
    phone.call("sync", {"since": None}, timeout=10)
    before = _post(phone, table, "Skrevet før fjerning")
    assert before is not None and before["ok"], before

    facilitator_api.delete(conf.path(f"/participants/{reporter}"))
    after = _post(phone, table, "Skrevet etter fjerning")
    # The relay closes a removed phone's connections; if the post still got through first, it is refused.
    assert after is None or (not after["ok"] and after["error"]["code"] == "removed"), after
    texts = _texts(facilitator_api, conf)
    assert "Skrevet før fjerning" in texts and "Skrevet etter fjerning" not in texts
    if phone.connected:
        phone.disconnect()


def test_a_reporter_seated_elsewhere_in_the_next_round_posts_at_the_new_table_only(
    server: LiveServer, facilitator_api: Api
) -> None:
    conf = Conference(server, facilitator_api)
    first, reporters = conf.running_round(people=6, group_size=2)
    old_table = first[0]["id"]
    me = reporters[old_table]
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[me]})
    phone.call("sync", {"since": None}, timeout=10)
    ack = _post(phone, old_table, "Runde 1")
    assert ack is not None and ack["ok"], ack

    rnd2 = conf.group_round(2)
    second = conf.propose(rnd2, 2)
    conf.start(rnd2)
    new = next(g for g in second if me in {m["id"] for m in g["members"]})
    if new["leader_id"] != me:  # the new table's leader appoints this phone its reporter
        conf.phones[new["leader_id"]].put(
            f"/me/groups/{new['id']}/reporter", {"participant_id": me, "uuid": str(uuid.uuid4())}
        )
    elsewhere = next(g for g in second if me not in {m["id"] for m in g["members"]})
    deadline = time.monotonic() + 10
    while not any(e["type"] == "phase.changed" for e in phone.received):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, phone.received  # type: ignore[attr-defined]
        time.sleep(0.02)

    # The same connection, never reconnected: the old table is closed, the new one is open.
    at_old = _post(phone, old_table, "Runde 2 ved det gamle bordet")
    at_other = _post(phone, elsewhere["id"], "Runde 2 ved et annet bord")
    at_new = _post(phone, new["id"], "Runde 2 ved det nye bordet")
    assert at_old is not None and at_old["error"]["code"] == "round_closed", at_old
    assert at_other is not None and at_other["error"]["code"] == "not_reporter", at_other
    assert at_new is not None and at_new["ok"] and at_new["bullet"]["group_id"] == new["id"], at_new
    by_text = {b["text"]: b["group_id"] for b in facilitator_api.get(conf.path("/snapshot"))["bullets"]}
    assert by_text.get("Runde 2 ved det nye bordet") == new["id"]
    assert "Runde 2 ved det gamle bordet" not in by_text and "Runde 2 ved et annet bord" not in by_text
    phone.disconnect()


def test_the_ids_a_connection_holds_are_refused_once_the_phone_is_removed(app: Flask) -> None:
    f = facilitators.create(email="f@example.no", name="F", password="et langt passord 123")
    conf = conferences.create_conference(f, title="Fjerning", template="dk1_school")
    for n in range(4):
        participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {n}", role="Lærer")
    rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
    groups.propose(conf, rnd, group_size=4)
    rounds.start(conf, rnd)
    grp = rnd.groups[0]
    conf_id, leader_id, gid = conf.id, grp.leader_id, grp.id
    assert leader_id is not None
    bullets.post_as(conf_id, leader_id, group_id=gid, client_uuid=uuid.uuid4(), text_="Før")

    leader = db.session.get(Participant, leader_id)
    assert leader is not None
    participants.remove(conf, leader)
    db.session.remove()  # a later socket event: a fresh session, only the ids from the connection
    with pytest.raises(Forbidden) as refused:
        bullets.post_as(conf_id, leader_id, group_id=gid, client_uuid=uuid.uuid4(), text_="Etter")
    assert refused.value.code == "removed"
    assert [b.text for b in db.session.query(Bullet).filter_by(group_id=gid)] == ["Før"]
