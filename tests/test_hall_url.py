"""Phones reach the server: one public base URL, listening beyond loopback, trusted proxies, TLS.

The hall test builds its own network namespace with a veth pair and talks only to the addresses it made.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from playwright.sync_api import Browser, expect
from support import (
    ROOT,
    Api,
    LiveServer,
    Watch,
    create_facilitator,
    decode_qr,
    free_port,
    login,
    shot,
    socket_client,
)

from confapp.services import facilitators

PUBLIC = "https://konferanse.kommune.example/dialog"
LOOPBACK_WARNING = "Phones cannot reach this address."


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Flask]]:
    """An in-process app with extra settings; the limiter and config are per app."""
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(tmp_path))
    from confapp import create_app

    contexts: list[Any] = []

    def make(**settings: Any) -> Flask:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / f'hall{len(contexts)}.sqlite'}",
                "SECRET_KEY": "unit-test",
                "SOCKETIO_ASYNC_MODE": "threading",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                **settings,
            }
        )
        ctx = app.app_context()
        ctx.push()
        contexts.append(ctx)
        return app

    yield make
    for ctx in reversed(contexts):
        ctx.pop()


def logged_in(app: Flask, base_url: str = "http://localhost") -> tuple[FlaskClient, dict[str, Any]]:
    """A facilitator's browser session and a conference of theirs (created through the API)."""
    f = facilitators.create(email="ordstyrer@example.no", name="Ordstyrer", password="sal-passord-lang-nok")
    token = facilitators.issue_api_token(f)
    client = app.test_client()
    client.set_cookie("confapp_lang", "en")
    r = client.post(
        "/login",
        data={"email": "ordstyrer@example.no", "password": "sal-passord-lang-nok"},
        base_url=base_url,
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    r = client.post(
        "/api/v1/conferences",
        json={"title": "Salen", "template": "dk1_school"},
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.get_data(as_text=True)
    return client, {**r.get_json(), "token": token}


# --- CONFAPP_PUBLIC_URL -------------------------------------------------------------------------------


def test_public_url_setting_builds_qr_join_and_projector_urls(tmp_path: Path) -> None:
    """A real `confapp serve` with CONFAPP_PUBLIC_URL from the environment, as behind a proxy."""
    server = LiveServer(
        tmp_path, f"sqlite:///{tmp_path / 'public.sqlite'}", env={"CONFAPP_PUBLIC_URL": PUBLIC + "/"}
    ).start()
    try:
        api = Api(server.url, create_facilitator(server))
        detail = api.post("/conferences", {"title": "Salen", "template": "dk1_school"}, expect=201)
        code = detail["conference"]["join_code"]
        assert detail["join_url"] == f"{PUBLIC}/j/{code}"
        key = detail["conference"].get("projector_key") or detail["projector_url"].rsplit("/", 1)[1]
        assert detail["projector_url"] == f"{PUBLIC}/p/{key}"

        svg = requests.get(f"{server.url}/qr/{code}.svg", timeout=10)
        assert svg.status_code == 200
        assert decode_qr(svg.content, tmp_path) == f"{PUBLIC}/j/{code}"
        assert "Strict-Transport-Security" in svg.headers
        log = server.log.read_text()
        assert f"Phones open {PUBLIC}/j" in log and "only works on this computer" not in log
    finally:
        server.stop()


def test_public_url_reaches_console_poster_and_table_cards(make_app: Callable[..., Flask]) -> None:
    app = make_app(PUBLIC_URL=PUBLIC)
    client, detail = logged_in(app, base_url="https://localhost")
    conf_id, code = detail["conference"]["id"], detail["conference"]["join_code"]
    join_url = f"{PUBLIC}/j/{code}"
    console = client.get(f"/c/{conf_id}", base_url="https://localhost").get_data(as_text=True)
    assert join_url in console and LOOPBACK_WARNING not in console
    poster = client.get(f"/c/{conf_id}/qr", base_url="https://localhost").get_data(as_text=True)
    assert f'id="join-address">{PUBLIC}/j<' in poster and LOOPBACK_WARNING not in poster

    for name in ("Kari", "Ola", "Per", "Siri"):
        joined = client.post(
            "/api/v1/join", json={"uuid": str(uuid.uuid4()), "code": code, "name": name, "role": "Lærer"}
        )
        assert joined.status_code == 201, joined.get_data(as_text=True)
    round_id = detail["rounds"][0]["id"]
    bearer = {"Authorization": f"Bearer {detail['token']}"}
    proposed = client.post(
        f"/api/v1/conferences/{conf_id}/rounds/{round_id}/groups/propose",
        json={"group_size": 2},
        headers=bearer,
    )
    assert proposed.status_code == 200, proposed.get_data(as_text=True)
    cards = client.get(f"/c/{conf_id}/rounds/{round_id}/cards", base_url="https://localhost")
    assert cards.get_data(as_text=True).count(join_url) == 2  # one card per table


@pytest.mark.parametrize("bad", ["konferanse.kommune.no", "ftp://x.example", "https://x.example/?a=1"])
def test_a_malformed_public_url_stops_the_start_with_a_message(
    make_app: Callable[..., Flask], bad: str
) -> None:
    with pytest.raises(RuntimeError, match="CONFAPP_PUBLIC_URL must look like"):
        make_app(PUBLIC_URL=bad)


# --- Loopback only ------------------------------------------------------------------------------------


def test_console_and_poster_say_plainly_when_only_this_computer_can_open_the_address(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()  # reached on localhost, no public URL: only this computer can open the links
    client, detail = logged_in(app)
    conf_id = detail["conference"]["id"]
    for path in (f"/c/{conf_id}", f"/c/{conf_id}/qr"):
        page = client.get(path).get_data(as_text=True)
        assert LOOPBACK_WARNING in page, path
        assert 'id="loopback-warning" role="alert"' in page
    refresh()  # the test's app context outlives requests, and Flask-Babel caches the language in it
    client.set_cookie("confapp_lang", "nn")
    assert "Telefonane kan ikkje opne denne adressa." in client.get(f"/c/{conf_id}/qr").get_data(as_text=True)
    refresh()
    client.set_cookie("confapp_lang", "nb")
    assert "Telefonene kan ikke åpne denne adressen." in client.get(f"/c/{conf_id}").get_data(as_text=True)


def test_serve_on_loopback_warns_in_the_terminal_and_prints_a_qr_code(server: LiveServer) -> None:
    log = server.log.read_text()
    assert f"Phones open {server.url}/j" in log
    assert "only works on this computer; phones cannot reach it" in log
    assert "█" in log  # the QR code drawn with block characters


# --- Proxies ------------------------------------------------------------------------------------------


def _wrong_codes_until_limited(client: FlaskClient, forwarded_for: str) -> int:
    """Send wrong join codes 'from' one address until the limiter answers 429; return how many it took."""
    for n in range(1, 400):
        r = client.get(f"/j/ZZ{n:04d}", headers={"X-Forwarded-For": forwarded_for})
        if r.status_code == 429:
            return n
        assert r.status_code == 404
    raise AssertionError("the join limiter never answered 429")


def test_trusted_proxy_decides_the_client_address_and_scheme(make_app: Callable[..., Flask]) -> None:
    app = make_app(TRUSTED_PROXIES=1, RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    _wrong_codes_until_limited(client, "198.51.100.7")
    other = client.get("/j/ZZ9999", headers={"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 404, "another phone behind the same proxy has its own bucket"

    api_client, detail = logged_in(app)
    conf_id, code = detail["conference"]["id"], detail["conference"]["join_code"]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "konferanse.example"}
    r = api_client.get(f"/api/v1/conferences/{conf_id}", headers=forwarded)
    assert r.get_json()["join_url"] == f"https://konferanse.example/j/{code}"
    assert r.get_json()["projector_url"].startswith("https://konferanse.example/p/")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    svg = api_client.get(f"/qr/{code}.svg", headers=forwarded).data
    assert b"https://konferanse.example/j/" + code.encode() in svg


def test_without_trusted_proxies_forwarded_headers_are_ignored(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    _wrong_codes_until_limited(client, "198.51.100.17")
    other = client.get("/j/ZZ9999", headers={"X-Forwarded-For": "198.51.100.18"})
    assert other.status_code == 429, "a forged X-Forwarded-For must not buy a fresh bucket"

    api_client, detail = logged_in(app)
    conf_id = detail["conference"]["id"]
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    r = api_client.get(f"/api/v1/conferences/{conf_id}", headers=forwarded)
    assert r.get_json()["join_url"].startswith("http://localhost/j/")
    assert "Strict-Transport-Security" not in r.headers


@pytest.mark.parametrize("bad", ["-1", "many", "11"])
def test_a_bad_trusted_proxies_count_stops_the_start(make_app: Callable[..., Flask], bad: str) -> None:
    with pytest.raises(RuntimeError, match="CONFAPP_TRUSTED_PROXIES must be a whole number"):
        make_app(TRUSTED_PROXIES=bad)


# --- TLS ----------------------------------------------------------------------------------------------


def test_https_public_url_makes_cookies_secure_and_sends_hsts(make_app: Callable[..., Flask]) -> None:
    app = make_app(PUBLIC_URL=PUBLIC)
    client = app.test_client()
    facilitators.create(email="ordstyrer@example.no", name="Ordstyrer", password="sal-passord-lang-nok")
    # The proxy speaks plain http to us; only the public URL says https.
    login = client.post("/login", data={"email": "ordstyrer@example.no", "password": "sal-passord-lang-nok"})
    cookies = login.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c for c in cookies), cookies
    assert login.headers["Strict-Transport-Security"] == "max-age=31536000"

    token = facilitators.issue_api_token(
        facilitators.authenticate("ordstyrer@example.no", "sal-passord-lang-nok")
    )
    detail = (
        app.test_client()
        .post(
            "/api/v1/conferences",
            json={"title": "Salen", "template": "dk1_school"},
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    phone = app.test_client()
    joined = phone.post(
        f"/j/{detail['conference']['join_code']}",
        data={"name": "Kari", "role": "Lærer", "join_key": str(uuid.uuid4())},
    )
    assert joined.status_code == 302, joined.get_data(as_text=True)
    phone_cookie = [c for c in joined.headers.getlist("Set-Cookie") if c.startswith("confapp_p")]
    assert phone_cookie and "Secure" in phone_cookie[0], joined.headers.getlist("Set-Cookie")


def test_plain_http_sends_no_hsts_and_no_secure_cookie(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    client = app.test_client()
    facilitators.create(email="ordstyrer@example.no", name="Ordstyrer", password="sal-passord-lang-nok")
    login = client.post("/login", data={"email": "ordstyrer@example.no", "password": "sal-passord-lang-nok"})
    assert not any("Secure" in c for c in login.headers.getlist("Set-Cookie"))
    assert "Strict-Transport-Security" not in login.headers


# --- In the hall: a machine with a LAN address --------------------------------------------------------


PHONE_PROBE = """
import sys, urllib.error, urllib.request
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=10)
except urllib.error.HTTPError as e:
    r = e
print(r.status if hasattr(r, "status") else r.code)
print(r.read().decode())
"""


def from_phone(ns: str, url: str) -> tuple[int, str]:
    """GET `url` from inside the namespace, as a phone in the hall would: (status, body)."""
    out = subprocess.run(
        ["ip", "netns", "exec", ns, sys.executable, "-c", PHONE_PROBE, url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    status, body = out.stdout.split("\n", 1)
    return int(status), body


def _ip(*args: str, ns: str | None = None) -> None:
    cmd = ["ip", "netns", "exec", ns, "ip", *args] if ns else ["ip", *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)


@pytest.fixture
def hall() -> Iterator[tuple[str, str, str]]:
    """A network namespace `ns` joined to this machine by a veth pair: (ns, host address, phone address)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create a network namespace (ip netns add)")
    if not shutil.which("ip"):
        pytest.skip("needs the `ip` command (Debian iproute2)")
    tag = os.getpid() % 10000
    ns, host_if, phone_if = f"confhall{tag}", f"hallh{tag}", f"hallp{tag}"
    subnet = 10 + tag % 200
    host_ip, phone_ip = f"10.211.{subnet}.1", f"10.211.{subnet}.2"
    try:
        _ip("netns", "add", ns)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot create a network namespace here: {exc.stderr.decode().strip()}")
    try:
        _ip("link", "add", host_if, "type", "veth", "peer", "name", phone_if)
        _ip("link", "set", phone_if, "netns", ns)
        _ip("addr", "add", f"{host_ip}/24", "dev", host_if)
        _ip("link", "set", host_if, "up")
        _ip("addr", "add", f"{phone_ip}/24", "dev", phone_if, ns=ns)
        _ip("link", "set", phone_if, "up", ns=ns)
        _ip("link", "set", "lo", "up", ns=ns)
        yield ns, host_ip, phone_ip
    finally:
        subprocess.run(["ip", "link", "del", host_if], capture_output=True, timeout=30)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30)


def test_serve_listens_beyond_loopback_and_links_to_a_lan_address(
    hall: tuple[str, str, str], tmp_path: Path
) -> None:
    ns, host_ip, _phone_ip = hall
    server = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'hall.sqlite'}", host=None).start()
    try:
        # First run: the account page opens on this computer, also at its LAN address, but not from a phone.
        assert requests.get(f"http://{host_ip}:{server.port}/setup", timeout=10).status_code == 200
        status, body = from_phone(ns, f"http://{host_ip}:{server.port}/setup")
        assert status == 403 and "confapp create-facilitator" in body

        api = Api(server.url, create_facilitator(server))
        detail = api.post("/conferences", {"title": "Salen", "template": "dk1_school"}, expect=201)
        code = detail["conference"]["join_code"]
        join_host = urlsplit(detail["join_url"]).hostname
        own = {
            a.address for addrs in psutil.net_if_addrs().values() for a in addrs if a.family.name == "AF_INET"
        }
        assert join_host != "127.0.0.1" and join_host in own - {"127.0.0.1"}, (join_host, own)
        assert detail["join_url"] == f"http://{join_host}:{server.port}/j/{code}"
        log = server.log.read_text()
        assert f"Phones open http://{join_host}:{server.port}/j" in log
        assert "only works on this computer" not in log

        # A phone in the hall: inside the namespace, it opens the join page at the host's veth address.
        status, body = from_phone(ns, f"http://{host_ip}:{server.port}/j/{code}")
        assert status == 200 and "Salen" in body
    finally:
        server.stop()


# --- First run on the hall's network ------------------------------------------------------------------


def test_the_first_account_can_only_be_created_on_this_computer(make_app: Callable[..., Flask]) -> None:
    """Listening on the hall's network must not let someone there claim a fresh install."""
    app = make_app()
    phone = app.test_client()
    phone.set_cookie("confapp_lang", "en")
    hall = {"REMOTE_ADDR": "192.0.2.50"}
    page = phone.get("/setup", environ_base=hall)
    assert page.status_code == 403
    assert "can only be created on the computer that runs confapp" in page.get_data(as_text=True)
    claim = {
        "name": "Inntrenger",
        "email": "x@example.no",
        "password": "sal-passord-lang-nok",
        "password2": "sal-passord-lang-nok",
    }
    assert phone.post("/setup", data=claim, environ_base=hall).status_code == 403
    assert not facilitators.any_exist()

    local = app.test_client().get("/setup")
    assert local.status_code == 200 and 'name="password2"' in local.get_data(as_text=True)


# --- What the facilitator sees ------------------------------------------------------------------------


def test_loopback_warning_in_the_browser(server: LiveServer, browser: Browser, artifacts: Path) -> None:
    """The console and the poster of a server only this computer can reach (screenshots looked at)."""
    api = Api(server.url, create_facilitator(server))
    detail = api.post("/conferences", {"title": "Salen", "template": "dk1_school"}, expect=201)
    watch = Watch()
    page = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
    login(page, server.url, "ordstyrer@example.no", "hemmelig-passord")
    page.goto(f"{server.url}/c/{detail['conference']['id']}")
    expect(page.locator("#loopback-warning")).to_be_visible()
    expect(page.locator("#loopback-warning")).to_contain_text("Telefonene kan ikke åpne denne adressen.")
    shot(page, artifacts, "hall-console-loopback")
    page.goto(f"{server.url}/c/{detail['conference']['id']}/qr")
    expect(page.locator("#loopback-warning")).to_be_visible()
    expect(page.locator("img.qr")).to_be_visible()
    code_box = page.locator("#join-code").bounding_box()
    assert code_box and code_box["y"] + code_box["height"] <= 720, "the typed code stays on a 720 px screen"
    shot(page, artifacts, "hall-poster-loopback")
    assert watch.errors == []


def test_documented_haproxy_gives_each_phone_its_own_address(
    hall: tuple[str, str, str], tmp_path: Path
) -> None:
    """docs/deploy.md's HAProxy block in front of one process with CONFAPP_TRUSTED_PROXIES=1.

    The proxy listens on loopback and on this test's veth address; a phone in the namespace is a second
    real client address. Without ProxyFix both would share the proxy's one rate-limit bucket.
    """
    haproxy = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if haproxy is None:
        pytest.skip("haproxy is not installed (scripts/test installs it from the distribution)")
    ns, host_ip, _phone_ip = hall
    server = LiveServer(
        tmp_path, f"sqlite:///{tmp_path / 'proxied.sqlite'}", env={"CONFAPP_TRUSTED_PROXIES": "1"}
    ).start()
    front = free_port()
    block = re.search(r"```haproxy\n(.*?)```", (ROOT / "docs" / "deploy.md").read_text(), re.S)
    assert block, "docs/deploy.md has no ```haproxy block"
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(
        block.group(1)
        .replace("bind 127.0.0.1:8080", f"bind 127.0.0.1:{front}\n    bind {host_ip}:{front}")
        .replace("127.0.0.1:5001", f"127.0.0.1:{server.port}")
        .replace("127.0.0.1:5002", f"127.0.0.1:{server.port}")
        .replace("127.0.0.1:5003", f"127.0.0.1:{server.port}")  # a node nobody runs answers 503 until checked
    )
    log = (tmp_path / "haproxy.log").open("wb")
    proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT)
    proxy = f"http://127.0.0.1:{front}"
    try:
        for _ in range(100):
            try:
                requests.get(proxy + "/login", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.1)
        api = Api(proxy, create_facilitator(server))
        detail = api.post("/conferences", {"title": "Salen", "template": "dk1_school"}, expect=201)
        code = detail["conference"]["join_code"]
        assert detail["join_url"] == f"{proxy}/j/{code}", "the proxy's Host builds the links"

        # This computer's browser, through the proxy, with a forged header the proxy must not let through.
        for n in range(1, 400):
            r = requests.get(f"{proxy}/j/ZZ{n:04d}", headers={"X-Forwarded-For": "198.51.100.9"}, timeout=10)
            if r.status_code == 429:
                break
            assert r.status_code == 404
        else:
            raise AssertionError("the join limiter never answered 429")
        forged = requests.get(f"{proxy}/j/ZZ9999", headers={"X-Forwarded-For": "198.51.100.10"}, timeout=10)
        assert forged.status_code == 429, "a forged X-Forwarded-For does not buy a fresh bucket"

        # A phone in the hall, through the same proxy: its own address, its own bucket.
        status, _body = from_phone(ns, f"http://{host_ip}:{front}/j/ZZ9999")
        assert status == 404, "the phone's own address has its own bucket"

        # Socket.IO still works with ProxyFix wrapped around it.
        joined = Api(proxy).post(
            "/join", {"uuid": str(uuid.uuid4()), "code": code, "name": "Kari", "role": "Lærer"}, expect=201
        )
        client = socket_client(proxy, {"kind": "participant", "token": joined["token"]})
        try:
            assert client.call("sync", {"since": None}, timeout=10)["ok"]
        finally:
            client.disconnect()
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
        server.stop()
