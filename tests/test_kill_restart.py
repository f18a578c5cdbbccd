"""The server is killed hard (SIGKILL) in the middle of a group round while phones post, then restarted.

Real processes only: `confapp serve` on a SQLite file, python-socketio clients that behave like the phone
(an outbox of posts with UUIDs, retried after a reconnect; `sync` from the last seq on every connect), and a
real Chromium phone for the browser side. Counts land in test-artifacts/kill-restart-counts.json.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import socketio
from playwright.sync_api import Browser, Page, expect
from support import PHONE, Api, Conference, LiveServer, Watch, create_facilitator, shot

ONLINE = "Tilkoblet"
OFFLINE = "Ingen tilkobling"


class Phone:
    """A phone over python-socketio, following docs/protocol.md like phone.js and live.js do.

    Every post gets a UUID and waits in `outbox` until the server acknowledges it; the head of the outbox is
    retried after a reconnect. The client reconnects by itself (python-socketio's reconnection), and on every
    connect it sends `sync` with the highest seq it has applied before it sends anything else. `view` is what
    the phone would show: the table's bullets built only from the sync answers and live events.
    """

    def __init__(self, url: str, auth: dict[str, Any], group_id: int | None, label: str, every: float = 0.08):
        self.url, self.auth, self.group_id, self.label, self.every = url, auth, group_id, label, every
        self.client = socketio.Client(
            reconnection=True,
            reconnection_attempts=0,
            reconnection_delay=0.2,
            reconnection_delay_max=1.0,
            randomization_factor=0.1,
        )
        self.lock = threading.Lock()
        self.online = threading.Event()
        self.generation = 0  # one per connection, so a wait for an ack ends when its connection dies
        self.need_sync = False
        self.inbox: list[dict[str, Any]] = []  # live events received, not yet applied
        self.seq: int | None = None
        self.applied_seqs: list[int] = []  # every seq this phone applied, in the order it applied them
        self.view: dict[int, tuple[str, str]] = {}  # bullet id -> (uuid, text)
        self.outbox: list[tuple[str, str]] = []
        self.created: list[str] = []
        self.acked: set[str] = set()
        self.sends: dict[str, int] = {}
        self.in_flight: str | None = None  # the UUID of a post sent and not yet answered
        self.ack_ids: dict[str, int] = {}
        self.connects = 0
        self.disconnects = 0
        self.resyncs: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self.producing = threading.Event()
        self.may_sync = threading.Event()  # cleared: a phone that is slow to come back after a reconnect
        self.may_sync.set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"phone-{label}", daemon=True)
        self.client.on("connect", self._on_connect)
        self.client.on("disconnect", self._on_disconnect)
        self.client.on("event", self._on_event)

    # --- socket callbacks (python-socketio's threads) ---
    def _on_connect(self) -> None:
        with self.lock:
            self.connects += 1
            self.generation += 1
            self.need_sync = True
        self.online.set()

    def _on_disconnect(self, reason: Any = None) -> None:
        with self.lock:
            self.disconnects += 1
            self.generation += 1
        self.online.clear()
        if reason != self.client.reason.CLIENT_DISCONNECT:
            # python-engineio leaves the WebSocket of a connection that died under it open (it closes it only
            # on a clean disconnect). This runs after its read and write loops have ended: close it here.
            ws = getattr(self.client.eio, "ws", None)
            if ws is not None:
                ws.shutdown()

    def _on_event(self, ev: dict[str, Any]) -> None:
        with self.lock:
            self.inbox.append(ev)

    # --- the phone's own thread ---
    def start(self) -> Phone:
        self.client.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=10)
        self.thread.start()
        return self

    def _call(self, event: str, data: dict[str, Any], timeout: float = 5.0) -> dict[str, Any] | None:
        """Emit with an ack; None when the connection drops (or the ack does not come) first."""
        with self.lock:
            gen = self.generation
        got: list[dict[str, Any]] = []
        done = threading.Event()

        def ack(*args: Any) -> None:
            got.append(args[0] if args else {})
            done.set()

        try:
            self.client.emit(event, data, callback=ack)
        except socketio.exceptions.BadNamespaceError:
            return None  # not connected (any more)
        deadline = time.monotonic() + timeout
        while not done.wait(0.02):
            with self.lock:
                if self.generation != gen:
                    return None
            if time.monotonic() > deadline:
                return None
        return got[0]

    def _apply(self, ev: dict[str, Any]) -> None:
        """live.js's rule: apply only what is newer than our seq, then move the seq forward."""
        assert self.seq is not None
        if ev["seq"] <= self.seq:
            return
        d = ev["data"]
        if ev["type"] in ("bullet.posted", "bullet.edited"):
            b = d["bullet"]
            if self.group_id is not None and b["group_id"] != self.group_id:
                self.errors.append(f"{self.label}: another table's bullet arrived: {b}")
            self.view[b["id"]] = (b["uuid"], b["text"])
        elif ev["type"] == "bullet.deleted":
            self.view.pop(d["bullet_id"], None)
        self.seq = ev["seq"]
        self.applied_seqs.append(ev["seq"])

    def drain(self) -> None:
        with self.lock:
            queued, self.inbox = self.inbox, []
            if self.seq is not None:
                for ev in queued:
                    self._apply(ev)

    def _sync(self) -> None:
        since = self.seq
        ack = self._call("sync", {"since": since}, timeout=10)
        if ack is None:
            return
        if not ack.get("ok"):
            self.errors.append(f"{self.label}: sync refused: {ack}")
            return
        with self.lock:
            if "snapshot" in ack:
                snap = ack["snapshot"]
                self.view = {
                    b["id"]: (b["uuid"], b["text"])
                    for b in snap["bullets"]
                    if self.group_id is None or b["group_id"] == self.group_id
                }
                self.seq = snap["seq"]
                self.applied_seqs.append(snap["seq"])
                kind, n = "snapshot", len(snap["bullets"])
            else:
                for ev in ack["events"]:
                    self._apply(ev)
                assert self.seq is not None
                self.seq = max(self.seq, ack["seq"])
                kind, n = "events", len(ack["events"])
            self.resyncs.append({"since": since, "kind": kind, "n": n, "seq": self.seq})
            self.need_sync = False

    def _produce(self, now: float, state: dict[str, float]) -> None:
        """Keep typing, online or not: each new point gets its UUID and goes to the outbox."""
        if self.group_id is None or not self.producing.is_set() or now < state["next"]:
            return
        state["next"] = now + self.every
        cid = str(uuid.uuid4())
        with self.lock:
            self.created.append(cid)
            self.outbox.append((cid, f"{self.label} punkt {len(self.created)}"))

    def _run(self) -> None:
        state = {"next": 0.0}
        try:
            while True:
                now = time.monotonic()
                self._produce(now, state)
                with self.lock:
                    empty = not self.outbox
                if self.stop.is_set() and empty and not self.need_sync:
                    return
                if not self.online.wait(0.05):
                    continue
                if self.need_sync:
                    if self.may_sync.wait(0.05):
                        self._sync()
                    continue
                self.drain()
                if empty:
                    time.sleep(0.01)
                    continue
                with self.lock:
                    cid, text = self.outbox[0]
                    self.sends[cid] = self.sends.get(cid, 0) + 1
                    self.in_flight = cid
                ack = self._call("bullet.post", {"group_id": self.group_id, "uuid": cid, "text": text})
                self.in_flight = None
                if ack is None:
                    continue  # unknown fate: it stays at the head of the outbox and is sent again
                with self.lock:
                    self.outbox.pop(0)
                    if ack.get("ok") and ack["bullet"]["uuid"] == cid and ack["bullet"]["text"] == text:
                        self.acked.add(cid)
                        self.ack_ids[cid] = ack["bullet"]["id"]
                    else:
                        self.errors.append(f"{self.label}: refused or wrong ack for {cid}: {ack}")
        except Exception as exc:  # a failed phone fails the test, not silently its thread
            self.errors.append(f"{self.label}: {exc!r}")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(15)
        self.client.shutdown()


def close_all(clients: list[Phone | None]) -> None:
    """Close in parallel: websocket-client waits up to 3 s for the server's close frame on each one."""
    threads = [threading.Thread(target=c.close) for c in clients if c is not None]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    """Waits for something that must happen; `timeout` is how long it takes on a quiet machine, and the
    ceiling is four times that, since a shared machine under load was seen to need more (nothing is timed)."""
    deadline = time.monotonic() + 4 * timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what}")
        time.sleep(0.05)


