"""Two consoles changing the same thing at once never leave the data inconsistent.

Round state: both start items at the same moment; afterwards exactly one item runs, every other one
that ran is done, the log is gap-free and in order, and both consoles converge on the same state.
(Concurrent board moves: test_browser_board.py; concurrent edits of one initiative form:
test_board_api.py, where the older version is refused and the writer told.)
"""

from __future__ import annotations

import threading

from support import Api, Conference, LiveServer, create_facilitator


def test_two_consoles_starting_items_at_once_leave_one_running(
    server: LiveServer, facilitator_api: Api
) -> None:
    conf = Conference(server, facilitator_api)
    for i in range(6):
        conf.join(f"P{i}", ["Lærer", "Assistent"][i % 2])
    conf.propose(conf.group_round(1), 3)
    conf.propose(conf.group_round(2), 3)
    # A second facilitator account on the same conference would need an invitation; the same account
    # from two consoles is the realistic case (two laptops logged in as the organiser).
    second = Api(server.url, facilitator_api.session.headers["Authorization"].split(" ", 1)[1])
    items = [r["id"] for r in conf.rounds]
    results: list[int] = []

    def press(api: Api, round_id: int) -> None:
        r = api.session.post(f"{api.base}/conferences/{conf.id}/rounds/{round_id}/start", timeout=30)
        results.append(r.status_code)

    for first, other in [(items[0], items[1]), (items[1], items[2]), (items[2], items[2])]:
        threads = [
            threading.Thread(target=press, args=(facilitator_api, first)),
            threading.Thread(target=press, args=(second, other)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert all(code in (200, 409) for code in results), results  # 409: that item was already held
    snap = facilitator_api.get(conf.path("/snapshot"))
    states = [r["state"] for r in snap["rounds"]]
    assert states.count("active") == 1, states
    active = next(r for r in snap["rounds"] if r["state"] == "active")
    assert snap["conference"]["active_round_id"] == active["id"]
    assert all(
        r["state"] == "done" for r in snap["rounds"] if r["position"] < active["position"] and r["started_at"]
    )
    log = facilitator_api.get(conf.path("/events?since=0"))
    seqs = [e["seq"] for e in log["events"]]
    assert seqs == list(range(1, len(seqs) + 1)), "strictly increasing, no gaps, no duplicates"
    phases = [e for e in log["events"] if e["type"] == "phase.changed"]
    assert phases[-1]["data"]["active_round"]["id"] == active["id"], "the later change is the one shown"
    assert second.get(conf.path("/snapshot"))["rounds"] == snap["rounds"], "both consoles converge"


def test_a_second_facilitator_cannot_touch_the_round(server: LiveServer, facilitator_api: Api) -> None:
    conf = Conference(server, facilitator_api)
    stranger = Api(server.url, create_facilitator(server, "fremmed@example.no"))
    stranger.post(conf.path(f"/rounds/{conf.rounds[0]['id']}/start"), expect=404)
    assert facilitator_api.get(conf.path())["conference"]["status"] == "draft"
