"""A reporter's phone that loses the network keeps working: the outbox in localStorage, in real Chromium.

Playwright cuts the network (`context.set_offline`), the reporter writes, edits and deletes, the network comes
back, and the server must end with exactly the right bullets, each once: checked in the facilitator's snapshot
and in the event log (one `bullet.posted` per UUID). The page is closed and opened again with a full outbox,
the network flickers, and (through Playwright's WebSocket routing) a post reaches the server but its answer is
lost. Screenshots and the flaky-network socket log land in test-artifacts/.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, WebSocketRoute, expect
from support import PHONE, Api, Conference, LiveServer, Watch, create_facilitator, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The phone's bokmål texts (confapp/translations/nb/LC_MESSAGES/messages.po).
ONLINE = "Tilkoblet"
OFFLINE = "Ingen tilkobling – punktene dine lagres på mobilen og sendes når nettet er tilbake."
ONE_WAITING = "1 punkt venter på å bli sendt"


def script_errors(watch: Watch) -> list[str]:
    """Page errors, less the browser's own report of a connection attempt while the network is cut."""
    return [e for e in watch.errors if "net::ERR_INTERNET_DISCONNECTED" not in e]


def fill(box: Locator, text: str) -> None:
    """Fill a text box, again if a re-render took the focus away while Playwright typed.

    phone.js re-renders the list on every event and ack, which detaches and re-attaches the composer and so
    blurs it; text typed into a blurred box goes nowhere (see test_typing_goes_on_while_the_outbox_is_sent).
    """
    for _ in range(5):
        box.fill(text)
        if box.input_value() == text:
            return
    expect(box).to_have_value(text)


def waiting(n: int) -> str:
    return ONE_WAITING if n == 1 else f"{n} punkter venter på å bli sendt"


class Table:
    """One table in a running group round: a leader on the API, the reporter on a phone in Chromium."""

    def __init__(self, server: LiveServer, browser: Browser, watch: Watch):
        self.api = Api(server.url, create_facilitator(server))
        self.conf = Conference(server, self.api)
        self.leader = self.conf.join("Lise Leder", "Rektor")
        self.ctx: BrowserContext = browser.new_context(**PHONE)
        self.watch = watch
        self.page = watch.page(self.ctx)
        self.page.goto(f"{server.url}/j/{self.conf.code}")
        self.page.fill("#name", "Rita Referent")
        self.page.fill("#role", "Helsesykepleier")
        self.page.click("#join-form button[type=submit]")
        expect(self.page.locator("#view")).to_contain_text("Rita")
        self.phone_url = self.page.url
        people = self.api.get(self.conf.path("/participants"))
        self.reporter = next(p["id"] for p in people if p["name"] == "Rita Referent")
        rnd = self.conf.group_round(1)
        (group,) = self.conf.propose(rnd, 2)
        self.group_id = group["id"]
        self.api.put(self.conf.path(f"/groups/{self.group_id}/leader"), {"participant_id": self.leader})
        self.conf.start(rnd)
        self.conf.phones[self.leader].put(
            f"/me/groups/{self.group_id}/reporter",
            {"participant_id": self.reporter, "uuid": str(uuid.uuid4())},
        )
        expect(self.page.locator("#bullet-text")).to_be_visible()
        expect(self.page.locator("#status")).to_have_text(ONLINE)
        self.outbox_key = f"confapp.outbox.{self.conf.id}.{self.reporter}"

    # --- what the reporter does ---
    def post(self, text: str, page: Page | None = None) -> None:
        page = page or self.page
        fill(page.locator("#bullet-text"), text)
        page.click("#send-bullet")

    def item(self, text: str, page: Page | None = None) -> Any:
        return (page or self.page).locator("#my-bullets li", has_text=text)

    def edit(self, old: str, new: str) -> None:
        self.item(old).locator("button.edit").click()
        fill(self.page.locator("#my-bullets textarea.edit-text"), new)
        self.page.click("#my-bullets button.save-edit")
        expect(self.item(new)).to_be_visible()

    def delete(self, text: str) -> None:
        self.item(text).locator("button.delete").click()  # Watch accepts the confirm dialog
        expect(self.item(text)).to_have_count(0)

    def uuid_of(self, text: str) -> str:
        return str(self.item(text).get_attribute("data-uuid"))

    def stored_outbox(self, page: Page | None = None) -> list[dict[str, Any]]:
        raw = (page or self.page).evaluate("k => localStorage.getItem(k)", self.outbox_key)
        return json.loads(raw) if raw else []

    # --- what the server has ---
    def server_bullets(self) -> dict[str, str]:
        """uuid -> text of the table's visible bullets, from the facilitator's snapshot."""
        snap = self.api.get(self.conf.path("/snapshot"))
        mine = [b for b in snap["bullets"] if b["group_id"] == self.group_id]
        assert len({b["uuid"] for b in mine}) == len(mine)
        return {b["uuid"]: b["text"] for b in mine}

    def log(self) -> list[dict[str, Any]]:
        return self.api.get(self.conf.path("/events?since=0"))["events"]  # type: ignore[no-any-return]

    def log_count(self, kind: str) -> Counter[str]:
        """How often each UUID appears in events of this type."""
        counts: Counter[str] = Counter()
        ids = {}
        for e in self.log():
            if e["type"] == "bullet.posted":
                ids[e["data"]["bullet"]["id"]] = e["data"]["bullet"]["uuid"]
            if e["type"] != kind:
                continue
            d = e["data"]
            counts[d["bullet"]["uuid"] if "bullet" in d else ids[d["bullet_id"]]] += 1
        return counts

    def expect_all_sent(self, page: Page | None = None, timeout: float = 15_000) -> None:
        page = page or self.page
        expect(page.locator("#status")).to_have_text(ONLINE, timeout=timeout)
        expect(page.locator("#outbox")).to_be_hidden(timeout=timeout)
        expect(page.locator("#my-bullets li.pending")).to_have_count(0, timeout=timeout)
        assert self.stored_outbox(page) == []
        # and the phone has caught up with everything the server logged
        seq = self.api.get(self.conf.path("/events?since=0"))["seq"]
        page.wait_for_function(
            "seq => { const s = window.confappPhone.live.state; return !!s && s.seq >= seq; }",
            arg=seq,
            timeout=timeout,
        )

    def shown(self, page: Page | None = None) -> list[str]:
        return (page or self.page).locator("#my-bullets li .text").all_inner_texts()