def db_bullets(db_file: Path, conf_id: int) -> list[tuple[str, int, str, int]]:
    """The rows themselves, read from the SQLite file (read-only) the server writes to."""
    con = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(
            "SELECT client_uuid, group_id, text, hidden FROM bullets WHERE conference_id = ? ORDER BY id",
            (conf_id,),
        ).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_mid_round_loses_no_acknowledged_bullet(tmp_path: Path, artifacts: Path) -> None:
    t0 = time.monotonic()
    db_file = tmp_path / "confapp.sqlite"
    # Four reporters post every 80 ms, far past a person's pace: lift the per-phone write rate here
    # (tests/test_request_limits.py tests the rate itself).
    server = LiveServer(tmp_path, f"sqlite:///{db_file}", env={"CONFAPP_POINTS_PER_MINUTE": "100000"}).start()
    phones: list[Phone] = []
    projector: Phone | None = None
    try:
        api = Api(server.url, create_facilitator(server))
        conf = Conference(server, api)
        for i in range(8):
            conf.join(f"Deltaker {i}", ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier"][i % 4])
        rnd = conf.group_round(1)
        groups = conf.propose(rnd, 2)
        assert len(groups) == 4
        conf.start(rnd)
        reporters = conf.appoint_reporters(groups)
        key = api.get(conf.path())["projector_url"].rsplit("/", 1)[1]

        for g in groups:
            rid = reporters[g["id"]]
            auth = {"kind": "participant", "token": conf.tokens[rid]}
            phones.append(Phone(server.url, auth, g["id"], f"Bord {g['number']}").start())
        projector = Phone(server.url, {"kind": "projector", "key": key}, None, "projektor").start()
        all_clients = [*phones, projector]
        wait_until(lambda: all(p.seq is not None for p in all_clients), 10, "first sync")
        assert all(p.resyncs[0]["kind"] == "snapshot" for p in all_clients), "no state: a snapshot"

        # --- phones post; the server dies in the middle of it ---
        for p in phones:
            p.producing.set()
        wait_until(lambda: all(len(p.acked) >= 15 for p in phones), 15, "posting before the kill")
        # The projector will be slow to come back: it misses what the phones flush and catches up by seq.
        projector.may_sync.clear()
        # Kill while posts are on their way: at a moment when two phones (or at least one) wait for an answer.
        for at_least, seconds in ((2, 5), (1, 5)):
            deadline = time.monotonic() + seconds
            while sum(p.in_flight is not None for p in phones) < at_least and time.monotonic() < deadline:
                time.sleep(0.0005)
            in_flight_at_kill = {p.in_flight for p in phones} - {None}
            if in_flight_at_kill:
                break
        server.kill()
        killed_at = time.monotonic()
        with_ack_at_kill = {p.label: set(p.acked) for p in phones}
        assert in_flight_at_kill, "killed while phones were posting"
        wait_until(lambda: all(p.disconnects >= 1 for p in all_clients), 5, "phones notice the dead server")
        for p in all_clients:
            p.drain()  # what arrived before the connection died
        seq_before = {p.label: p.seq for p in all_clients}
        in_outbox_at_kill = {p.label: len(p.outbox) for p in phones}
        # What the dead server left on disk: every acknowledged post is already there.
        on_disk_at_kill = {r[0] for r in db_bullets(db_file, conf.id)}
        assert set().union(*with_ack_at_kill.values()) <= on_disk_at_kill

        # Nothing answers while it is down; the phones keep typing into their outboxes. No sleep: the
        # phones' own typing is the clock.
        wait_until(
            lambda: all(len(p.outbox) >= in_outbox_at_kill[p.label] + 5 for p in phones),
            15,
            "phones typing while the server is down",
        )
        assert all(not p.online.is_set() and p.connects == 1 for p in all_clients), "nobody answered"
        typed_offline = {p.label: len(p.outbox) for p in phones}

        server.start()  # same port, same database file
        restarted_at = time.monotonic()
        wait_until(lambda: all(p.connects >= 2 for p in all_clients), 15, "phones reconnect by themselves")
        reconnected_after = time.monotonic() - restarted_at
        wait_until(lambda: all(len(p.resyncs) >= 2 for p in phones), 10, "phones resync after reconnect")
        # the outboxes are flushed: all that was typed while the server was down is acknowledged
        waiting = {p.label: set(p.created) - p.acked for p in phones}
        wait_until(lambda: all(waiting[p.label] <= p.acked for p in phones), 15, "outboxes flushed")
        seq_flushed = int(api.get(conf.path("/events?since=0"))["seq"])
        assert projector.seq == seq_before["projektor"] and len(projector.resyncs) == 1
        projector.may_sync.set()
        wait_until(lambda: len(projector.resyncs) >= 2, 10, "the projector resyncs")
        assert projector.resyncs[1]["kind"] == "events"
        assert projector.resyncs[1]["seq"] >= seq_flushed
        missed_by_projector = projector.resyncs[1]["n"]
        assert missed_by_projector >= sum(len(w - on_disk_at_kill) for w in waiting.values())

        # The round goes on: new points after the restart are acknowledged too.
        acked_after_restart = {p.label: len(p.acked) for p in phones}
        wait_until(
            lambda: all(len(p.acked) >= acked_after_restart[p.label] + 15 for p in phones),
            20,
            "posting after the restart",
        )
        for p in phones:
            p.producing.clear()
        wait_until(lambda: all(not p.outbox for p in phones), 15, "outboxes empty")
        # the projector has seen the last event
        last_seq = int(api.get(conf.path("/events?since=0"))["seq"])
        wait_until(lambda: (projector.drain() or projector.seq) == last_seq, 10, "the projector is current")
        for p in phones:
            p.drain()
        # what the server says after the restart (read before it stops)
        log = api.get(conf.path("/events?since=0"))["events"]
        snap = api.get(conf.path("/snapshot"))
    finally:
        close_all([*phones, projector])
        server.stop()

    errors = [e for p in all_clients for e in p.errors]
    assert errors == []

    # --- resync by seq: each reconnect asked for the missed events, and seq only went forward ---
    for p in all_clients:
        second = p.resyncs[1]
        assert second["since"] == seq_before[p.label], f"{p.label}: sync from the last seq it applied"
        assert second["kind"] == "events", f"{p.label}: a known seq gives the missed events: {second}"
        assert p.applied_seqs == sorted(set(p.applied_seqs)), f"{p.label}: seq went back or repeated"
        assert p.seq is not None and p.seq > seq_before[p.label]

    # --- the database: every acknowledged UUID once, nothing lost, nothing doubled ---
    rows = db_bullets(db_file, conf.id)
    in_db = [r[0] for r in rows]
    created = {cid for p in phones for cid in p.created}
    acked = {cid for p in phones for cid in p.acked}
    acked_at_kill = set().union(*with_ack_at_kill.values())
    lost_at_kill = acked_at_kill - set(in_db)
    lost = acked - set(in_db)
    duplicated = len(in_db) - len(set(in_db))
    assert lost_at_kill == set(), "acknowledged before the kill, gone after it"
    assert lost == set()
    assert duplicated == 0
    assert created == acked == set(in_db), "every point typed was delivered, and nothing else"
    assert all(hidden == 0 for *_x, hidden in rows)
    by_uuid = {r[0]: r for r in rows}
    for p, g in zip(phones, groups, strict=True):
        texts = [by_uuid[cid][2] for cid in p.created]
        assert texts == [f"{p.label} punkt {i}" for i in range(1, len(p.created) + 1)]
        assert all(by_uuid[cid][1] == g["id"] for cid in p.created)

    # the event log: exactly one bullet.posted per UUID
    posted = [e["data"]["bullet"]["uuid"] for e in log if e["type"] == "bullet.posted"]
    assert sorted(posted) == sorted(in_db)
    seqs = [e["seq"] for e in log]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))

    # the facilitator's snapshot after the restart agrees, and the round is still running
    assert sorted(b["uuid"] for b in snap["bullets"]) == sorted(in_db)
    assert snap["conference"]["active_round_id"] == rnd["id"]

    # --- what each phone shows (built from sync + live events only) equals its table in the database ---
    for p, g in zip(phones, groups, strict=True):
        shown = sorted(v[0] for v in p.view.values())
        assert shown == sorted(r[0] for r in rows if r[1] == g["id"]), f"{p.label} shows its table"
    assert sorted(v[0] for v in projector.view.values()) == sorted(in_db), "the projector shows all"

    counts = {
        "tables": len(phones),
        "posted": len(created),
        "acked": len(acked),
        "acked_before_kill": len(acked_at_kill),
        "in_flight_when_killed": len(in_flight_at_kill),
        "in_outbox_when_killed": sum(in_outbox_at_kill.values()),
        "typed_while_down": sum(typed_offline.values()),
        "on_disk_at_kill": len(on_disk_at_kill),
        "stored_but_unacked_at_kill": len(on_disk_at_kill - acked_at_kill),
        "in_flight_and_already_stored": len(in_flight_at_kill & on_disk_at_kill),
        "sent_more_than_once": sum(1 for p in phones for n in p.sends.values() if n > 1),
        "found_in_db": len(set(in_db) & created),
        "rows_in_db": len(in_db),
        "lost": len(lost),
        "duplicated": duplicated,
        "bullet_posted_events": len(posted),
        "reconnects": sum(p.connects - 1 for p in all_clients),
        "reconnected_after_restart_s": round(reconnected_after, 2),
        "down_s": round(restarted_at - killed_at, 2),
        "missed_events_replayed_to_projector": missed_by_projector,
        "resyncs": {p.label: p.resyncs[1] for p in all_clients},
        "total_s": round(time.monotonic() - t0, 1),
    }
    (artifacts / "kill-restart-counts.json").write_text(json.dumps(counts, indent=2, ensure_ascii=False))
    print("kill-restart:", json.dumps(counts, ensure_ascii=False))
    assert time.monotonic() - t0 < 60


