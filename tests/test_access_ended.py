"""Rights that end end the live stream: a co-facilitator taken off a conference is told (`access.ended`),
their connections to it are closed by the server, and nothing later reaches them; the owner's stay open.

Real server processes, real Socket.IO clients; a barrier (a later event to the same conference) shows
that nothing more came. The same across two processes sharing PostgreSQL and Redis: test_scaleout.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import socketio
from a11y import axe_violations, describe
from flask import Flask
from playwright.sync_api import Browser, expect
from smtp_box import smtp_server
from support import (
    Api,
    Conference,
    LiveServer,
    Watch,
    add_co_facilitator,
    create_facilitator,
    fresh_client,
    login,
    shot,
    socket_client,
    wait_until,
    web_login,
)

from confapp.errors import ServiceError
from confapp.services import conferences, facilitators, invitations, memberships

OWNER, PASSWORD = "ordstyrer@example.no", "hemmelig-passord"


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


@pytest.mark.browser
def test_a_mailed_co_facilitator_runs_the_console_until_removed(
    browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    """The owner invites a colleague from the conference's page; the mail (aiosmtpd) is opened in another
    browser, accepted with a password, and the colleague starts the first round from the console while the
    owner's console shows it live. Removed again, the colleague's console says it has lost access."""
    with smtp_server() as (box, config):
        env = {f"CONFAPP_{k}": str(v).lower() if isinstance(v, bool) else str(v) for k, v in config.items()}
        server = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite'}", env=env).start()
        try:
            api = Api(server.url, create_facilitator(server, OWNER, PASSWORD))
            conf = Conference(server, api, title="Skolens dialogkonferanse")
            for i in range(4):
                conf.join(f"Deltaker {i + 1}", ["Lærer", "Assistent"][i % 2])
            watch = Watch()
            owner = watch.page(
                browser.new_context(locale="nb-NO", viewport={"width": 1400, "height": 1000}, bypass_csp=True)
            )
            login(owner, server.url, OWNER, PASSWORD)
            owner.goto(f"{server.url}/c/{conf.id}/co-facilitators")
            owner.fill("#invite-email", "kollega@example.no")
            owner.click("#invite-submit")
            expect(owner.locator("#invitation-mailed")).to_contain_text("e-post")
            shot(owner, artifacts, "co-facilitator-1-invited")
            (msg,) = box.wait(1)
            assert msg["To"] == "kollega@example.no"
            link = re.search(r"http://\S+/invitation/\S+", msg.get_content())
            assert link and link.group(0) == owner.input_value("#invitation-link")

            owner.goto(f"{server.url}/c/{conf.id}")
            expect(owner.locator("#status")).to_have_text("Tilkoblet")
            colleague = watch.page(
                browser.new_context(locale="nb-NO", viewport={"width": 1400, "height": 1000}, bypass_csp=True)
            )
            colleague.goto(link.group(0))
            expect(colleague.locator("#invitation-role")).to_contain_text("Medfasilitator")
            colleague.fill("#name", "Kari Kollega")
            colleague.fill("#password", "kollega-passord-123")
            colleague.fill("#password2", "kollega-passord-123")
            colleague.click("#invitation-submit")
            colleague.wait_for_url(server.url + "/")
            colleague.click(f"a[href='/c/{conf.id}']")
            expect(colleague.locator("#status")).to_have_text("Tilkoblet")
            colleague.fill("#group-size", "2")
            colleague.click("#start-round")
            colleague.click("#confirm-start")
            expect(colleague.locator(".agenda li.active")).to_contain_text("Pågår")
            expect(owner.locator(".agenda li.active")).to_contain_text("Pågår")  # live, without a reload
            shot(colleague, artifacts, "co-facilitator-2-started")
            shot(owner, artifacts, "co-facilitator-3-owner-sees-it")
            assert api.get(conf.path())["conference"]["status"] == "running"

            board = watch.page(colleague.context)  # the colleague's clustering board in another tab
            board.goto(f"{server.url}/c/{conf.id}/board")
            board.wait_for_function("() => window.confappBoard && window.confappBoard.live.socket.connected")

            admin = watch.page(owner.context)  # the owner's second tab
            admin.goto(f"{server.url}/c/{conf.id}/co-facilitators")
            expect(admin.locator("#facilitator-list")).to_contain_text("Kari Kollega")
            shot(admin, artifacts, "co-facilitator-4-list")
            assert axe_violations(admin) == [], describe(axe_violations(admin))
            admin.click("#facilitator-list button")
            expect(admin.locator("#facilitator-list")).not_to_contain_text("Kari Kollega")
            expect(colleague.locator("#access-ended")).to_have_text(
                "Du har ikke lenger tilgang til denne konferansen. Spør en av fasilitatorene hvis du trenger "
                "tilgang igjen."
            )
            shot(colleague, artifacts, "co-facilitator-5-access-ended")
            assert axe_violations(colleague) == [], describe(axe_violations(colleague))
            expect(board.locator("#access-ended")).to_be_visible()
            expect(board.locator("h1")).to_contain_text("Skolens dialogkonferanse")
            expect(owner.locator("#status")).to_have_text("Tilkoblet")
            assert watch.errors == []
        finally:
            server.stop()
