"""Test support: real server processes, a JSON API client, and a conference driver."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask
import pytest
import requests
import socketio
from flask.testing import FlaskClient
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database of its own (dropped afterwards); skips, saying why, without the service."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed: no PostgreSQL case")
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({exc})")
    name = f"confapp_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_MIGRATED: Path | None = None


def migrated_sqlite(target: Path) -> Path:
    """A fresh SQLite file at `target`, copied from one migrated once per test process.

    Running every Alembic step on a new file costs about a second of fsyncs per test; the copy is the same
    schema. Tests of migrating itself (test_migration_*, test_cli) build theirs from nothing."""
    global _MIGRATED
    if _MIGRATED is None:
        from sqlalchemy import create_engine

        from confapp.ops import migrate

        template = Path(tempfile.mkdtemp(prefix="confapp-migrated-")) / "migrated.sqlite"
        engine = create_engine(f"sqlite:///{template}")
        migrate.upgrade(engine)
        engine.dispose()
        _MIGRATED = template
    shutil.copyfile(_MIGRATED, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`confapp serve` in its own process, as a user starts it."""

    def __init__(
        self,
        workdir: Path,
        db_url: str,
        port: int | None = None,
        env: dict[str, str] | None = None,
        host: str | None = "127.0.0.1",  # None: serve's default (every interface)
    ):
        self.workdir = workdir
        self.host = host
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"server-{self.port}.log"

    def env(self) -> dict[str, str]:
        env = os.environ.copy()
        env.update(
            {
                "CONFAPP_INSTANCE_PATH": str(self.workdir),
                "CONFAPP_DATABASE_URL": self.db_url,
                "CONFAPP_SECRET_KEY": "test-secret-key-not-for-production",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def cli_result(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "confapp", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    def cli(self, *args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "confapp", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            input=input,
            timeout=120,
        )
        if result.returncode != 0:
            raise AssertionError(f"confapp {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> LiveServer:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "confapp", "serve", "--port", str(self.port)]
                + (["--host", self.host] if self.host else []),
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
            )
        # Generous: on a loaded shared machine an import can take half a minute. A server that did not
        # come up is killed, so it does not go on loading the machine after its test failed.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited:\n{self.log.read_text()}")
            try:
                requests.get(self.url + "/login", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise AssertionError(f"server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill(self) -> None:
        """SIGKILL: what a crash or a pulled plug looks like."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


class Api:
    """A tiny JSON client for /api/v1 with a Bearer token."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base.rstrip("/") + "/api/v1"
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, expect: int | None = None, **kwargs: Any) -> Any:
        r = self.session.request(method, self.base + path, timeout=30, **kwargs)
        if expect is not None:
            assert r.status_code == expect, f"{method} {path}: {r.status_code} {r.text}"
        elif r.status_code >= 400:
            raise AssertionError(f"{method} {path}: {r.status_code} {r.text}")
        ctype = r.headers.get("Content-Type", "")
        return r.json() if ctype.startswith("application/json") else r.content

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, json=json if json is not None else {}, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.call("PUT", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.call("PATCH", path, json=json, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.call("DELETE", path, **kw)


def create_facilitator(
    server: LiveServer, email: str = "ordstyrer@example.no", password: str = "hemmelig-passord"
) -> str:
    """What `confapp create-facilitator` makes (an account and its API token), by the same calls, in-process.

    A CLI process costs two to three seconds of CPU, in almost every live test; the command itself runs in
    tests/test_browser_board.py and tests/test_invitations.py (success) and tests/test_cli.py (bad input)."""
    from confapp import create_app
    from confapp.services import facilitators

    saved = os.environ.get("CONFAPP_INSTANCE_PATH")
    os.environ["CONFAPP_INSTANCE_PATH"] = str(server.workdir)
    try:
        app = create_app(
            {
                "DATABASE_URL": server.db_url,
                "SECRET_KEY": "test-secret-key-not-for-production",
                "SOCKETIO_ASYNC_MODE": "threading",
                "AUTO_MIGRATE": True,  # a no-op where the server ran; a server never started has no tables
            }
        )
    finally:
        if saved is None:
            os.environ.pop("CONFAPP_INSTANCE_PATH", None)
        else:
            os.environ["CONFAPP_INSTANCE_PATH"] = saved
    try:
        with app.app_context():
            account = facilitators.create(email=email, name="Test Ordstyrer", password=password)
            return facilitators.issue_api_token(account)
    finally:
        app.extensions["confapp_engine"].dispose()  # no connection of the test's left on the server's file


def socket_client(server_url: str, auth: dict[str, Any]) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.received = []  # type: ignore[attr-defined]
    client.on("event", lambda ev: client.received.append(ev))  # type: ignore[attr-defined]
    client.connect(server_url, auth=auth, transports=["websocket"], wait_timeout=10)
    return client


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def web_login(server_url: str, email: str, password: str) -> tuple[requests.Session, str]:
    """A browser's session logged in through the login form, and its CSRF token for the pages' forms."""
    web = requests.Session()
    csrf = csrf_of(web.get(server_url + "/login", timeout=30).text)
    r = web.post(
        server_url + "/login",
        data={"email": email, "password": password, "csrf_token": csrf},
        timeout=30,
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text
    return web, csrf


def add_co_facilitator(
    server: LiveServer, conference_id: int, email: str, name: str, password: str = "kollega-passord-123"
) -> tuple[int, str]:
    """A colleague invited to one conference (`confapp invite --role co_facilitator`) accepts the link by
    choosing a password, then makes a personal API token; returns their account id and the token."""
    out = server.cli(
        "invite",
        email,
        "--role",
        "co_facilitator",
        "--conference",
        str(conference_id),
        "--base-url",
        server.url,
    )
    link = next(word for word in out.split() if "/invitation/" in word)
    web = requests.Session()
    csrf = csrf_of(web.get(link, timeout=30).text)
    form = {"name": name, "password": password, "password2": password, "csrf_token": csrf}
    assert web.post(link, data=form, timeout=30, allow_redirects=False).status_code == 302
    page = web.post(server.url + "/account", data={"csrf_token": csrf}, timeout=30).text
    token = page.split('<code id="api-token">')[1].split("</code>")[0]
    me = web.get(server.url + "/api/v1/conferences", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert any(c["id"] == conference_id for c in me.json()), me.text
    page = web.get(server.url + f"/c/{conference_id}/co-facilitators", timeout=30).text
    mine = re.search(r'data-facilitator-id="(\d+)" data-me', page)
    assert mine, page
    return int(mine.group(1)), token


class Conference:
    """Drives a conference through the API the way a facilitator and phones would."""

    def __init__(
        self, server: LiveServer, api: Api, *, template: str = "dk1_school", title: str = "Testkonferanse"
    ):
        self.server = server
        self.api = api
        detail = api.post("/conferences", {"title": title, "template": template}, expect=201)
        self.id = detail["conference"]["id"]
        self.code = detail["conference"]["join_code"]
        self.rounds = detail["rounds"]
        self.phones: dict[int, Api] = {}
        self.tokens: dict[int, str] = {}

    def path(self, suffix: str = "") -> str:
        return f"/conferences/{self.id}{suffix}"

    def join(self, name: str, role: str) -> int:
        out = Api(self.server.url).post(
            "/join", {"uuid": str(uuid.uuid4()), "code": self.code, "name": name, "role": role}, expect=201
        )
        pid = out["participant"]["id"]
        self.tokens[pid] = out["token"]
        self.phones[pid] = Api(self.server.url, out["token"])
        return int(pid)

    def join_many(self, people: list[tuple[str, str]], workers: int = 8) -> list[int]:
        """Many phones join at once, as a hall does (name, role each); their ids in the given order."""
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(lambda person: self.join(*person), people))

    def group_round(self, n: int) -> dict[str, Any]:
        return [r for r in self.rounds if r["kind"] == "group"][n - 1]

    def plenary_round(self, n: int) -> dict[str, Any]:
        return [r for r in self.rounds if r["kind"] == "plenary"][n - 1]

    def propose(self, rnd: dict[str, Any], group_size: int) -> list[dict[str, Any]]:
        return self.api.post(self.path(f"/rounds/{rnd['id']}/groups/propose"), {"group_size": group_size})  # type: ignore[no-any-return]

    def start(self, rnd: dict[str, Any]) -> None:
        self.api.post(self.path(f"/rounds/{rnd['id']}/start"))

    def appoint_reporters(self, groups: list[dict[str, Any]]) -> dict[int, int]:
        """Each table's leader appoints a reporter from the phone; returns group id -> reporter id."""
        chosen = {}
        for g in groups:
            leader = g["leader_id"]
            reporter = (
                next(m["id"] for m in g["members"] if m["id"] != leader) if len(g["members"]) > 1 else leader
            )
            self.phones[leader].put(
                f"/me/groups/{g['id']}/reporter", {"participant_id": reporter, "uuid": str(uuid.uuid4())}
            )
            chosen[g["id"]] = reporter
        return chosen

    def running_round(
        self, people: int = 4, group_size: int = 2
    ) -> tuple[list[dict[str, Any]], dict[int, int]]:
        """People join, round 1's tables are proposed and started, leaders appoint reporters.

        Returns the tables and group id -> reporter id.
        """
        for i in range(people):
            self.join(f"Deltaker {i + 1}", ["Lærer", "Assistent"][i % 2])
        rnd = self.group_round(1)
        groups = self.propose(rnd, group_size)
        self.start(rnd)
        return groups, self.appoint_reporters(groups)

    def barrier(self, *clients: socketio.Client, api: Api | None = None, timeout: float = 10) -> None:
        """Send the whole conference a later event (a new title) and wait until every client has it.

        A server emits a conference's events in order over each connection, so once the barrier has
        arrived, anything emitted to that client before it has arrived too: a test can then assert
        that an earlier event did not come, without sleeping. `api` picks the process that emits it
        (with several processes, use the one that emitted the earlier event).
        """
        marker = f"{BARRIER_TITLE} {uuid.uuid4().hex[:8]}"
        (api or self.api).patch(self.path(), {"title": marker})
        deadline = time.monotonic() + timeout
        for client in clients:
            while not any(_is_barrier(e, marker) for e in list(client.received)):  # type: ignore[attr-defined]
                assert time.monotonic() < deadline, f"the barrier did not arrive: {client.received}"  # type: ignore[attr-defined]
                time.sleep(0.02)

    def post(self, pid: int, group_id: int, text: str, client_uuid: str | None = None) -> dict[str, Any]:
        return self.phones[pid].post(  # type: ignore[no-any-return]
            "/me/bullets",
            {"group_id": group_id, "uuid": client_uuid or str(uuid.uuid4()), "text": text},
            expect=201,
        )


BARRIER_TITLE = "Barriere"


def _is_barrier(event: dict[str, Any], marker: str | None = None) -> bool:
    if event.get("type") != "conference.updated":
        return False
    title = event["data"]["conference"]["title"]
    return title == marker if marker else title.startswith(BARRIER_TITLE + " ")


def besides_barriers(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events a client received, without the barriers `Conference.barrier` sent."""
    return [e for e in events if not _is_barrier(e)]


# --- browser helpers (Playwright driving the distribution's Chromium) ---

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
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


class Watch:
    """Collects page errors from every page, so a broken script fails the test."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def page(self, ctx: BrowserContext) -> Page:
        page = ctx.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: self._console(page, msg.type, msg.text))
        page.on("dialog", lambda d: d.accept())
        return page

    def _console(self, page: Page, kind: str, text: str) -> None:
        # Chromium's own line when a test took the phone offline and the client tried to reconnect: the
        # network's state, not a script error (the page's offline status is what the tests check).
        if kind == "error" and "net::ERR_INTERNET_DISCONNECTED" not in text:
            self.errors.append(f"{page.url}: {text}")


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def drag(page: Page, source: str, target: str) -> None:
    """SortableJS in fallback mode follows real pointer moves: press, travel, pause, release.

    A live update may replace the card just before the press (the app defers re-rendering only while a
    pointer is down), so the source is looked up again if it was detached.
    """
    src = dst = None
    for _attempt in range(5):
        try:
            page.locator(source).scroll_into_view_if_needed(timeout=2000)
            src = page.locator(source).bounding_box(timeout=2000)
            dst = page.locator(target).bounding_box(timeout=2000)
        except PlaywrightError:
            src = dst = None
        if src and dst:
            break
        page.wait_for_timeout(200)
    assert src and dst, f"not on screen: {source if not src else target}"
    x0, y0 = src["x"] + src["width"] / 2, src["y"] + src["height"] / 2
    x1, y1 = dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] - 6
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 6, y0 + 6)
    page.wait_for_timeout(80)
    for step in range(1, 16):
        page.mouse.move(x0 + (x1 - x0) * step / 15, y0 + (y1 - y0) * step / 15)
        page.wait_for_timeout(25)
    page.wait_for_timeout(150)
    page.mouse.up()


def login(page: Page, server_url: str, email: str, password: str) -> None:
    page.goto(server_url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(server_url + "/")


def to_pdf(docx: Path) -> Path:
    """LibreOffice renders the document to PDF next to it: proof that an office suite opens it."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed (scripts/test installs libreoffice-writer-nogui)")
    profile = docx.parent / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(docx.parent), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return docx.with_suffix(".pdf")


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    The `app` fixture holds one app context for the whole test, so Flask would share `g` between
    requests: Flask-Login's cached user and Flask-WTF's CSRF token would leak from one request (and
    one client) into the next, which no real server does.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for key in list(flask.g):
            flask.g.pop(key)
        return super().open(*args, **kwargs)


def fresh_client(app: flask.Flask) -> FreshRequestClient:
    app.test_client_class = FreshRequestClient
    return app.test_client()  # type: ignore[return-value]


def decode_qr(svg: bytes, tmp_path: Path) -> str:
    """What a phone's camera reads from a QR code SVG (rendered by rsvg-convert, decoded by zbarimg)."""
    if not (shutil.which("rsvg-convert") and shutil.which("zbarimg")):
        pytest.skip("rsvg-convert and zbarimg are needed (scripts/test installs librsvg2-bin and zbar-tools)")
    (tmp_path / "qr.svg").write_bytes(svg)
    subprocess.run(
        ["rsvg-convert", "-w", "400", "-o", str(tmp_path / "qr.png"), str(tmp_path / "qr.svg")],
        check=True,
        timeout=30,
    )
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True, timeout=30
    )
    return out.stdout.strip()


def wait_until(check: object, what: str, timeout: float = 15) -> None:
    """Wait for the server's state, not the page's: a drag shows at once, its request lands later."""
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.02)
