"""Rights that end end the live stream: a co-facilitator taken off a conference is told (`access.ended`),
their connections to it are closed by the server, and nothing later reaches them; the owner's stay open.

Real server processes, real Socket.IO clients; a barrier (a later event to the same conference) shows
that nothing more came. The same across two processes sharing PostgreSQL and Redis: test_scaleout.py.
"""

from __future__ import annotations

import time

import pytest
import socketio
from flask import Flask
from support import (
    Api,
    Conference,
    LiveServer,
    add_co_facilitator,
    create_facilitator,
    fresh_client,
    socket_client,
    web_login,
)

from confapp.errors import ServiceError
from confapp.services import conferences, facilitators, invitations, memberships

OWNER, PASSWORD = "ordstyrer@example.no", "hemmelig-passord"


def wait_until(check: object, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def ended(client: socketio.Client, facilitator_id: int) -> list[dict[str, object]]:
    return [
        e
        for e in client.received  # type: ignore[attr-defined]
        if e["type"] == "access.ended" and e["data"]["facilitator_id"] == facilitator_id
    ]


def test_a_removed_co_facilitator_hears_nothing_more(server: LiveServer) -> None:
    api = Api(server.url, create_facilitator(server, OWNER, PASSWORD))
    conf = Conference(server, api)
    colleague_id, colleague_token = add_co_facilitator(server, conf.id, "kollega@example.no", "Kari Kollega")
    owner_token = str(api.session.headers["Authorization"]).removeprefix("Bearer ")
    owner = socket_client(server.url, {"kind": "facilitator", "token": owner_token, "conference_id": conf.id})
    colleague = socket_client(
        server.url, {"kind": "facilitator", "token": colleague_token, "conference_id": conf.id}
    )
    home = socketio.Client(reconnection=False)
    told: list[dict[str, object]] = []
    home.on("home", told.append)
    home.connect(server.url, auth={"kind": "facilitator", "token": colleague_token}, transports=["websocket"])
    try:
        for client in (owner, colleague):
            assert client.call("sync", {"since": None}, timeout=10)["ok"]
        conf.barrier(owner, colleague)  # both hear the conference live

        web, csrf = web_login(server.url, OWNER, PASSWORD)
        page = web.post(
            server.url + f"/c/{conf.id}/co-facilitators/{colleague_id}/remove",
            data={"csrf_token": csrf},
            timeout=30,
        )
        assert "Kari Kollega driver ikke lenger denne konferansen" in page.text

        wait_until(lambda: not colleague.connected, "the server closes the removed colleague's connection")
        (notice,) = ended(colleague, colleague_id)
        wait_until(lambda: told, "the colleague's conference list is told to reload")
        assert told[0]["data"] == {"conference_id": conf.id, "change": "left"}

        conf.barrier(owner)  # a later event: it reaches the owner, not the removed colleague
        assert owner.connected
        assert ended(owner, colleague_id), "the owner's console hears of it too"
        after = [e for e in colleague.received if e["seq"] > notice["seq"]]  # type: ignore[attr-defined, operator]
        assert after == [], after

        with pytest.raises(socketio.exceptions.ConnectionError):  # and cannot come back
            socket_client(
                server.url, {"kind": "facilitator", "token": colleague_token, "conference_id": conf.id}
            )
        Api(server.url, colleague_token).get(conf.path(), expect=404)
        assert owner.call("sync", {"since": None}, timeout=10)["ok"], "the owner goes on"
    finally:
        for client in (owner, colleague, home):
            client.disconnect()


def test_removing_a_facilitator_is_refused_for_bad_input(app: Flask) -> None:
    """Oneself, a stranger and an unknown id are refused with a message; the facilitators stay as before."""
    owner = facilitators.create(email="eier@example.no", name="Eier", password="testpassord-123")
    stranger = facilitators.create(email="annen@example.no", name="Annen", password="testpassord-123")
    conf = conferences.create_conference(owner, title="DK1")
    for by, who, code in [(owner, owner.id, "self"), (owner, stranger.id, "not_facilitator"),
                          (owner, "1", "not_facilitator"), (stranger, owner.id, "not_found")]:  # fmt: skip
        with pytest.raises(ServiceError) as err:
            conferences.remove_facilitator(by, conf, who)
        assert err.value.code == code, (who, err.value.code)
    assert conf.facilitators == [owner] and memberships.can(owner, "conference.run", conf)
    assert conf.last_seq == 1, "nothing was recorded"


def test_the_page_lists_facilitators_with_remove_buttons_for_the_others(app: Flask) -> None:
    owner = facilitators.create(email="eier@example.no", name="Eier", password="testpassord-123")
    colleague = facilitators.create(email="kollega@example.no", name="Kollega", password="testpassord-123")
    conf = conferences.create_conference(owner, title="DK1")
    _inv, token = invitations.create("kollega@example.no", role="co_facilitator", by=owner, conference=conf)
    invitations.accept_as(token, colleague)
    client = fresh_client(app)
    csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login", data={"email": "eier@example.no", "password": "testpassord-123", "csrf_token": csrf}
    )
    page = client.get(f"/c/{conf.id}/co-facilitators").get_data(as_text=True)
    assert f'id="remove-facilitator-{colleague.id}"' in page
    assert f'id="remove-facilitator-{owner.id}"' not in page  # not oneself
    refused = client.post(f"/c/{conf.id}/co-facilitators/{owner.id}/remove", data={"csrf_token": csrf},
                          follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Du kan ikke fjerne deg selv" in refused
    assert colleague in conf.facilitators
