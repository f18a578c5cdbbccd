"""Creating and deleting a conference reach the facilitator's open conference lists (issue 12).

A real server process and real Socket.IO clients: a list page connects as a facilitator without a
conference and hears `conference.list_changed` for its own conferences only. A browser shows the list
redrawing itself, which only a browser can.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect
from support import Api, LiveServer, create_facilitator, login, shot, socket_client


def _list_page(server: LiveServer, token: str) -> Any:
    client = socket_client(server.url, {"kind": "facilitator", "token": token})
    client.home = []  # type: ignore[attr-defined]
    client.on("home", lambda notice: client.home.append(notice))  # type: ignore[attr-defined]
    return client


def _wait_home(client: Any, n: int, timeout: float = 15) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while len(client.home) < n:
        assert time.monotonic() < deadline, f"no notice arrived: {client.home}"
        time.sleep(0.02)
    return list(client.home)


def test_a_created_and_a_deleted_conference_reach_my_open_lists_only(
    server: LiveServer, facilitator_api: Api
) -> None:
    token = facilitator_api.session.headers["Authorization"].split(" ", 1)[1]
    other_token = create_facilitator(server, email="annen@example.no")
    other_api = Api(server.url, other_token)
    mine = [_list_page(server, token), _list_page(server, token)]  # two tabs, or two devices
    theirs = _list_page(server, other_token)
    try:
        created = facilitator_api.post("/conferences", {"title": "Ny", "template": "dk1_school"}, expect=201)
        cid = created["conference"]["id"]
        for page in mine:
            assert _wait_home(page, 1) == [
                {"type": "conference.list_changed", "data": {"conference_id": cid, "change": "created"}}
            ]
        facilitator_api.post(f"/conferences/{cid}/finish")
        facilitator_api.delete(f"/conferences/{cid}")
        for page in mine:
            assert _wait_home(page, 2)[1] == {
                "type": "conference.list_changed",
                "data": {"conference_id": cid, "change": "deleted"},
            }
        # Barrier: the other facilitator's own new conference reaches their list; mine never did.
        own = other_api.post("/conferences", {"title": "Deres", "template": "dk1_school"}, expect=201)
        assert [n["data"]["conference_id"] for n in _wait_home(theirs, 1)] == [own["conference"]["id"]]
    finally:
        for c in [*mine, theirs]:
            c.disconnect()


def test_a_list_connection_can_do_nothing_in_a_conference(server: LiveServer, facilitator_api: Api) -> None:
    token = facilitator_api.session.headers["Authorization"].split(" ", 1)[1]
    page = _list_page(server, token)
    try:
        ack = page.call("sync", {"since": None}, timeout=10)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    finally:
        page.disconnect()


def test_the_list_page_shows_a_conference_created_elsewhere(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    login(page, server.url, "ordstyrer@example.no", "hemmelig-passord")
    page.goto(f"{server.url}/")
    page.wait_for_function("() => window.confappList && window.confappList.socket.connected")
    facilitator_api.post(
        "/conferences", {"title": "Laget på en annen maskin", "template": "dk1_school"}, expect=201
    )
    expect(page.get_by_role("link", name="Laget på en annen maskin")).to_be_visible(timeout=15_000)
    shot(page, artifacts, "conference-list-created-elsewhere")
    ctx.close()
