"""What is deleted is gone: from the database files, the event log, the projector and a fresh backup.

A conference with distinctive (made-up) names, an imported person with unit and grade team who never
comes, and a point that names a (made-up) pupil and is deleted. After each step (the deleted point,
anonymise, delete the conference) every place a copy could hide is searched as raw bytes:

- SQLite: the database file and its WAL; PostgreSQL: a `pg_dump` of the database;
- `GET /events?since=0` (what any client can be replayed);
- the projector's replay and snapshot over Socket.IO;
- a fresh `confapp backup` (PostgreSQL: its custom-format archive read back with `pg_restore -f -`).

Needs PostgreSQL (postgres@127.0.0.1:5432, trust) for the second run: skipped with the reason if absent.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import socketio
from support import Api, Conference, LiveServer, create_facilitator, socket_client

from confapp.services.names import skeleton

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"

# Made-up people: nothing here can match a real name by accident, so every hit is a leak.
PEOPLE = ["Zyxwvuta Qwertyson", "Plokmijn Uhbygvson", "Qazwsxed Crfvtgdottir", "Mnbvcxzl Poiuytsen"]
IMPORTED = "Ytrewqaz Lkjhgfdsen"  # imported with unit and grade team, never comes
KEYS = [skeleton(name) for name in [*PEOPLE, IMPORTED]]  # each name's look-alike key (lower case)
UNIT = "Sdfghjkl oppvekstsenter"
GRADE_TEAM = "Trinnteam Vbnmqwerty"
PUPIL = "Jkhgfdsa Wertzuiop"
DELETED = f"Eleven {PUPIL} i 5B trenger tett oppfølging"
EDITED = f"Eleven {PUPIL} i 5B trenger tett oppfølging hjemme"
KEPT = "Faste samarbeidsmøter med helsesykepleier"
# A point sent from the preparation page before the start (anonymous, but its text may name someone).
BEFORE = "Xcvbnmas-lesevenner"
BEFORE_POINT = f"Før konferansen: {PEOPLE[3]} foreslår {BEFORE}"


@dataclass
class Backend:
    name: str
    server: LiveServer
    tmp: Path
    pg_db: str | None = None

    def files(self) -> dict[str, bytes]:
        """The database as stored: SQLite's file and WAL, or PostgreSQL's logical dump."""
        if self.pg_db is None:
            path = Path(self.server.db_url.removeprefix("sqlite:///"))
            wal = path.with_name(path.name + "-wal")
            return {"sqlite file": path.read_bytes(), "sqlite wal": wal.read_bytes() if wal.exists() else b""}
        dump = subprocess.run(
            ["pg_dump", "--format=plain", f"postgresql://postgres@127.0.0.1:5432/{self.pg_db}"],
            capture_output=True,
            check=True,
            timeout=120,
        )
        return {"pg_dump": dump.stdout}

    def backup(self, step: str) -> bytes:
        out = self.tmp / f"backup-{step}.bin"
        self.server.cli("backup", str(out))
        if self.pg_db is None:
            return out.read_bytes()
        plain = subprocess.run(["pg_restore", "-f", "-", str(out)], capture_output=True, check=True)
        return plain.stdout


def _postgres_or_skip() -> Any:
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[test]'): the PostgreSQL run needs it")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({exc})")
    return psycopg


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        srv = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'confapp.sqlite'}").start()
        try:
            yield Backend("sqlite", srv, tmp_path)
        finally:
            srv.stop()
        return
    psycopg = _postgres_or_skip()
    name = f"confapp_privacy_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    srv = None
    try:
        srv = LiveServer(tmp_path, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}").start()
        yield Backend("postgresql", srv, tmp_path, name)
    finally:
        if srv is not None:
            srv.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _projector(server: LiveServer, key: str) -> bytes:
    """What a projector with this key is replayed from seq 0, and its snapshot (b"" if refused)."""
    try:
        client = socket_client(server.url, {"kind": "projector", "key": key})
    except socketio.exceptions.ConnectionError:
        return b""
    try:
        replay = client.call("sync", {"since": 0}, timeout=10)
        snap = client.call("sync", {"since": None}, timeout=10)
    finally:
        client.disconnect()
    return json.dumps([replay, snap], ensure_ascii=False).encode()


def _search(places: dict[str, bytes], needles: list[str]) -> dict[str, list[str]]:
    """needle -> the places whose raw bytes contain it (as UTF-8, and as JSON's ASCII escape)."""
    hits: dict[str, list[str]] = {}
    for needle in needles:
        forms = {needle.encode(), json.dumps(needle).strip('"').encode()}
        where = [place for place, data in places.items() if any(f in data for f in forms)]
        if where:
            hits[needle] = where
    return hits


def _key(api: Api, conf: Conference) -> str:
    return str(api.get(conf.path())["projector_url"].rstrip("/").rsplit("/", 1)[1])


def test_deleted_point_then_anonymise_then_delete_leave_no_copy(backend: Backend) -> None:
    server = backend.server
    api = Api(server.url, create_facilitator(server))
    conf = Conference(server, api, title="Personvernkonferanse")
    ids = {name: conf.join(name, "Lærer") for name in PEOPLE}
    api.put(conf.path("/preparation"), {"text": "Les spørsmålene før vi møtes."})
    code = api.get(conf.path())["conference"]["join_code"]
    Api(server.url).post(
        f"/prep/{code}/points", {"uuid": str(uuid.uuid4()), "text": BEFORE_POINT}, expect=201
    )
    csv = f"navn,rolle,enhet,trinnteam\n{IMPORTED},Assistent,{UNIT},{GRADE_TEAM}\n"
    api.call("POST", conf.path("/participants/import"), expect=201, data=csv.encode(),
             headers={"Content-Type": "text/csv"})  # fmt: skip
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, 2)
    conf.start(rnd)
    reporters = conf.appoint_reporters(groups)
    table = groups[0]["id"]
    reporter = conf.phones[reporters[table]]
    conf.post(reporters[table], table, KEPT)
    doomed = conf.post(reporters[table], table, DELETED)
    reporter.patch(f"/me/bullets/{doomed['uuid']}", {"text": EDITED})
    reporter.delete(f"/me/bullets/{doomed['uuid']}")
    # Plenary: a minute-taker's note (its author is a participant) that spells a participant's name.
    conf.start(conf.plenary_round(1))
    taker = ids[PEOPLE[1]]
    api.put(conf.path("/minute-taker"), {"participant_id": taker})
    note = {"uuid": str(uuid.uuid4()), "text": f"{PEOPLE[2]} la fram forslaget", "group_number": 1}
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[taker]})
    try:
        assert phone.call("note.save", note, timeout=10)["ok"]
    finally:
        phone.disconnect()

    def places(step: str, key: str) -> dict[str, bytes]:
        found = backend.files()
        events = api.call("GET", conf.path("/events?since=0"))
        found["GET /events?since=0"] = json.dumps(events, ensure_ascii=False).encode()
        found["projector replay"] = _projector(server, key)
        found["fresh backup"] = backend.backup(step)
        return found

    # 1. The deleted point is gone everywhere; the screen never had the imported person or any unit.
    key = _key(api, conf)
    now = places("deleted-point", key)
    assert _search(now, [DELETED, EDITED, PUPIL]) == {}

    # The controls: the search finds what is kept. In SQLite a row's bytes may sit in the main file or only
    # in the WAL (an automatic checkpoint moves them, later frames overwrite the WAL): the two count as one.
    def kept_in(found: dict[str, bytes], text: str) -> set[str]:
        hits = set(_search(found, [text]).get(text, []))
        if hits & {"sqlite file", "sqlite wal"}:
            hits |= {"sqlite file", "sqlite wal"} & set(found)
        return hits

    assert kept_in(now, KEPT) == set(now), "the search must find what is kept"
    assert kept_in(now, PEOPLE[0]) == set(now), "names are kept until anonymised"
    assert "fresh backup" in _search(now, KEYS[:1]).get(KEYS[0], []), "the search must find a stored key"
    screen = {"projector replay": now["projector replay"]}
    assert _search(screen, [IMPORTED, UNIT, GRADE_TEAM]) == {}, "the screen shows no such thing"
    # A point sent before the conference is staff-only: stored and replayed to facilitators, never on screen.
    assert kept_in(now, BEFORE) == set(now) - {"projector replay"}

    # 2. Anonymise: every name, unit and grade team gone; the old projector link no longer works.
    api.post(conf.path("/finish"))
    assert api.post(conf.path("/anonymise")) == {"anonymised": len(PEOPLE) + 1}
    assert _projector(server, key) == b"", "the old projector key must be revoked"
    new_key = _key(api, conf)
    assert new_key != key
    now = places("anonymised", new_key)
    assert _search(now, [*PEOPLE, *KEYS, IMPORTED, UNIT, GRADE_TEAM, DELETED, EDITED, PUPIL]) == {}
    assert set(_search(now, ["Deltaker 3 la fram forslaget"])) == {"Deltaker 3 la fram forslaget"}
    checkpointed = {"sqlite wal"}  # truncated to 0 bytes by the checkpoint: nothing to find there
    assert set(_search(now, [KEPT])[KEPT]) == set(now) - checkpointed

    # 3. Delete the conference: nothing of it is left, its events included.
    api.call("DELETE", conf.path())
    api.call("GET", conf.path("/events?since=0"), expect=404)
    gone = backend.files()
    gone["projector replay"] = _projector(server, new_key)
    gone["fresh backup"] = backend.backup("deleted")
    everything = [*PEOPLE, IMPORTED, UNIT, GRADE_TEAM, DELETED, EDITED, PUPIL, KEPT, BEFORE, "Deltaker 3"]
    assert _search(gone, [*everything, "Personvernkonferanse"]) == {}