def go_offline(t: Table) -> None:
    t.ctx.set_offline(True)
    expect(t.page.locator("#status")).to_have_text(OFFLINE)
    expect(t.page.locator("#status")).to_have_class(re.compile(r"\boffline\b"))


def test_offline_post_edit_delete_then_delivered_exactly_once(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    watch = Watch()
    t = Table(server, browser, watch)

    # Two points go out while the network is fine.
    for text in ("Faste møter med helsesykepleier", "Felles rutine for fravær"):
        t.post(text)
        expect(t.page.locator("#my-bullets li:not(.pending)", has_text=text)).to_be_visible()
    acked = {
        text: t.uuid_of(text) for text in ("Faste møter med helsesykepleier", "Felles rutine for fravær")
    }
    assert set(t.server_bullets()) == set(acked.values())

    go_offline(t)
    offline_texts = ["Elevsamtaler hver måned", "Dette punktet slettes", "Tettere kontakt med PPT"]
    for n, text in enumerate(offline_texts, start=1):
        t.post(text)
        expect(t.page.locator("#my-bullets li.pending", has_text=text)).to_be_visible()
        expect(t.page.locator("#outbox")).to_have_text(waiting(n))
    expect(t.page.locator("#outbox")).to_be_visible()
    expect(t.page.locator("#outbox")).to_have_text("3 punkter venter på å bli sendt")
    shot(t.page, artifacts, "phone-offline-outbox")
    # They wait in localStorage with their UUIDs, and the server has seen none of them.
    stored = t.stored_outbox()
    assert [(o["op"], o["text"]) for o in stored] == [("post", text) for text in offline_texts]
    uuids = {o["text"]: o["uuid"] for o in stored}
    assert all(
        re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)
        for u in uuids.values()
    )
    assert len(set(uuids.values())) == 3
    assert {uuids[text] for text in offline_texts} == {t.uuid_of(text) for text in offline_texts}

    # Still offline: edit and delete a point that waits, and a point the server already has.
    t.edit("Elevsamtaler hver måned", "Elevsamtaler hver måned, også på mellomtrinnet")
    t.delete("Dette punktet slettes")
    expect(t.page.locator("#outbox")).to_have_text(waiting(2))
    t.edit("Felles rutine for fravær", "Felles rutine for fravær fra dag én")
    t.delete("Faste møter med helsesykepleier")
    expect(t.page.locator("#outbox")).to_have_text(waiting(4))
    shot(t.page, artifacts, "phone-offline-edited")
    assert [(o["op"], o["uuid"]) for o in t.stored_outbox()] == [
        ("post", uuids["Elevsamtaler hver måned"]),
        ("post", uuids["Tettere kontakt med PPT"]),
        ("edit", acked["Felles rutine for fravær"]),
        ("delete", acked["Faste møter med helsesykepleier"]),
    ]
    assert t.server_bullets() == {
        acked["Faste møter med helsesykepleier"]: "Faste møter med helsesykepleier",
        acked["Felles rutine for fravær"]: "Felles rutine for fravær",
    }, "nothing reached the server while offline"

    # The network comes back: the outbox is flushed by itself, in order.
    t.ctx.set_offline(False)
    t.expect_all_sent()
    shot(t.page, artifacts, "phone-back-online")
    expected = {
        acked["Felles rutine for fravær"]: "Felles rutine for fravær fra dag én",
        uuids["Elevsamtaler hver måned"]: "Elevsamtaler hver måned, også på mellomtrinnet",
        uuids["Tettere kontakt med PPT"]: "Tettere kontakt med PPT",
    }
    assert t.server_bullets() == expected
    assert sorted(t.shown()) == sorted(expected.values())
    posted = t.log_count("bullet.posted")
    assert posted == Counter(
        {
            acked["Faste møter med helsesykepleier"]: 1,
            acked["Felles rutine for fravær"]: 1,
            uuids["Elevsamtaler hver måned"]: 1,
            uuids["Tettere kontakt med PPT"]: 1,
        }
    ), "each point posted once; the one deleted while waiting never left the phone"
    assert t.log_count("bullet.edited") == Counter({acked["Felles rutine for fravær"]: 1})
    assert t.log_count("bullet.deleted") == Counter({acked["Faste møter med helsesykepleier"]: 1})

    # A reload shows the same list from the server, and nothing is sent again.
    t.page.reload()
    expect(t.page.locator("#my-bullets li")).to_have_count(3)
    t.expect_all_sent()
    assert sorted(t.shown()) == sorted(expected.values())
    assert sum(t.log_count("bullet.posted").values()) == 4
    assert script_errors(watch) == []


