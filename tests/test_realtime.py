"""Socket.IO against a real server process: resync after reconnect, idempotent posting, rooms."""

from __future__ import annotations

import threading
import time
import uuid

from support import Api, Conference, LiveServer, besides_barriers, socket_client


def _running_round(server: LiveServer, api: Api, people: int = 4, group_size: int = 2):  # type: ignore[no-untyped-def]
    conf = Conference(server, api)
    ids = [
        conf.join(f"Deltaker {i}", ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier"][i % 4])
        for i in range(people)
    ]
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, group_size)
    conf.start(rnd)
    reporters = conf.appoint_reporters(groups)
    return conf, ids, groups, reporters


def _sync(client, since):  # type: ignore[no-untyped-def]
    return client.call("sync", {"since": since}, timeout=10)


def test_reconnect_gets_missed_events_exactly_once_in_order(server: LiveServer, facilitator_api: Api) -> None:
    conf, ids, groups, reporters = _running_round(server, facilitator_api)
    group = groups[0]
    reporter = reporters[group["id"]]
    member = next(m["id"] for m in group["members"] if m["id"] != reporter)

    watcher = socket_client(server.url, {"kind": "participant", "token": conf.tokens[member]})
    first = _sync(watcher, None)
    seq = first["snapshot"]["seq"]
    watcher.disconnect()

    posted = [conf.post(reporter, group["id"], f"Punkt {i} mens telefonen var borte") for i in range(5)]
    conf.phones[reporter].patch(f"/me/bullets/{posted[1]['uuid']}", {"text": "Punkt 1, rettet"})
    conf.phones[reporter].delete(f"/me/bullets/{posted[2]['uuid']}")
    other = groups[1]
    conf.post(reporters[other["id"]], other["id"], "Et annet bord – skal ikke sendes hit")

    watcher = socket_client(server.url, {"kind": "participant", "token": conf.tokens[member]})
    replay = _sync(watcher, seq)
    events = replay["events"]
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)), "in order, each once"
    types = [e["type"] for e in events]
    assert types == ["bullet.posted"] * 5 + ["bullet.edited", "bullet.deleted"]
    # The deleted point is replayed without its text: what is deleted is gone from the log (docs/privacy.md).
    assert [e["data"]["bullet"]["text"] for e in events[:5]] == [
        "" if i == 2 else b["text"] for i, b in enumerate(posted)
    ]
    assert all(e["data"].get("bullet", {}).get("group_id", group["id"]) == group["id"] for e in events)
    # The position is the counter: the other table's point (not replayed here) is behind it too.
    assert replay["seq"] == max(seqs) + 1

    # Nothing more arrives on the live channel for what was replayed (a later event is the first to come),
    # and a second resync brings only that later event.
    conf.barrier(watcher)
    assert besides_barriers(watcher.received) == []
    assert [e["type"] for e in _sync(watcher, replay["seq"])["events"]] == ["conference.updated"]
    watcher.disconnect()


def test_live_events_reach_group_members_and_staff_only(server: LiveServer, facilitator_api: Api) -> None:
    conf, ids, groups, reporters = _running_round(server, facilitator_api)
    g1, g2 = groups[0], groups[1]
    member_g1 = next(m["id"] for m in g1["members"] if m["id"] != reporters[g1["id"]])
    member_g2 = next(m["id"] for m in g2["members"] if m["id"] != reporters[g2["id"]])
    clients = {
        "g1": socket_client(server.url, {"kind": "participant", "token": conf.tokens[member_g1]}),
        "g2": socket_client(server.url, {"kind": "participant", "token": conf.tokens[member_g2]}),
        "projector": None,
    }
    key = facilitator_api.get(conf.path())["projector_url"].rsplit("/", 1)[1]
    clients["projector"] = socket_client(server.url, {"kind": "projector", "key": key})
    for c in clients.values():
        _sync(c, None)
    bullet = conf.post(reporters[g1["id"]], g1["id"], "Faste møter med helsesykepleier")
    conf.barrier(*clients.values())  # a later event to everyone: the bullet came first, or never
    got = {name: [e for e in c.received if e["type"] == "bullet.posted"] for name, c in clients.items()}
    assert [e["data"]["bullet"]["id"] for e in got["g1"]] == [bullet["id"]]
    assert [e["data"]["bullet"]["id"] for e in got["projector"]] == [bullet["id"]]
    assert got["g2"] == [], "another table's drafts are not sent to this phone"
    for c in clients.values():
        c.disconnect()


