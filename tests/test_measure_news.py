"""Status news during DK2: when the steering group moves a measure on while DK2's tables evaluate it,
every screen of DK2 hears it at once, over real Socket.IO connections to a real server: the projector
(the plenary shows the status beside the table's report) and the phones at the measure's table. The
news carries the measure's id, title and status, and no names (the plan's coordinator stays off the
big screen)."""

from __future__ import annotations

from typing import Any

from support import Api, Conference, LiveServer, besides_barriers, socket_client

COORDINATOR = "Åsmund Koordinatorsen"


def measure_in_trial(server: LiveServer, api: Api) -> dict[str, Any]:
    """DK1: a table's point becomes a measure, decided and in trial, with a named coordinator."""
    dk1 = Conference(server, api, title="DK1")
    groups, reporters = dk1.running_round(people=2, group_size=2)
    point = dk1.post(reporters[groups[0]["id"]], groups[0]["id"], "Faste møter med helsesykepleier")
    cluster = api.post(
        dk1.path("/clusters"), {"title": "Faste møtepunkter", "bullet_ids": [point["id"]]}, expect=201
    )
    m = api.post(dk1.path(f"/clusters/{cluster['id']}/initiative"), expect=201)["initiative"]
    api.patch(dk1.path(f"/initiatives/{m['id']}"), {"version": m["version"], "coordinator": COORDINATOR})
    api.post(dk1.path("/finish"))
    for step in (
        {"to": "concretised"},
        {"to": "decided", "decided_on": "2027-01-10", "decision_note": "Vedtatt"},
        {"to": "in_trial", "trial_start": "2027-01-15", "trial_end": "2027-06-15"},
    ):
        api.post(f"/measures/{m['id']}/status", step)
    return m


def test_a_status_change_during_dk2_reaches_the_projector_and_the_tables_phones(
    server: LiveServer, facilitator_api: Api
) -> None:
    api = facilitator_api
    m = measure_in_trial(server, api)
    dk2 = Conference(server, api, template="dk2_school", title="DK2")
    people = [dk2.join(name, "Lærer") for name in ("Kari Lund", "Lars Moe", "Mona Nes", "Nils Olsen")]
    rnd = dk2.group_round(1)
    chosen = api.put(dk2.path(f"/rounds/{rnd['id']}/measures"), {"measure_ids": None})["chosen"]
    assert [(x["id"], x["table"]) for x in chosen] == [(m["id"], 1)]
    tables = dk2.propose(rnd, 2)
    dk2.start(rnd)
    at_measure = next(g for g in tables if g["number"] == 1)
    phone_id = at_measure["members"][0]["id"]
    other_table = next(g for g in tables if g["number"] == 2)
    assert phone_id in people

    key = api.get(dk2.path())["projector_url"].rstrip("/").rsplit("/", 1)[1]
    screen = socket_client(server.url, {"kind": "projector", "key": key})
    phone = socket_client(server.url, {"kind": "participant", "token": dk2.tokens[phone_id]})
    elsewhere = socket_client(
        server.url, {"kind": "participant", "token": dk2.tokens[other_table["members"][0]["id"]]}
    )
    clients = (screen, phone, elsewhere)
    try:
        for client in clients:
            snap = client.call("sync", {"since": None}, timeout=10)
            assert snap["ok"], snap
        before = next(g for g in snap["snapshot"]["groups"] if g["number"] == 1)
        assert before["measure"]["status"] == "in_trial"

        # The steering group stops the measure while DK2 runs.
        api.post(f"/measures/{m['id']}/status", {"to": "stopped", "reason": "Dekkes av skolens plan"})
        dk2.barrier(*clients)

        news = {"id": m["id"], "title": "Faste møtepunkter", "status": "stopped"}
        for client in clients:  # every screen of DK2 shows the table's measure (the plenary, the tabs)
            heard = [e for e in besides_barriers(client.received) if e["type"] == "measure.saved"]
            assert [e["data"] for e in heard] == [{"measure": news}]
        assert COORDINATOR not in str(screen.received), "no names on the big screen"
        # A fresh snapshot says the same: the table's phone shows the stopped measure on its card.
        fresh = phone.call("sync", {"since": None}, timeout=10)["snapshot"]
        mine = next(g for g in fresh["groups"] if g["number"] == 1)
        assert (mine["measure"]["status"], mine["evaluation"]["status"]) == ("stopped", "stopped")
    finally:
        for client in clients:
            client.disconnect()