def join_in_browser(browser: Browser, watch: Watch, url: str, code: str, name: str, role: str) -> Page:
    page = watch.page(browser.new_context(**PHONE))
    page.goto(f"{url}/j/{code}")
    page.fill("#name", name)
    page.fill("#role", role)
    page.click("#join-form button[type=submit]")
    expect(page.locator("#view")).to_contain_text(name.split()[0])
    return page


@pytest.mark.browser
@pytest.mark.slow
def test_phone_pages_reconnect_by_themselves_after_a_restart(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    api = Api(server.url, create_facilitator(server))
    conf = Conference(server, api)
    watch = Watch()
    reporter = join_in_browser(browser, watch, server.url, conf.code, "Rita Referent", "Helsesykepleier")
    leader = join_in_browser(browser, watch, server.url, conf.code, "Lise Leder", "Rektor")
    ids = {p["name"]: p["id"] for p in api.get(conf.path("/participants"))}
    rnd = conf.group_round(1)
    (group,) = conf.propose(rnd, 2)
    api.put(conf.path(f"/groups/{group['id']}/leader"), {"participant_id": ids["Lise Leder"]})
    conf.start(rnd)
    api.put(conf.path(f"/groups/{group['id']}/reporter"), {"participant_id": ids["Rita Referent"]})
    expect(reporter.locator("#bullet-text")).to_be_visible()

    def post(text: str) -> None:
        reporter.fill("#bullet-text", text)
        reporter.click("#send-bullet")

    def seq(page: Page) -> int:
        return int(page.evaluate("window.confappPhone.live.state.seq"))

    post("Skrevet før krasjet")
    expect(reporter.locator("#my-bullets li:not(.pending)", has_text="Skrevet før krasjet")).to_be_visible()
    expect(leader.locator("#my-bullets")).to_contain_text("Skrevet før krasjet")
    seq_before = {"reporter": seq(reporter), "leader": seq(leader)}

    server.kill()
    for page in (reporter, leader):
        expect(page.locator("#status")).to_contain_text(OFFLINE)
    post("Skrevet mens serveren var nede")
    expect(reporter.locator("#my-bullets li.pending", has_text="mens serveren var nede")).to_be_visible()
    expect(reporter.locator("#outbox")).to_have_text("1 punkt venter på å bli sendt")
    shot(reporter, artifacts, "phone-server-killed")

    server.start()  # same port, same database; nobody touches the pages
    for page in (reporter, leader):
        expect(page.locator("#status")).to_have_text(ONLINE, timeout=15_000)
    expect(reporter.locator("#outbox")).to_be_hidden(timeout=15_000)
    expect(reporter.locator("#my-bullets li.pending")).to_have_count(0)
    post("Skrevet etter omstarten")
    expect(reporter.locator("#my-bullets li:not(.pending)", has_text="etter omstarten")).to_be_visible()
    texts = ["Skrevet før krasjet", "Skrevet mens serveren var nede", "Skrevet etter omstarten"]
    for text in texts:
        expect(leader.locator("#my-bullets")).to_contain_text(text)
    shot(reporter, artifacts, "phone-after-restart")

    snap = api.get(conf.path("/snapshot"))
    assert sorted(b["text"] for b in snap["bullets"]) == sorted(texts)
    posted = [e for e in api.get(conf.path("/events?since=0"))["events"] if e["type"] == "bullet.posted"]
    assert sorted(e["data"]["bullet"]["text"] for e in posted) == sorted(texts), "each once"
    last = snap["seq"]
    for name, page in (("reporter", reporter), ("leader", leader)):
        page.wait_for_function("s => window.confappPhone.live.state.seq >= s", arg=last)
        assert seq(page) == last > seq_before[name], "the phone's seq went on from where it was"
        assert sorted(page.locator("#my-bullets li .text").all_inner_texts()) == sorted(texts)
    # Only the browser's own reports of the refused connections while the server was down.
    assert [e for e in watch.errors if "net::ERR_CONNECTION_REFUSED" not in e] == []
