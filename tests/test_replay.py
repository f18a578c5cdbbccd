"""Replaying the event log with the browser's own reducer gives what a fresh snapshot shows.

In the spirit of Zulip's `verify_action`. For every event type in `confapp.events.EVENT_TYPES`, and for
one or more actions that produce it, on a conference of its own:

1. every viewer takes a snapshot and listens on a socket: the facilitator (GET .../snapshot), the
   projector (socket `sync` with `since: null`) and every phone (GET /me/snapshot with its token);
2. one action goes through the HTTP API or a socket, as the real screens do it;
3. the events each viewer may see after its snapshot's `seq` (facilitator: GET .../events?since=N;
   projector and phones: socket `sync` with `since`, the participant-filtered replay) are applied with
   the real `applyEvent` from /static/js/live.js, imported as an ES module in a Chromium page served by
   the same server, exactly as `startLive` applies a sync ack;
4. the result must equal a fresh snapshot, after normalising what legitimately differs: `server_now`,
   and the order of the collections a snapshot lists by id (or by table number).

The live socket stream must carry the same events as the replay. For `phase.changed` and
`groups.published` clients take a new snapshot (`RESYNC_ON` in live.js); there the replay must leave
every field the reducer touched equal to the fresh snapshot, and a real `startLive` client in Chromium
must resync and end up equal to the fresh snapshot. Protocol: docs/protocol.md.
"""

from __future__ import annotations

import copy
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from playwright.sync_api import Page, sync_playwright
from support import Api, Conference, LiveServer, create_facilitator, socket_client

from confapp.events import EVENT_TYPES