def test_same_uuid_twice_gives_one_bullet(server: LiveServer, facilitator_api: Api) -> None:
    conf, ids, groups, reporters = _running_round(server, facilitator_api)
    group = groups[0]
    reporter = reporters[group["id"]]
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[reporter]})
    _sync(phone, None)
    cid = str(uuid.uuid4())
    payload = {"group_id": group["id"], "uuid": cid, "text": "Rutine for fravær fra første dag"}
    first = phone.call("bullet.post", payload, timeout=10)
    again = phone.call("bullet.post", payload, timeout=10)
    assert first["ok"] and again["ok"]
    assert first["bullet"]["id"] == again["bullet"]["id"]
    # The same UUID over HTTP (a phone that fell back) is the same bullet too.
    over_http = conf.phones[reporter].post("/me/bullets", payload, expect=201)
    assert over_http["id"] == first["bullet"]["id"]

    # Many deliveries at once: still one row.
    cid2 = str(uuid.uuid4())
    results: list[dict] = []

    def fire() -> None:
        c = socket_client(server.url, {"kind": "participant", "token": conf.tokens[reporter]})
        results.append(c.call("bullet.post", {**payload, "uuid": cid2, "text": "Samtidig sendt"}, timeout=15))
        c.disconnect()

    threads = [threading.Thread(target=fire) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r["bullet"]["id"] for r in results}) == 1

    snap = facilitator_api.get(conf.path("/snapshot"))
    texts = [b["text"] for b in snap["bullets"] if b["group_id"] == group["id"]]
    assert texts.count("Rutine for fravær fra første dag") == 1
    assert texts.count("Samtidig sendt") == 1
    posted_events = [
        e for e in facilitator_api.get(conf.path("/events?since=0"))["events"] if e["type"] == "bullet.posted"
    ]
    assert len(posted_events) == 2
    phone.disconnect()


def test_bad_writes_are_refused_with_a_message_and_change_nothing(
    server: LiveServer, facilitator_api: Api
) -> None:
    conf, ids, groups, reporters = _running_round(server, facilitator_api)
    g1, g2 = groups[0], groups[1]
    reporter = reporters[g1["id"]]
    member = (
        next(m["id"] for m in g1["members"] if m["id"] != reporter and m["id"] != g1["leader_id"])
        if len(g1["members"]) > 2
        else None
    )
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[reporter]})
    _sync(phone, None)
    before = facilitator_api.get(conf.path())["conference"]["last_seq"]
    cases = [
        ({"group_id": g1["id"], "uuid": str(uuid.uuid4()), "text": "   "}, "empty"),
        ({"group_id": g1["id"], "uuid": str(uuid.uuid4()), "text": "x" * 281}, "too_long"),
        ({"group_id": g2["id"], "uuid": str(uuid.uuid4()), "text": "Feil bord"}, "not_reporter"),
        ({"group_id": g1["id"], "uuid": "ikke-en-uuid", "text": "Hei"}, "invalid"),
        ({"group_id": "x", "uuid": str(uuid.uuid4()), "text": "Hei"}, "invalid"),
    ]
    for payload, code in cases:
        ack = phone.call("bullet.post", payload, timeout=10)
        assert ack["ok"] is False and ack["error"]["code"] == code, (payload, ack)
        assert ack["error"]["message"]
    if member is not None:
        member_api = conf.phones[member]
        member_api.call(
            "POST",
            "/me/bullets",
            json={"group_id": g1["id"], "uuid": str(uuid.uuid4()), "text": "Ikke referent"},
            expect=403,
        )
    # Closed round: the plenary starts, the group round is over.
    conf.start(conf.plenary_round(1))
    after_start = facilitator_api.get(conf.path())["conference"]["last_seq"]
    ack = phone.call(
        "bullet.post", {"group_id": g1["id"], "uuid": str(uuid.uuid4()), "text": "For sent"}, timeout=10
    )
    assert ack["ok"] is False and ack["error"]["code"] == "round_closed"
    assert facilitator_api.get(conf.path())["conference"]["last_seq"] == after_start
    assert after_start > before
    assert not [b for b in facilitator_api.get(conf.path("/snapshot"))["bullets"]]
    Api(server.url).call("POST", "/join", json={"code": "ZZZZZZ", "name": "A"}, expect=404)
    phone.disconnect()


def test_connection_without_valid_identity_is_refused(server: LiveServer) -> None:
    import pytest
    import socketio

    for auth in (
        {},
        {"kind": "participant", "token": "nope"},
        {"kind": "projector", "key": "nope"},
        {"kind": "facilitator", "conference_id": 1},
    ):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=5)


