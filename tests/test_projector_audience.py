"""The projector is a screen in a hall, not staff: it never receives a name it does not show.

A real server and a real Socket.IO projector client, connected from the start. Before the tables are
published the screen shows no names at all; after, it shows who sits where (names only). It never
hears of imported people who did not come, units, grade teams, roles, who typed a note, or initiatives
(which name a coordinator) — live, replayed, or in its snapshot.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from support import Api, Conference, LiveServer, socket_client

SEATED = ["Xqvwerty Asdfghson", "Ujmnhytg Bgtrfvsen", "Wsxcderf Tgbnhyson", "Okmijnuh Bhuvgyten"]
LATE = "Rfvtgbyh Nujmikson"  # removed before the tables are made: never on the screen
IMPORTED = "Plmoknij Bhuvgysen"
UNIT = "Qawsedrf oppvekstsenter"
GRADE_TEAM = "Trinnteam Zsexdrcft"
COORDINATOR = "Ikolpujh Yhnmjuik"
ROLE = "Spesialpedagogkoordinator"


def _received(client: Any, since: int | None = 0) -> str:
    """Everything the client heard live, plus its replay from `since` and its snapshot, as one text."""
    replay = client.call("sync", {"since": since}, timeout=10)
    snap = client.call("sync", {"since": None}, timeout=10)
    return json.dumps([list(client.received), replay, snap], ensure_ascii=False)


def test_projector_receives_only_the_names_it_shows(server: LiveServer, facilitator_api: Api) -> None:
    api = facilitator_api
    conf = Conference(server, api, title="Skjermkonferanse")
    key = api.get(conf.path())["projector_url"].rstrip("/").rsplit("/", 1)[1]
    screen = socket_client(server.url, {"kind": "projector", "key": key})
    staff = socket_client(server.url, {"kind": "facilitator", "conference_id": conf.id,
                                       "token": api.session.headers["Authorization"].split()[1]})  # fmt: skip
    try:
        assert screen.call("sync", {"since": None}, timeout=10)["ok"]
        assert staff.call("sync", {"since": None}, timeout=10)["ok"]
        ids = [conf.join(name, ROLE) for name in SEATED]
        late = conf.join(LATE, ROLE)
        csv = f"navn,rolle,enhet,trinnteam\n{IMPORTED},{ROLE},{UNIT},{GRADE_TEAM}\n"
        api.call("POST", conf.path("/participants/import"), expect=201, data=csv.encode(),
                 headers={"Content-Type": "text/csv"})  # fmt: skip
        api.delete(conf.path(f"/participants/{late}"))
        rnd = conf.group_round(1)
        conf.propose(rnd, 2)  # draft tables: names, for the facilitator only

        # Before publishing, the screen has heard no name at all; the facilitator has heard them all.
        before = _received(screen)
        for secret in [*SEATED, LATE, IMPORTED, UNIT, GRADE_TEAM, ROLE]:
            assert secret not in before, f"the projector received {secret!r} before the tables were shown"
        heard = json.dumps(list(staff.received), ensure_ascii=False)
        assert all(name in heard for name in [*SEATED, IMPORTED, UNIT]), "staff hear who joined"

        # Published and running: the screen shows who sits where, so those names (only) reach it.
        conf.start(rnd)
        groups = api.get(conf.path("/snapshot"))["groups"]
        reporters = conf.appoint_reporters([g for g in groups if g["round_id"] == rnd["id"]])
        for gid, pid in reporters.items():
            conf.post(pid, gid, "Faste møter med helsesykepleier")
        conf.start(conf.plenary_round(1))
        taker = ids[0]
        api.put(conf.path("/minute-taker"), {"participant_id": taker})
        phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[taker]})
        try:
            note = {"uuid": str(uuid.uuid4()), "text": "Enighet om faste møter", "group_number": 1}
            assert phone.call("note.save", note, timeout=10)["ok"]
        finally:
            phone.disconnect()
        cluster = api.post(conf.path("/clusters"), {"title": "Samarbeid"}, expect=201)
        made = api.post(conf.path(f"/clusters/{cluster['id']}/initiative"), expect=201)
        initiative = made["initiative"]
        api.patch(conf.path(f"/initiatives/{initiative['id']}"),
                  {"version": initiative["version"], "coordinator": COORDINATOR})  # fmt: skip
        staff_seq = api.get(conf.path("/snapshot"))["seq"]

        after = _received(screen)
        assert all(name in after for name in SEATED), "the screen shows who sits where"
        for secret in [LATE, IMPORTED, UNIT, GRADE_TEAM, ROLE, COORDINATOR, '"author"', '"participants"']:
            assert secret not in after, f"the projector received {secret!r}"
        types = {e["type"] for e in screen.received}
        assert not types & {"participant.joined", "participant.removed", "groups.planned", "initiative.saved"}
        assert {"bullet.posted", "note.saved", "phase.changed"} <= types
        assert max(e["seq"] for e in screen.received) <= staff_seq

        # Anonymising replaces the key: a screen still connected on the old one is refused and let go.
        api.post(conf.path("/finish"))
        api.post(conf.path("/anonymise"))
        screen.emit("sync", {"since": 0})  # refused: the server closes the connection instead of answering
        deadline = time.monotonic() + 10
        while screen.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not screen.connected, "the revoked screen is disconnected"
    finally:
        screen.disconnect()
        staff.disconnect()