pytestmark = [pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROLES = ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier"]
RESYNC_ON = {"phase.changed", "groups.published"}  # docs/protocol.md, "The resync rule", point 4
COLLECTIONS = ("rounds", "groups", "bullets", "notes", "participants")
WAIT = 10.0

# Mirrors the `ack.events` branch of `live.resync` in live.js: apply what is newer, then move `seq`.
REPLAY_JS = """
async ([state, events, seq]) => {
  const { applyEvent } = await import("/static/js/live.js");
  const warned = [];
  const warn = console.warn;
  console.warn = (...args) => { warned.push(args.map(String).join(" ")); };
  try {
    for (const ev of events) {
      if (ev.seq > state.seq) { applyEvent(state, ev); state.seq = ev.seq; }
    }
    state.seq = Math.max(state.seq, seq);
  } finally {
    console.warn = warn;
  }
  return { state, warned };
}
"""

# A real `startLive` client, with its `sync` requests recorded.
START_LIVE_JS = """
async ([name, auth]) => {
  const { startLive } = await import("/static/js/live.js");
  window.clients = window.clients || {};
  const rec = { syncs: [], changes: 0, errors: [] };
  const live = startLive({ auth, onChange: () => { rec.changes += 1; } });
  const emit = live.socket.emit.bind(live.socket);
  live.socket.emit = (event, ...args) => {
    if (event === "sync") rec.syncs.push(args[0]);
    return emit(event, ...args);
  };
  rec.live = live;
  window.clients[name] = rec;
}
"""


# --- fixtures: one server, one facilitator, one browser page for the whole module ----------------------


@dataclass
class World:
    server: LiveServer
    token: str
    api: Api


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("replay")
    srv = LiveServer(tmp, f"sqlite:///{tmp / 'confapp.sqlite'}").start()
    try:
        token = create_facilitator(srv)
        yield World(srv, token, Api(srv.url, token))
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def page(world: World) -> Iterator[Page]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (scripts/test installs it from the distribution)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(world.server.url + "/login")
        # The vendored Socket.IO client, for the real `startLive` (a same-origin script: CSP allows it).
        pg.add_script_tag(url="/static/vendor/socket.io-4.8.4.min.js")
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


# --- normalising and comparing ---------------------------------------------------------------------------


def norm(snap: dict[str, Any]) -> dict[str, Any]:
    """What may differ without being wrong: the clock, and the order of id-keyed collections."""
    s = copy.deepcopy(snap)
    s.pop("server_now", None)
    for key in COLLECTIONS:
        if key in s:
            s[key] = {item["id"]: item for item in s[key]}
    return s


MISSING = "<missing>"


def diffs(a: Any, b: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any, Any]]:
    """Leaf paths where a and b differ (dicts are walked, anything else compared whole)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out.extend(diffs(a.get(k, MISSING), b.get(k, MISSING), (*path, k)))
        return out
    return [] if a == b else [(path, a, b)]


def at(obj: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        if not isinstance(obj, dict) or k not in obj:
            return MISSING
        obj = obj[k]
    return obj


def show(found: list[tuple[tuple[Any, ...], Any, Any]], left: str, right: str) -> str:
    return "\n".join(f"  {'.'.join(map(str, p))}: {left}={a!r} {right}={b!r}" for p, a, b in found)


# --- viewers ---------------------------------------------------------------------------------------------


def sync(client: socketio.Client, since: int | None) -> dict[str, Any]:
    ack = client.call("sync", {"since": since}, timeout=10)
    assert isinstance(ack, dict), ack
    return ack


@dataclass
class Viewer:
    name: str
    kind: str  # facilitator | projector | participant
    auth: dict[str, Any]
    snapshot: Callable[[], dict[str, Any]]
    participant_id: int | None = None
    sock: socketio.Client | None = None
    before: dict[str, Any] = field(default_factory=dict)

    @property
    def staff(self) -> bool:
        return self.kind != "participant"


def viewers(world: World, conf: Conference) -> list[Viewer]:
    key = world.api.get(conf.path())["projector_url"].rsplit("/", 1)[1]
    out = [
        Viewer(
            "facilitator",
            "facilitator",
            {"kind": "facilitator", "conference_id": conf.id, "token": world.token},
            lambda: world.api.get(conf.path("/snapshot")),
        )
    ]
    projector = Viewer("projector", "projector", {"kind": "projector", "key": key}, lambda: {})
    projector.snapshot = lambda: sync(projector.sock, None)["snapshot"]  # type: ignore[arg-type]
    out.append(projector)
    people = world.api.get(conf.path("/participants"))
    for p in people:
        if p["removed"] or p["id"] not in conf.phones:
            continue
        phone = conf.phones[p["id"]]
        out.append(
            Viewer(
                f"phone {p['id']} ({p['name']})",
                "participant",
                {"kind": "participant", "token": conf.tokens[p["id"]]},
                lambda phone=phone: phone.get("/me/snapshot"),
                participant_id=p["id"],
            )
        )
    return out


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# --- the browser side ------------------------------------------------------------------------------------


def replay(page: Page, state: dict[str, Any], events: list[dict[str, Any]], seq: int) -> dict[str, Any]:
    out = page.evaluate(REPLAY_JS, [state, events, seq])
    assert out["warned"] == [], f"the reducer warned: {out['warned']}"
    return out["state"]  # type: ignore[no-any-return]


class LiveClients:
    """Real `startLive` clients in the page: they must end where a fresh snapshot is."""

    def __init__(self, page: Page):
        self.page = page
        self.names: list[str] = []

    def start(self, name: str, auth: dict[str, Any]) -> None:
        self.page.evaluate(START_LIVE_JS, [name, auth])
        self.names.append(name)
        self.page.wait_for_function(
            "n => { const c = window.clients[n]; return c.live.state && !c.live.syncing; }",
            arg=name,
            timeout=WAIT * 1000,
        )

    def syncs(self, name: str) -> list[Any]:
        return self.page.evaluate("n => window.clients[n].syncs", name)  # type: ignore[no-any-return]

    def settle(self, name: str, seq: int, full_sync_after: int | None) -> dict[str, Any]:
        """Wait until the client has `seq` and (if due) one more sync with `since: null`; its state."""
        self.page.wait_for_function(
            """([n, seq, after]) => {
                const c = window.clients[n];
                if (!c.live.state || c.live.syncing || c.live.state.seq < seq) return false;
                return after === null || c.syncs.slice(after).some((s) => s.since === null);
            }""",
            arg=[name, seq, full_sync_after],
            timeout=WAIT * 1000,
        )
        return self.page.evaluate("n => window.clients[n].live.state", name)  # type: ignore[no-any-return]

    def stop(self) -> None:
        for name in self.names:
            self.page.evaluate(
                "n => { window.clients[n].live.socket.disconnect(); delete window.clients[n]; }", name
            )
        self.names = []


# --- the check -------------------------------------------------------------------------------------------


def verify(world: World, page: Page, conf: Conference, action: Callable[[], Any], expect: str) -> None:
    """Snapshot, act, replay with applyEvent, compare with a fresh snapshot, for every viewer."""
    seen = viewers(world, conf)
    live = LiveClients(page)
    try:
        for v in seen:
            v.sock = socket_client(world.server.url, v.auth)
            first = sync(v.sock, None)
            v.before = v.snapshot()
            assert norm(first["snapshot"]) == norm(v.before), f"{v.name}: socket and HTTP snapshots differ"
            v.sock.received.clear()  # type: ignore[attr-defined]
        # A real browser client for the facilitator and for one phone.
        browser_viewers = [v for v in seen if v.kind == "facilitator"] + [
            v for v in seen if v.kind == "participant"
        ][:1]
        for v in browser_viewers:
            live.start(v.name, v.auth)
        syncs_before = {v.name: len(live.syncs(v.name)) for v in browser_viewers}

        action()

        log = world.api.get(conf.path(f"/events?since={seen[0].before['seq']}"))
        types = [e["type"] for e in log["events"]]
        assert expect in types, f"the action logged {types}, not {expect}"
        resync = bool(RESYNC_ON & set(types))
        after_fac = world.api.get(conf.path("/snapshot"))
        removed = {p["id"] for p in after_fac["participants"] if p["removed"]}

        for v in seen:
            assert v.sock is not None
            if v.participant_id in removed:
                ack = sync(v.sock, v.before["seq"])
                assert not ack["ok"] and ack["error"]["code"] == "removed", ack
                r = requests.get(
                    world.server.url + "/api/v1/me/snapshot",
                    headers={"Authorization": f"Bearer {v.auth['token']}"},
                    timeout=10,
                )
                assert r.status_code == 401, r.text
                continue
            if v.kind == "facilitator":
                events, seq = log["events"], log["seq"]
                ack = sync(v.sock, v.before["seq"])
                assert ack["events"] == events and ack["seq"] == seq, "socket and HTTP replay differ"
            else:
                ack = sync(v.sock, v.before["seq"])
                assert ack["ok"] and "events" in ack, ack
                events, seq = ack["events"], ack["seq"]
            if v.kind == "projector":
                assert events == log["events"], "the projector is staff: it sees every event"
            seqs = [e["seq"] for e in events]
            assert seqs == sorted(set(seqs)) and all(s > v.before["seq"] for s in seqs), seqs

            # The live stream carries exactly what the replay does.
            received = v.sock.received  # type: ignore[attr-defined]
            wait_for(lambda: len(received) >= len(events), f"{v.name}: live events {seqs}")
            assert received == events, f"{v.name}: live {received} != replayed {events}"

            after = v.snapshot()
            state = replay(page, copy.deepcopy(v.before), events, seq)
            if v.staff:
                assert state["seq"] == after["seq"], f"{v.name}: seq {state['seq']} != {after['seq']}"
            else:
                # A phone's replay ends at the last event it may see; later staff-only events are skipped.
                assert v.before["seq"] <= state["seq"] <= after["seq"]
            got, want = norm(state), norm(after)
            got["seq"] = want["seq"]
            if not resync:
                found = diffs(got, want)
                assert not found, f"{v.name}: replay of {types} != fresh snapshot:\n" + show(
                    found, "replayed", "snapshot"
                )
            else:
                # The client takes a new snapshot; what the reducer did touch must still be right.
                touched = [p for p, _, _ in diffs(norm(v.before), got) if p != ("seq",)]
                wrong = [(p, at(got, p), at(want, p)) for p in touched if at(got, p) != at(want, p)]
                assert not wrong, f"{v.name}: reducer set these wrongly for {types}:\n" + show(
                    wrong, "replayed", "snapshot"
                )
            if v in browser_viewers:
                full = syncs_before[v.name] if RESYNC_ON & {e["type"] for e in events} else None
                live_state = live.settle(v.name, state["seq"], full)
                got_live, want_live = norm(live_state), norm(v.snapshot())
                got_live["seq"] = want_live["seq"] if not v.staff else got_live["seq"]
                found = diffs(got_live, want_live)
                assert not found, f"{v.name}: startLive state after {types} != fresh snapshot:\n" + show(
                    found, "live", "snapshot"
                )
        assert page.errors == [], page.errors  # type: ignore[attr-defined]
    finally:
        live.stop()
        for v in seen:
            if v.sock is not None:
                v.sock.disconnect()


# --- scenarios: set a conference up, return the one action to verify ------------------------------------


class Setup:
    """A conference of its own for one scenario, driven through the API."""

    def __init__(self, world: World):
        self.world = world
        self.conf = Conference(world.server, world.api, title="Replaykonferanse")
        self.groups: list[dict[str, Any]] = []
        self.reporters: dict[int, int] = {}
        self.bullets: dict[int, list[dict[str, Any]]] = {}

    @property
    def api(self) -> Api:
        return self.world.api

    def path(self, suffix: str = "") -> str:
        return self.conf.path(suffix)

    def people(self, n: int = 4) -> list[int]:
        return [self.conf.join(f"Deltaker {i + 1}", ROLES[i % len(ROLES)]) for i in range(n)]

    def planned(self, n: int = 4) -> list[dict[str, Any]]:
        self.people(n)
        self.groups = self.conf.propose(self.conf.group_round(1), 2)
        return self.groups

    def published(self) -> list[dict[str, Any]]:
        self.planned()
        rnd = self.conf.group_round(1)
        self.api.post(self.path(f"/rounds/{rnd['id']}/groups/publish"))
        return self.groups

    def running(self) -> None:
        self.planned()
        self.conf.start(self.conf.group_round(1))
        self.reporters = self.conf.appoint_reporters(self.groups)

    def with_points(self, per_table: int = 2) -> None:
        self.running()
        for g in self.groups:
            self.bullets[g["id"]] = [
                self.conf.post(self.reporters[g["id"]], g["id"], f"Bord {g['number']}, punkt {i + 1}")
                for i in range(per_table)
            ]

    def in_plenary(self) -> None:
        self.with_points()
        self.mark(self.groups[0], self.bullets[self.groups[0]["id"]][0]["uuid"])
        self.conf.start(self.conf.plenary_round(1))

    def table(self, i: int = 0) -> tuple[dict[str, Any], int]:
        g = self.groups[i]
        return g, self.reporters[g["id"]]

    def phone_socket(self, pid: int, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        client = socket_client(self.world.server.url, {"kind": "participant", "token": self.conf.tokens[pid]})
        try:
            ack = client.call(event, payload, timeout=10)
        finally:
            client.disconnect()
        assert ack["ok"], ack
        return ack  # type: ignore[no-any-return]

    def mark(self, group: dict[str, Any], bullet_uuid: str | None) -> None:
        pid = self.reporters[group["id"]]
        self.phone_socket(pid, "bullet.mark", {"group_id": group["id"], "uuid": bullet_uuid})


Scenario = Callable[[Setup], Callable[[], Any]]


def conference_title(s: Setup) -> Callable[[], Any]:
    s.people(2)
    return lambda: s.api.patch(s.path(), {"title": "Ny tittel på konferansen"})


def conference_minute_taker(s: Setup) -> Callable[[], Any]:
    pid = s.people(2)[1]
    return lambda: s.api.put(s.path("/minute-taker"), {"participant_id": pid})


def conference_round_question(s: Setup) -> Callable[[], Any]:
    s.running()
    rnd = s.conf.group_round(2)
    return lambda: s.api.patch(s.path(f"/rounds/{rnd['id']}"), {"question": "Et nytt spørsmål?"})


def conference_joins_closed(s: Setup) -> Callable[[], Any]:
    s.people(2)
    return lambda: s.api.patch(s.path(), {"joins_open": False, "purpose": "Nytt formål"})


def conference_agenda(s: Setup) -> Callable[[], Any]:
    s.people(2)
    agenda = [
        {"kind": "group", "title": "Eneste gruppearbeid", "question": "Hva nå?", "minutes": 30},
        {"kind": "plenary", "title": "Plenum", "minutes": 15},
    ]
    return lambda: s.api.patch(s.path(), {"agenda": agenda})


def joined_before_tables(s: Setup) -> Callable[[], Any]:
    s.people(2)
    return lambda: s.conf.join("Sein Ankomst", "Lærer")


def joined_late_to_running_round(s: Setup) -> Callable[[], Any]:
    s.running()
    return lambda: s.conf.join("Sein Ankomst", "Lærer")


def joined_by_import(s: Setup) -> Callable[[], Any]:
    s.people(2)
    csv = "navn,rolle\nIda Importert,Lærer\nJon Importert,Assistent\n".encode()
    return lambda: s.api.call(
        "POST", s.path("/participants/import"), expect=201, data=csv, headers={"Content-Type": "text/csv"}
    )


def joined_by_claiming_a_name(s: Setup) -> Callable[[], Any]:
    s.people(2)
    csv = "navn,rolle\nIda Importert,Lærer\n".encode()
    made = s.api.call(
        "POST", s.path("/participants/import"), expect=201, data=csv, headers={"Content-Type": "text/csv"}
    )
    payload = {"code": s.conf.code, "claim_id": made[0]["id"], "role": "Rektor"}
    return lambda: Api(s.world.server.url).post("/join", payload, expect=201)


def removed_before_tables(s: Setup) -> Callable[[], Any]:
    pid = s.people(3)[2]
    return lambda: s.api.delete(s.path(f"/participants/{pid}"))


def removed_from_a_table(s: Setup) -> Callable[[], Any]:
    s.running()
    g, reporter = s.table(1)
    other = next(m["id"] for m in g["members"] if m["id"] != reporter)
    return lambda: s.api.delete(s.path(f"/participants/{other}"))


def planned_propose(s: Setup) -> Callable[[], Any]:
    s.people(4)
    rnd = s.conf.group_round(1)
    return lambda: s.conf.propose(rnd, 2)


def planned_repropose_other_strategy(s: Setup) -> Callable[[], Any]:
    s.planned()
    rnd = s.conf.group_round(1)
    return lambda: s.api.post(
        s.path(f"/rounds/{rnd['id']}/groups/propose"), {"group_size": 2, "strategy": "random", "seed": 7}
    )


def planned_move(s: Setup) -> Callable[[], Any]:
    groups = s.planned()
    rnd = s.conf.group_round(1)
    mover = groups[0]["members"][-1]["id"]
    return lambda: s.api.post(s.path(f"/rounds/{rnd['id']}/groups/move"), {"participant_id": mover, "table": 2})


def planned_move_to_new_table(s: Setup) -> Callable[[], Any]:
    groups = s.planned()
    rnd = s.conf.group_round(1)
    mover = groups[0]["members"][0]["id"]
    table = len(groups) + 1
    return lambda: s.api.post(
        s.path(f"/rounds/{rnd['id']}/groups/move"), {"participant_id": mover, "table": table}
    )


def planned_leader(s: Setup) -> Callable[[], Any]:
    groups = s.planned()
    g = groups[0]
    other = next(m["id"] for m in g["members"] if m["id"] != g["leader_id"])
    return lambda: s.api.put(s.path(f"/groups/{g['id']}/leader"), {"participant_id": other})


def published_publish(s: Setup) -> Callable[[], Any]:
    s.planned()
    rnd = s.conf.group_round(1)
    return lambda: s.api.post(s.path(f"/rounds/{rnd['id']}/groups/publish"))


def published_start(s: Setup) -> Callable[[], Any]:
    s.planned()
    return lambda: s.conf.start(s.conf.group_round(1))


def published_move_after_publishing(s: Setup) -> Callable[[], Any]:
    groups = s.published()
    rnd = s.conf.group_round(1)
    mover = groups[0]["members"][-1]["id"]
    return lambda: s.api.post(s.path(f"/rounds/{rnd['id']}/groups/move"), {"participant_id": mover, "table": 2})


def roles_leader(s: Setup) -> Callable[[], Any]:
    groups = s.published()
    g = groups[0]
    other = next(m["id"] for m in g["members"] if m["id"] != g["leader_id"])
    return lambda: s.api.put(s.path(f"/groups/{g['id']}/leader"), {"participant_id": other})


def roles_reporter_by_leader(s: Setup) -> Callable[[], Any]:
    s.planned()
    s.conf.start(s.conf.group_round(1))
    g = s.groups[1]
    other = next(m["id"] for m in g["members"] if m["id"] != g["leader_id"])
    phone = s.conf.phones[g["leader_id"]]
    return lambda: phone.put(f"/me/groups/{g['id']}/reporter", {"participant_id": other})


def roles_reporter_by_socket(s: Setup) -> Callable[[], Any]:
    s.running()
    g = s.groups[0]
    leader = g["leader_id"]
    return lambda: s.phone_socket(leader, "group.set_reporter", {"group_id": g["id"], "participant_id": leader})


def roles_reporter_by_facilitator(s: Setup) -> Callable[[], Any]:
    s.running()
    g = s.groups[1]
    return lambda: s.api.put(s.path(f"/groups/{g['id']}/reporter"), {"participant_id": None})


def phase_start_published_round(s: Setup) -> Callable[[], Any]:
    s.published()
    return lambda: s.conf.start(s.conf.group_round(1))


def phase_start_plenary(s: Setup) -> Callable[[], Any]:
    s.with_points()
    return lambda: s.conf.start(s.conf.plenary_round(1))


def phase_extend(s: Setup) -> Callable[[], Any]:
    s.running()
    rnd = s.conf.group_round(1)
    return lambda: s.api.post(s.path(f"/rounds/{rnd['id']}/extend"), {"minutes": 5})


def phase_finish(s: Setup) -> Callable[[], Any]:
    s.in_plenary()
    return lambda: s.api.post(s.path("/finish"))


def posted_api(s: Setup) -> Callable[[], Any]:
    s.running()
    g, reporter = s.table(0)
    return lambda: s.conf.post(reporter, g["id"], "Faste møter med helsesykepleier")


def posted_socket(s: Setup) -> Callable[[], Any]:
    s.running()
    g, reporter = s.table(1)
    payload = {"group_id": g["id"], "uuid": str(uuid.uuid4()), "text": "Felles rutine for fravær"}
    return lambda: s.phone_socket(reporter, "bullet.post", payload)


def edited_api(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, reporter = s.table(0)
    b = s.bullets[g["id"]][1]
    return lambda: s.conf.phones[reporter].patch(f"/me/bullets/{b['uuid']}", {"text": "Rettet punkt"})


def edited_socket(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, reporter = s.table(1)
    b = s.bullets[g["id"]][0]
    return lambda: s.phone_socket(reporter, "bullet.edit", {"uuid": b["uuid"], "text": "Rettet via socket"})


def deleted_api(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, reporter = s.table(0)
    b = s.bullets[g["id"]][1]
    return lambda: s.conf.phones[reporter].delete(f"/me/bullets/{b['uuid']}")


def deleted_marked_point(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, reporter = s.table(1)
    b = s.bullets[g["id"]][0]
    s.mark(g, b["uuid"])
    return lambda: s.phone_socket(reporter, "bullet.delete", {"uuid": b["uuid"]})


def point_mark(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, _ = s.table(0)
    return lambda: s.mark(g, s.bullets[g["id"]][1]["uuid"])


def point_move_mark(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, _ = s.table(1)
    s.mark(g, s.bullets[g["id"]][0]["uuid"])
    return lambda: s.mark(g, s.bullets[g["id"]][1]["uuid"])


def point_clear(s: Setup) -> Callable[[], Any]:
    s.with_points()
    g, _ = s.table(0)
    s.mark(g, s.bullets[g["id"]][0]["uuid"])
    return lambda: s.mark(g, None)


def focus_table(s: Setup) -> Callable[[], Any]:
    s.in_plenary()
    return lambda: s.api.put(s.path("/focus"), {"group_number": 2})


def focus_none(s: Setup) -> Callable[[], Any]:
    s.in_plenary()
    return lambda: s.api.put(s.path("/focus"), {"group_number": None})


def note_new(s: Setup) -> Callable[[], Any]:
    s.in_plenary()
    return lambda: s.api.post(s.path("/notes"), {"uuid": str(uuid.uuid4()), "text": "Enighet om faste møter"})


def note_update(s: Setup) -> Callable[[], Any]:
    s.in_plenary()
    cid = str(uuid.uuid4())
    s.api.post(s.path("/notes"), {"uuid": cid, "text": "Første utkast"})
    return lambda: s.api.post(s.path("/notes"), {"uuid": cid, "text": "Rettet notat", "group_number": 1})


def note_by_minute_taker(s: Setup) -> Callable[[], Any]:
    s.in_plenary()
    taker = s.groups[1]["members"][0]["id"]
    s.api.put(s.path("/minute-taker"), {"participant_id": taker})
    payload = {"uuid": str(uuid.uuid4()), "text": "Notat fra referenten", "group_number": 2}
    return lambda: s.phone_socket(taker, "note.save", payload)


SCENARIOS: dict[str, dict[str, Scenario]] = {
    "conference.updated": {
        "title": conference_title,
        "minute-taker": conference_minute_taker,
        "round-question": conference_round_question,
        "joins-closed": conference_joins_closed,
        "agenda": conference_agenda,
    },
    "participant.joined": {
        "join": joined_before_tables,
        "late-arrival": joined_late_to_running_round,
        "import": joined_by_import,
        "claim": joined_by_claiming_a_name,
    },
    "participant.removed": {"before-tables": removed_before_tables, "at-a-table": removed_from_a_table},
    "groups.planned": {
        "propose": planned_propose,
        "re-propose": planned_repropose_other_strategy,
        "move": planned_move,
        "move-new-table": planned_move_to_new_table,
        "leader": planned_leader,
    },
    "groups.published": {
        "publish": published_publish,
        "start": published_start,
        "move": published_move_after_publishing,
    },
    "group.roles_set": {
        "leader": roles_leader,
        "reporter-by-leader": roles_reporter_by_leader,
        "reporter-by-socket": roles_reporter_by_socket,
        "reporter-by-facilitator": roles_reporter_by_facilitator,
    },
    "phase.changed": {
        "start-round": phase_start_published_round,
        "start-plenary": phase_start_plenary,
        "extend": phase_extend,
        "finish": phase_finish,
    },
    "bullet.posted": {"api": posted_api, "socket": posted_socket},
    "bullet.edited": {"api": edited_api, "socket": edited_socket},
    "bullet.deleted": {"api": deleted_api, "marked-point": deleted_marked_point},
    "bullet.plenary_point": {"mark": point_mark, "move-mark": point_move_mark, "clear": point_clear},
    "plenary.focus": {"table": focus_table, "none": focus_none},
    "note.saved": {"new": note_new, "update": note_update, "minute-taker": note_by_minute_taker},
}

# Known mismatches between the reducer and the snapshot: (type, scenario) -> reason. Strict: a fix
# makes the case pass, and then this entry must go.
KNOWN: dict[tuple[str, str], str] = {}

REPLAY_TYPES = list(SCENARIOS)
CASES = [
    pytest.param(
        t,
        name,
        id=f"{t}/{name}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN[(t, name)])] if (t, name) in KNOWN else [],
    )
    for t in REPLAY_TYPES
    for name in SCENARIOS[t]
]


def test_every_event_type_has_a_replay_case() -> None:
    assert REPLAY_TYPES == list(EVENT_TYPES), "add a replay scenario for each new event type"


def test_reducer_runs_under_the_pages_csp(world: World, page: Page) -> None:
    """The module is imported by the page itself, under the strict CSP the server sends."""
    csp = requests.get(world.server.url + "/login", timeout=10).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    blocked = page.evaluate(
        """() => new Promise((resolve) => {
            let violated = false;
            document.addEventListener("securitypolicyviolation", () => { violated = true; }, { once: true });
            const s = document.createElement("script");
            s.textContent = "window.inlineRan = true;";
            document.body.append(s);
            setTimeout(() => resolve({ violated, ran: window.inlineRan === true }), 50);
        })"""
    )
    assert blocked == {"violated": True, "ran": False}, "the page should enforce the CSP on inline scripts"
    exported = page.evaluate("async () => Object.keys(await import('/static/js/live.js')).sort()")
    assert "applyEvent" in exported and "startLive" in exported


def test_resync_types_match_live_js(world: World) -> None:
    source = requests.get(world.server.url + "/static/js/live.js", timeout=10).text
    found = re.search(r"const RESYNC_ON = new Set\(\[([^\]]*)\]\)", source)
    assert found, "RESYNC_ON not found in live.js"
    assert set(re.findall(r'"([^"]+)"', found.group(1))) == RESYNC_ON
    assert RESYNC_ON <= set(EVENT_TYPES)


@pytest.mark.parametrize(("event_type", "scenario"), CASES)
def test_replay_matches_snapshot(world: World, page: Page, event_type: str, scenario: str) -> None:
    setup = Setup(world)
    action = SCENARIOS[event_type][scenario](setup)
    verify(world, page, setup.conf, action, event_type)