def test_minute_taker_writes_plenary_notes_from_a_phone(server: LiveServer, facilitator_api: Api) -> None:
    conf, ids, groups, reporters = _running_round(server, facilitator_api)
    taker, other = ids[0], ids[1]
    facilitator_api.put(conf.path("/minute-taker"), {"participant_id": taker})
    taker_phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[taker]})
    other_phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[other]})
    _sync(taker_phone, None)
    _sync(other_phone, None)
    note = {"uuid": str(uuid.uuid4()), "text": "Notat fra plenum", "group_number": 1}
    early = taker_phone.call("note.save", note, timeout=10)
    assert early["ok"] is False and early["error"]["code"] == "not_plenary"
    conf.start(conf.plenary_round(1))
    saved = taker_phone.call("note.save", note, timeout=10)
    assert saved["ok"] and saved["note"]["author"] == "Deltaker 0"
    edited = taker_phone.call("note.save", {**note, "text": "Notat fra plenum, rettet"}, timeout=10)
    assert edited["note"]["id"] == saved["note"]["id"]
    refused = other_phone.call("note.save", {**note, "uuid": str(uuid.uuid4())}, timeout=10)
    assert refused["ok"] is False and refused["error"]["code"] == "not_minute_taker"
    notes = facilitator_api.get(conf.path("/snapshot"))["notes"]
    assert [n["text"] for n in notes] == ["Notat fra plenum, rettet"]
    taker_phone.disconnect()
    other_phone.disconnect()


def test_a_phone_sees_only_its_own_tables_people(server: LiveServer, facilitator_api: Api) -> None:
    """A hall of 2,000 must not send every name to every phone (docs/performance.md, issue 6)."""
    conf, ids, groups, _ = _running_round(server, facilitator_api, people=6, group_size=2)
    me = groups[0]["members"][0]["id"]
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[me]})
    snap = _sync(phone, None)["snapshot"]
    tables = {g["id"]: g for g in snap["groups"]}
    assert set(tables) == {g["id"] for g in groups}, "every table of the round is listed, by number"
    for g in groups:
        want = sorted(m["id"] for m in g["members"]) if g["id"] == groups[0]["id"] else []
        assert sorted(m["id"] for m in tables[g["id"]]["members"]) == want
        assert tables[g["id"]]["number"] == g["number"]

    # Publishing the next round's tables names nobody: phones learn their table from the new snapshot.
    rnd2 = conf.group_round(2)
    conf.propose(rnd2, 2)
    facilitator_api.post(conf.path(f"/rounds/{rnd2['id']}/groups/publish"))
    deadline = time.monotonic() + 10
    while not any(e["type"] == "groups.published" for e in phone.received):
        assert time.monotonic() < deadline, phone.received
        time.sleep(0.02)
    published = next(e for e in phone.received if e["type"] == "groups.published")
    assert published["data"] == {"round_id": rnd2["id"]}
    after = _sync(phone, None)["snapshot"]
    mine = [g for g in after["groups"] if g["round_id"] == rnd2["id"] and g["members"]]
    assert len(mine) == 1 and me in {m["id"] for m in mine[0]["members"]}
    phone.disconnect()


def test_a_late_arrival_tells_only_their_table(server: LiveServer, facilitator_api: Api) -> None:
    """One latecomer used to make every phone in the hall resync (`groups.published` to all)."""
    conf, ids, groups, _ = _running_round(server, facilitator_api, people=4, group_size=2)
    first = {g["id"]: g["members"][0]["id"] for g in groups}
    phones = {
        gid: socket_client(server.url, {"kind": "participant", "token": conf.tokens[pid]})
        for gid, pid in first.items()
    }
    token = facilitator_api.session.headers["Authorization"].split()[1]
    staff = socket_client(server.url, {"kind": "facilitator", "conference_id": conf.id, "token": token})
    for c in [*phones.values(), staff]:
        _sync(c, None)
        c.received.clear()

    late = conf.join("Sein Ankomst", "Lærer")
    deadline = time.monotonic() + 10
    while not any(e["type"] == "group.member_added" for e in staff.received):
        assert time.monotonic() < deadline, staff.received
        time.sleep(0.02)
    added = next(e for e in staff.received if e["type"] == "group.member_added")
    assert added["data"]["member"]["id"] == late and added["data"]["member"]["name"] == "Sein Ankomst"
    conf.barrier(*phones.values(), staff)
    assert "groups.published" not in [e["type"] for e in staff.received]
    table = added["data"]["group_id"]
    for gid, phone in phones.items():
        types = [e["type"] for e in besides_barriers(phone.received)]
        assert types == (["group.member_added"] if gid == table else []), (gid, types)
        snap = _sync(phone, None)["snapshot"]
        own = next(g for g in snap["groups"] if g["id"] == gid)
        assert (late in {m["id"] for m in own["members"]}) == (gid == table)
    for c in [*phones.values(), staff]:
        c.disconnect()
