"""Scale-out: real server processes on one PostgreSQL database, sharing a Redis message queue.

Two processes: a reporter is connected to server A, the projector and a table member to server B.
Every bullet must arrive exactly once on B, also across a restart of A in the middle of the round (the
reporter's phone keeps unacknowledged posts in its outbox and resends them with the same UUID after
reconnecting). Deleting a conference on one process reaches its screens and the facilitators' lists on the
other (the deletion is announced, never stored, so no relay can read it from the table). Three processes
behind HAProxy, configured as docs/deploy.md says: phones spread over all three by the proxy, the
projector on the third, and every point arrives once and in order.
Needs PostgreSQL (postgres@127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379); skipped with the
reason when either is not reachable.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from support import (
    ROOT,
    Api,
    Conference,
    LiveServer,
    add_co_facilitator,
    create_facilitator,
    free_port,
    socket_client,
    web_login,
)

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _postgres_or_skip() -> Any:
    try:
        import psycopg
    except ImportError:
        pytest.skip(
            "psycopg is not installed (pip install -e '.[test]'): the scale-out test needs PostgreSQL"
        )
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({exc})")
    return psycopg


def _redis_db_or_skip() -> int:
    try:
        import redis
    except ImportError:
        pytest.skip("redis is not installed (pip install -e '.[test]'): the scale-out test needs Redis")
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=3)
    try:
        client.ping()
        databases = int(client.config_get("databases").get("databases", 16))
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} ({exc})")
    finally:
        client.close()
    return 1 + secrets.randbelow(max(1, databases - 1))


def _processes(tmp_path: Path, count: int) -> Iterator[dict[str, Any]]:
    """A fresh PostgreSQL database and a Redis queue; `count` `confapp serve` processes on them (a, b, c)."""
    psycopg = _postgres_or_skip()
    redis_db = _redis_db_or_skip()
    name = f"confapp_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        "CONFAPP_MESSAGE_QUEUE": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
        # Redis pub/sub ignores the database number: a channel of its own keeps parallel runs apart.
        "CONFAPP_MESSAGE_QUEUE_CHANNEL": f"confapp-test-{secrets.token_hex(4)}",
    }
    db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    servers: list[LiveServer] = []
    world: dict[str, Any] = {"db": name, "env": env, "db_url": db_url, "tmp": tmp_path, "servers": servers}
    try:
        # One after the other: the first start migrates the fresh database.
        for letter in "abc"[:count]:
            home = tmp_path / letter
            home.mkdir()
            world[letter] = LiveServer(home, db_url, env=env).start()
            servers.append(world[letter])
        yield world
    finally:
        for srv in servers:
            srv.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scaleout(tmp_path: Path) -> Iterator[dict[str, Any]]:
    yield from _processes(tmp_path, 2)


@pytest.fixture
def scaleout3(tmp_path: Path) -> Iterator[dict[str, Any]]:
    yield from _processes(tmp_path, 3)


def _posted(client: Any, uuids: set[str]) -> list[str]:
    """The UUIDs of our bullets this client received live, in arrival order (repeats kept)."""
    return [
        e["data"]["bullet"]["uuid"]
        for e in list(client.received)
        if e.get("type") == "bullet.posted" and e["data"]["bullet"]["uuid"] in uuids
    ]


def _wait_for(clients: list[Any], uuids: set[str], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(uuids <= set(_posted(c, uuids)) for c in clients):
            return
        time.sleep(0.05)


def _post(reporter: Any, group_id: int, client_uuid: str, text: str) -> dict[str, Any]:
    ack = reporter.call("bullet.post", {"group_id": group_id, "uuid": client_uuid, "text": text}, timeout=10)
    assert ack["ok"], ack
    return ack["bullet"]  # type: ignore[no-any-return]


def requests_events(server: LiveServer, api: Api, conf: Conference) -> list[dict[str, Any]]:
    return api.get(conf.path("/events?since=0"))["events"]  # type: ignore[no-any-return]


def test_two_processes_deliver_every_bullet_once_across_a_restart(scaleout: dict[str, Any]) -> None:
    a: LiveServer = scaleout["a"]
    b: LiveServer = scaleout["b"]
    api_b = Api(b.url, create_facilitator(a))
    conf = Conference(b, api_b)
    people = [conf.join(f"Deltaker {i}", ["Lærer", "Assistent", "Rektor"][i % 3]) for i in range(6)]
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, 3)
    conf.start(rnd)
    reporters = conf.appoint_reporters(groups)
    group = groups[0]
    reporter_id = reporters[group["id"]]
    member_id = next(m["id"] for m in group["members"] if m["id"] != reporter_id)
    assert len(people) == 6
    key = api_b.get(conf.path())["projector_url"].rsplit("/", 1)[1]

    projector = socket_client(b.url, {"kind": "projector", "key": key})
    member = socket_client(b.url, {"kind": "participant", "token": conf.tokens[member_id]})
    reporter = socket_client(a.url, {"kind": "participant", "token": conf.tokens[reporter_id]})
    for client in (projector, member, reporter):
        assert client.call("sync", {"since": None}, timeout=10)["ok"]

    sent: list[str] = []
    seen_ids: dict[str, int] = {}

    def post(n: int, client_uuid: str | None = None) -> None:
        u = client_uuid or str(uuid.uuid4())
        bullet = _post(reporter, group["id"], u, f"Punkt {n} fra bordet")
        assert seen_ids.setdefault(u, bullet["id"]) == bullet["id"], "a retry made a second bullet"
        if u not in sent:
            sent.append(u)

    # Before the restart: ten points, one of them sent twice (a phone that missed the ack).
    for n in range(10):
        post(n)
    post(9, sent[-1])
    _wait_for([projector, member], set(sent))
    assert _posted(projector, set(sent)) == sent, "server B relays A's bullets once each, in order"

    # The phone posts once more, the ack is lost with the connection: it stays in the outbox.
    in_flight = str(uuid.uuid4())
    post(10, in_flight)
    outbox = [in_flight] + [str(uuid.uuid4()) for _ in range(3)]  # three more written while A is away
    a.stop()
    deadline = time.monotonic() + 10
    while reporter.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not reporter.connected, "the reporter's connection ends with server A"
    reporter.disconnect()
    assert projector.connected and member.connected, "clients of server B are untouched"

    a.start()
    reporter = socket_client(a.url, {"kind": "participant", "token": conf.tokens[reporter_id]})
    assert reporter.call("sync", {"since": None}, timeout=10)["ok"]
    for n, u in enumerate(outbox, start=10):  # the outbox is flushed in order, with the same UUIDs
        post(n, u)
    for n in range(14, 24):
        post(n)
    _wait_for([projector, member], set(sent))
    # A barrier instead of a pause: one more point from the same phone through the same process. Once it
    # has arrived, a late duplicate of an earlier one would have arrived before it.
    barrier = str(uuid.uuid4())
    _post(reporter, group["id"], barrier, "Siste punkt, etter alle de andre")
    _wait_for([projector, member], {barrier})
    assert _posted(projector, {barrier}) == _posted(member, {barrier}) == [barrier]

    everything = set(sent)
    assert len(sent) == 24
    for who, client in (("projector", projector), ("member", member)):
        got = _posted(client, everything)
        missing = [u for u in sent if u not in got]
        assert not missing, f"{who} on B missed {len(missing)} bullets"
        assert len(got) == len(set(got)), f"{who} on B got duplicates: {len(got) - len(set(got))}"
        assert got == sent, f"{who} on B got the bullets out of order"
        # Only our bullets: Redis pub/sub is shared by everyone on this Redis server (see docs/deploy.md).
        seqs = [
            e["seq"]
            for e in client.received
            if e.get("type") == "bullet.posted" and e["data"]["bullet"]["uuid"] in everything
        ]
        assert seqs == sorted(set(seqs)), f"{who}: seq strictly increasing"

    # The log read back from PostgreSQL equals what was sent live (seq and payload, in one statement).
    replayed = member.call("sync", {"since": 0}, timeout=10)
    assert replayed["ok"] and "events" in replayed, replayed
    live_posts = {
        e["seq"]: {k: v for k, v in e.items() if k != "prev"}  # `prev` is live only (docs/protocol.md)
        for e in member.received
        if e.get("type") == "bullet.posted"
    }
    stored_posts = {e["seq"]: e for e in replayed["events"] if e["type"] == "bullet.posted"}
    assert live_posts and all(stored_posts[seq] == ev for seq, ev in live_posts.items())
    all_seqs = [e["seq"] for e in requests_events(b, api_b, conf)]
    assert all_seqs == list(range(1, len(all_seqs) + 1)), "the log has no gaps"

    # The database agrees: one bullet per UUID, whichever process is asked.
    snap = projector.call("sync", {"since": None}, timeout=10)["snapshot"]
    stored = [bl["uuid"] for bl in snap["bullets"] if bl["uuid"] in everything]
    assert sorted(stored) == sorted(sent)

    # A third process on the same database but another channel (it hears no wake-ups) still relays the
    # points from the event table: the database is the truth, the queue only makes it quicker.
    other_env = {**scaleout["env"], "CONFAPP_MESSAGE_QUEUE_CHANNEL": f"confapp-other-{secrets.token_hex(4)}"}
    (scaleout["tmp"] / "c").mkdir()
    c = LiveServer(scaleout["tmp"] / "c", scaleout["db_url"], env=other_env).start()
    scaleout["servers"].append(c)
    elsewhere = socket_client(c.url, {"kind": "projector", "key": key})
    assert elsewhere.call("sync", {"since": None}, timeout=10)["ok"]
    last = str(uuid.uuid4())
    post(24, last)
    _wait_for([projector, elsewhere], {last})
    assert _posted(projector, {last}) == [last]
    assert _posted(elsewhere, {last}) == [last]
    for client in (projector, member, reporter, elsewhere):
        client.disconnect()


def test_a_deletion_on_one_process_reaches_screens_and_lists_on_the_other(scaleout: dict[str, Any]) -> None:
    a: LiveServer = scaleout["a"]
    b: LiveServer = scaleout["b"]
    api_a = Api(a.url, create_facilitator(a))
    conf = Conference(a, api_a)
    pid = conf.join("Kari", "Lærer")
    token = api_a.session.headers["Authorization"].split(" ", 1)[1]
    key = api_a.get(conf.path())["projector_url"].rsplit("/", 1)[1]
    console_auth = {"kind": "facilitator", "token": token, "conference_id": conf.id}
    screens = {
        "console on B": socket_client(b.url, console_auth),
        "phone on B": socket_client(b.url, {"kind": "participant", "token": conf.tokens[pid]}),
        "projector on B": socket_client(b.url, {"kind": "projector", "key": key}),
        "projector on A": socket_client(a.url, {"kind": "projector", "key": key}),
    }
    home = socket_client(b.url, {"kind": "facilitator", "token": token})
    notices: list[dict[str, Any]] = []
    home.on("home", notices.append)
    try:
        for client in screens.values():
            assert client.call("sync", {"since": None}, timeout=10)["ok"]
        api_a.post(conf.path("/finish"))
        last = api_a.get(conf.path("/events?since=0"))["seq"]
        api_a.delete(conf.path())
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not (
            notices and all(_of_type(c, "conference.deleted") for c in screens.values())
        ):
            time.sleep(0.05)
        for who, client in screens.items():
            assert _of_type(client, "conference.deleted") == [
                {"conference_id": conf.id, "seq": last + 1, "type": "conference.deleted",
                 "data": {"conference_id": conf.id}}
            ], who  # fmt: skip
        assert notices == [{"type": "conference.list_changed",
                            "data": {"conference_id": conf.id, "change": "deleted"}}]  # fmt: skip
    finally:
        for client in [*screens.values(), home]:
            client.disconnect()


def _of_type(client: Any, kind: str) -> list[dict[str, Any]]:
    return [e for e in list(client.received) if e.get("type") == kind]


def _haproxy_config(front: int, servers: list[LiveServer]) -> str:
    """The configuration docs/deploy.md gives, with only the ports changed."""
    doc = (ROOT / "docs" / "deploy.md").read_text()
    found = re.search(r"```haproxy\n(.*?)```", doc, re.S)
    assert found, "docs/deploy.md has no ```haproxy block"
    cfg = found.group(1).replace("127.0.0.1:8080", f"127.0.0.1:{front}")
    for n, srv in enumerate(servers, start=1):
        assert f"127.0.0.1:{5000 + n}" in cfg, f"docs/deploy.md's proxy has no node{n}"
        cfg = cfg.replace(f"127.0.0.1:{5000 + n}", f"127.0.0.1:{srv.port}")
    return cfg


def test_a_removed_co_facilitator_is_cut_off_on_every_process(scaleout: dict[str, Any]) -> None:
    """The colleague's console is on server B, the owner's on A and B; the owner removes the colleague
    through server A. B's relay reads `access.ended` from the database and closes the colleague's
    connection there; a later event reaches the owner on both servers and not the colleague."""
    a: LiveServer = scaleout["a"]
    b: LiveServer = scaleout["b"]
    owner_token = create_facilitator(a, "ordstyrer@example.no", "hemmelig-passord")
    api_a = Api(a.url, owner_token)
    conf = Conference(a, api_a)
    colleague_id, colleague_token = add_co_facilitator(b, conf.id, "kollega@example.no", "Kari Kollega")
    auth = {"kind": "facilitator", "conference_id": conf.id}
    owner_a = socket_client(a.url, {**auth, "token": owner_token})
    owner_b = socket_client(b.url, {**auth, "token": owner_token})
    colleague = socket_client(b.url, {**auth, "token": colleague_token})
    clients = [owner_a, owner_b, colleague]
    try:
        for client in clients:
            assert client.call("sync", {"since": None}, timeout=10)["ok"]
        conf.barrier(*clients)
        web, csrf = web_login(a.url, "ordstyrer@example.no", "hemmelig-passord")
        removed = web.post(
            f"{a.url}/c/{conf.id}/co-facilitators/{colleague_id}/remove", data={"csrf_token": csrf}
        )
        assert removed.status_code == 200
        deadline = time.monotonic() + 15
        while colleague.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not colleague.connected, "server B closed the removed colleague's connection"
        (notice,) = [e for e in colleague.received if e["type"] == "access.ended"]
        assert notice["data"] == {"facilitator_id": colleague_id}
        conf.barrier(owner_a, owner_b)  # sent through A; B relays it to the owner, not to the colleague
        assert owner_a.connected and owner_b.connected
        assert [e for e in colleague.received if e["seq"] > notice["seq"]] == []
    finally:
        for client in clients:
            client.disconnect()


def test_three_processes_behind_the_documented_haproxy_deliver_every_point_once_in_order(
    scaleout3: dict[str, Any], tmp_path: Path
) -> None:
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if haproxy is None:
        pytest.skip(
            "haproxy is not installed (apt-get install haproxy): docs/deploy.md's proxy config is untested"
        )
    a: LiveServer = scaleout3["a"]
    front = free_port()
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(_haproxy_config(front, scaleout3["servers"]))
    check = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
    log = (tmp_path / "haproxy.log").open("wb")
    proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT)
    proxy = f"http://127.0.0.1:{front}"
    clients: list[socketio.Client] = []
    try:
        # New browsers are spread over the three processes, and each keeps its process by cookie.
        sessions: dict[str, requests.Session] = {}
        deadline = time.monotonic() + 30
        while len(sessions) < 3 and time.monotonic() < deadline:
            s = requests.Session()
            try:
                r = s.get(proxy + "/login", timeout=5)
            except requests.RequestException:
                time.sleep(0.2)
                continue
            node = s.cookies.get("confapp_node")
            if r.status_code == 200 and node and node not in sessions:
                sessions[node] = s
            else:
                s.close()
        assert set(sessions) == {"node1", "node2", "node3"}, f"the proxy skipped a process: {set(sessions)}"

        api = Api(proxy, create_facilitator(a))
        conf = Conference(a, api)
        for i in range(6):  # phones join through the proxy too
            joined = Api(proxy).post(
                "/join",
                {"uuid": str(uuid.uuid4()), "code": conf.code, "name": f"Deltaker {i}", "role": "Lærer"},
            )
            pid = joined["participant"]["id"]
            conf.tokens[pid] = joined["token"]
            conf.phones[pid] = Api(proxy, joined["token"])
        rnd = conf.group_round(1)
        groups = conf.propose(rnd, 2)
        conf.start(rnd)
        reporters = conf.appoint_reporters(groups)
        key = api.get(conf.path())["projector_url"].rsplit("/", 1)[1]

        def polling_client(node: str, auth: dict[str, Any]) -> socketio.Client:
            # Long-polling only: every request of the session must reach the same process.
            client = socketio.Client(reconnection=False, http_session=sessions[node])
            client.received = []  # type: ignore[attr-defined]
            client.on("event", lambda ev: client.received.append(ev))  # type: ignore[attr-defined]
            client.connect(proxy, auth=auth, transports=["polling"], wait_timeout=10)
            clients.append(client)
            assert client.call("sync", {"since": None}, timeout=10)["ok"]
            return client

        # Two tables' reporters on two processes, the projector on the third.
        first, second = groups[0], groups[1]
        on_1 = polling_client("node1", {"kind": "participant", "token": conf.tokens[reporters[first["id"]]]})
        on_2 = polling_client("node2", {"kind": "participant", "token": conf.tokens[reporters[second["id"]]]})
        projector = polling_client("node3", {"kind": "projector", "key": key})
        sent: dict[str, list[str]] = {"1": [], "2": []}
        for n in range(15):
            for where, reporter, group in (("1", on_1, first), ("2", on_2, second)):
                u = str(uuid.uuid4())
                sent[where].append(u)
                _post(reporter, group["id"], u, f"Punkt {n} fra prosess {where}")
                if n % 5 == 0:
                    _post(reporter, group["id"], u, f"Punkt {n} fra prosess {where}")  # a resend: same point
        everything = set(sent["1"]) | set(sent["2"])
        _wait_for([projector], everything, timeout=30)
        barriers = []  # one more from each phone: a late duplicate would come before it
        for reporter, group in ((on_1, first), (on_2, second)):
            barriers.append(str(uuid.uuid4()))
            _post(reporter, group["id"], barriers[-1], "Siste punkt")
        _wait_for([projector], set(barriers), timeout=30)
        arrived = _posted(projector, everything)
        assert sorted(arrived) == sorted(everything), "each point exactly once at the projector"
        for where in ("1", "2"):
            mine = set(sent[where])
            assert [u for u in arrived if u in mine] == sent[where], "each phone's points in order"
        seqs = [e["seq"] for e in projector.received if e.get("type") == "bullet.posted"]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "the projector saw the log in seq order"
        assert sessions["node1"].cookies.get("confapp_node") == "node1", "the reporter stayed on its process"
    finally:
        for client in clients:
            client.disconnect()
        proc.terminate()
        proc.wait(10)
        log.close()