def test_outbox_survives_a_closed_page_and_is_sent_once_when_it_opens_again(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    watch = Watch()
    t = Table(server, browser, watch)
    go_offline(t)
    texts = ["Skolen trenger en fast kontaktperson", "Foreldremøter med tolk"]
    for text in texts:
        t.post(text)
    expect(t.page.locator("#outbox")).to_have_text(waiting(2))
    uuids = {o["text"]: o["uuid"] for o in t.stored_outbox()}
    assert list(uuids) == texts
    # The tab is killed (or the phone locked) while it still has no network.
    t.page.close()
    assert t.server_bullets() == {}

    t.ctx.set_offline(False)
    page = watch.page(t.ctx)
    page.goto(t.phone_url)
    t.page = page
    t.expect_all_sent()
    shot(page, artifacts, "phone-reopened-sent")
    assert t.server_bullets() == {uuids[text]: text for text in texts}
    assert sorted(t.shown()) == sorted(texts)
    assert t.log_count("bullet.posted") == Counter({u: 1 for u in uuids.values()})

    # Opening the page once more sends nothing again.
    page.reload()
    expect(page.locator("#my-bullets li")).to_have_count(2)
    t.expect_all_sent()
    assert t.log_count("bullet.posted") == Counter({u: 1 for u in uuids.values()})
    assert script_errors(watch) == []


def test_typing_goes_on_while_the_outbox_is_sent(server: LiveServer, browser: Browser) -> None:
    watch = Watch()
    t = Table(server, browser, watch)
    go_offline(t)
    t.post("Sendt uten nett")
    expect(t.page.locator("#outbox")).to_have_text(ONE_WAITING)
    box = t.page.locator("#bullet-text")
    box.click()
    t.page.keyboard.type("Halvveis skrevet")
    t.ctx.set_offline(False)
    t.expect_all_sent()  # the ack and the event re-rendered the list meanwhile
    t.page.keyboard.type(", og resten")
    assert t.page.evaluate("document.activeElement && document.activeElement.id") == "bullet-text"
    expect(box).to_have_value("Halvveis skrevet, og resten")


def test_flaky_network_delivers_every_point_once(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    watch = Watch()
    t = Table(server, browser, watch)
    # A log of what the phone's socket did, kept as an artifact (how long it took to recover, and why).
    t.page.evaluate(
        """() => {
          const s = window.confappPhone.live.socket, t0 = performance.now(), log = (window.socketLog = []);
          const note = (m) => log.push(`${Math.round(performance.now() - t0)} ms ${m}`);
          s.on("connect", () => note("connect"));
          s.on("disconnect", (r) => note(`disconnect: ${r}`));
          s.on("connect_error", (e) => note(`connect_error: ${e.message}`));
          s.io.on("reconnect_attempt", (n) => note(`reconnect attempt ${n}`));
          addEventListener("online", () => note(`online, outbox ${window.confappPhone.outbox().length}`));
          addEventListener("offline", () => note("offline"));
        }"""
    )
    texts: list[str] = []
    for i in range(5):
        # a point sent just as the network drops (it may or may not reach the server), one while offline,
        # one just as it comes back
        texts.append(f"Runde {i}: sendt idet nettet falt")
        t.post(texts[-1])
        t.ctx.set_offline(True)
        texts.append(f"Runde {i}: skrevet uten nett")
        t.post(texts[-1])
        t.page.wait_for_timeout(150 * (i % 3))
        t.ctx.set_offline(False)
        texts.append(f"Runde {i}: sendt idet nettet kom")
        t.post(texts[-1])
        t.page.wait_for_timeout(100 * (i % 2))
    shot(t.page, artifacts, "phone-flaky-network")
    started = time.monotonic()
    try:
        t.expect_all_sent(timeout=30_000)
    finally:
        recovered = f"all sent {time.monotonic() - started:.1f} s after the network came back for good"
        log = t.page.evaluate("window.socketLog")
        (artifacts / "phone-flaky-network-log.txt").write_text("\n".join([*log, recovered]) + "\n")
    shot(t.page, artifacts, "phone-flaky-network-settled")

    on_server = t.server_bullets()
    assert sorted(on_server.values()) == sorted(texts), "every point there, none twice"
    assert sorted(t.shown()) == sorted(texts), "the phone shows each point once"
    posted = t.log_count("bullet.posted")
    assert set(posted) == set(on_server) and set(posted.values()) == {1}
    assert script_errors(watch) == []


class Link:
    """The phone's WebSocket, routed through Playwright so a test can lose exactly the answers it wants.

    `deaf`: what the server sends is dropped (the phone's message arrives, the answer never does).
    `down`: new connections are refused (used together with `set_offline`, which cuts everything else).
    """

    def __init__(self, page: Page):
        self.deaf = False
        self.down = False
        self.dropped: list[str] = []
        page.route_web_socket(re.compile(r"/socket\.io/"), self._route)

    def _route(self, ws: WebSocketRoute) -> None:
        if self.down:
            ws.close()
            return
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if self.deaf:
                self.dropped.append(message if isinstance(message, str) else "<binary>")
            else:
                ws.send(message)

        server.on_message(from_server)


def routed_table(server: LiveServer, browser: Browser, watch: Watch) -> tuple[Table, Link]:
    t = Table(server, browser, watch)
    link = Link(t.page)
    t.page.reload()  # the phone's socket now goes through the route
    expect(t.page.locator("#bullet-text")).to_be_visible()
    t.expect_all_sent()
    return t, link


def post_whose_answer_is_lost(t: Table, link: Link, text: str) -> str:
    """The server stores the point, then the network drops before the phone hears back."""
    link.deaf = True
    t.post(text)
    expect(t.page.locator("#my-bullets li.pending", has_text=text)).to_be_visible()
    cid = t.uuid_of(text)
    for _ in range(100):
        if cid in t.server_bullets():
            break
        t.page.wait_for_timeout(50)
    assert t.server_bullets() == {cid: text}, "the post reached the server"
    t.page.wait_for_timeout(200)
    assert any(m.startswith("43") and '"bullet"' in m for m in link.dropped), "its ack was lost"
    link.down = True
    t.ctx.set_offline(True)
    expect(t.page.locator("#status")).to_have_text(OFFLINE)
    link.deaf = False
    expect(t.page.locator("#my-bullets li.pending", has_text=text)).to_be_visible()
    assert [o["op"] for o in t.stored_outbox()] == ["post"], "the phone still has it waiting"
    return cid


def back_online(t: Table, link: Link) -> None:
    link.down = False
    t.ctx.set_offline(False)
    t.expect_all_sent(timeout=30_000)


def test_post_whose_answer_was_lost_is_retried_without_a_duplicate(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    watch = Watch()
    t, link = routed_table(server, browser, watch)
    first = post_whose_answer_is_lost(t, link, "Svaret på dette punktet ble borte")
    t.post("Skrevet etterpå, uten nett")
    expect(t.page.locator("#outbox")).to_have_text(waiting(2))
    shot(t.page, artifacts, "phone-lost-answer-waiting")
    second = t.uuid_of("Skrevet etterpå, uten nett")
    back_online(t, link)
    expected = {first: "Svaret på dette punktet ble borte", second: "Skrevet etterpå, uten nett"}
    assert t.server_bullets() == expected
    assert sorted(t.shown()) == sorted(expected.values())
    assert t.log_count("bullet.posted") == Counter({first: 1, second: 1}), "sent twice, stored once"
    assert script_errors(watch) == []


def test_edit_of_a_post_whose_answer_was_lost_reaches_the_server(
    server: LiveServer, browser: Browser
) -> None:
    watch = Watch()
    t, link = routed_table(server, browser, watch)
    cid = post_whose_answer_is_lost(t, link, "Fast møte hver uke")
    t.edit("Fast møte hver uke", "Fast møte annenhver uke")
    back_online(t, link)
    assert t.server_bullets() == {cid: "Fast møte annenhver uke"}
    assert t.shown() == ["Fast møte annenhver uke"]


def test_delete_of_a_post_whose_answer_was_lost_reaches_the_server(
    server: LiveServer, browser: Browser
) -> None:
    watch = Watch()
    t, link = routed_table(server, browser, watch)
    post_whose_answer_is_lost(t, link, "Dette skulle vært slettet")
    t.delete("Dette skulle vært slettet")
    expect(t.page.locator("#outbox")).to_be_hidden()
    back_online(t, link)
    assert t.server_bullets() == {}
    assert t.shown() == []


def test_a_busy_database_keeps_the_point_in_the_outbox_until_it_is_saved(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    """Another process holds SQLite's write lock: the phone is told to wait, keeps the point, resends it."""
    import sqlite3

    watch = Watch()
    t = Table(server, browser, watch)
    holder = sqlite3.connect(server.db_url.removeprefix("sqlite:///"), timeout=1)
    holder.execute("BEGIN EXCLUSIVE")  # in WAL mode readers go on; every write waits, then gets a 503
    try:
        t.post("Skrevet mens databasen var opptatt")
        expect(t.page.locator("#rejected")).to_contain_text("Databasen er opptatt", timeout=15_000)
        expect(t.item("Skrevet mens databasen var opptatt")).to_have_class(re.compile(r"\bpending\b"))
        assert [o["text"] for o in t.stored_outbox()] == ["Skrevet mens databasen var opptatt"]
        shot(t.page, artifacts, "phone-database-busy")
    finally:
        holder.rollback()
        holder.close()
    t.expect_all_sent(timeout=30_000)  # the phone tries again on its own
    assert list(t.server_bullets().values()) == ["Skrevet mens databasen var opptatt"]
    assert set(t.log_count("bullet.posted").values()) == {1}
    assert script_errors(watch) == []
