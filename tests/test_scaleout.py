"""Scale-out: two real server processes on one PostgreSQL database, sharing a Redis message queue.

A reporter is connected to server A, the projector and a table member to server B. Every bullet must
arrive exactly once on B, also across a restart of A in the middle of the round (the reporter's phone
keeps unacknowledged posts in its outbox and resends them with the same UUID after reconnecting).
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
    create_facilitator,
    free_port,
    socket_client,
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


@pytest.fixture
def scaleout(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A fresh PostgreSQL database and a Redis queue; two `confapp serve` processes on them."""
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
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    servers: list[LiveServer] = []
    try:
        # One after the other: the first start migrates the fresh database.
        a = LiveServer(a_dir, db_url, env=env).start()
        servers.append(a)
        b = LiveServer(b_dir, db_url, env=env).start()
        servers.append(b)
        yield {"a": a, "b": b, "db": name, "env": env, "db_url": db_url, "tmp": tmp_path, "servers": servers}
    finally:
        for srv in servers:
            srv.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def _haproxy_config(front: int, a: LiveServer, b: LiveServer) -> str:
    """The configuration docs/deploy.md gives, with only the ports changed."""
    doc = (ROOT / "docs" / "deploy.md").read_text()
    found = re.search(r"```haproxy\n(.*?)```", doc, re.S)
    assert found, "docs/deploy.md has no ```haproxy block"
    return (
        found.group(1)
        .replace("127.0.0.1:8080", f"127.0.0.1:{front}")
        .replace("127.0.0.1:5001", f"127.0.0.1:{a.port}")
        .replace("127.0.0.1:5002", f"127.0.0.1:{b.port}")
    )


def test_the_documented_haproxy_config_pins_each_browser_to_one_process(
    scaleout: dict[str, Any], tmp_path: Path
) -> None:
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.skip(
            "haproxy is not installed (apt-get install haproxy): docs/deploy.md's proxy config is untested"
        )
    a: LiveServer = scaleout["a"]
    b: LiveServer = scaleout["b"]
    front = free_port()
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(_haproxy_config(front, a, b))
    check = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
    log = (tmp_path / "haproxy.log").open("wb")
    proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT)
    proxy = f"http://127.0.0.1:{front}"
    clients: list[socketio.Client] = []
    try:
        # New browsers are spread over both processes, and each keeps its process by cookie.
        sessions: dict[str, requests.Session] = {}
        deadline = time.monotonic() + 20
        while len(sessions) < 2 and time.monotonic() < deadline:
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
        assert set(sessions) == {"node1", "node2"}, f"the proxy did not use both processes: {set(sessions)}"

        api = Api(proxy, create_facilitator(a))
        conf = Conference(a, api)
        for i in range(4):  # phones join through the proxy too
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
        group = groups[0]
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

        reporter = polling_client(
            "node1", {"kind": "participant", "token": conf.tokens[reporters[group["id"]]]}
        )
        projector = polling_client("node2", {"kind": "projector", "key": key})
        sent = [str(uuid.uuid4()) for _ in range(20)]
        for n, u in enumerate(sent):
            _post(reporter, group["id"], u, f"Punkt {n} gjennom proxyen")
            if n % 5 == 0:
                _post(reporter, group["id"], u, f"Punkt {n} gjennom proxyen")  # a resend: same bullet
        _wait_for([projector], set(sent))
        barrier = str(uuid.uuid4())  # one more from the same phone: a late duplicate would come before it
        _post(reporter, group["id"], barrier, "Siste punkt gjennom proxyen")
        _wait_for([projector], {barrier})
        assert _posted(projector, {barrier}) == [barrier]
        assert _posted(projector, set(sent)) == sent, "each bullet once, in order, across the two processes"
        assert sessions["node1"].cookies.get("confapp_node") == "node1", "the reporter stayed on its process"
    finally:
        for client in clients:
            client.disconnect()
        proc.terminate()
        proc.wait(10)
        log.close()
