"""Feide / OpenID Connect login: a real provider (npm oidc-provider under Node) and Chromium end to end,
and the ID-token check refusing a wrong nonce, a wrong issuer and an expired token."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from playwright.sync_api import Browser, expect
from support import ROOT, LiveServer, create_facilitator, free_port, fresh_client, shot

from confapp import create_app, oidc
from confapp.errors import ServiceError
from confapp.models import Facilitator
from confapp.services import external_logins, facilitators

ISSUER = "https://auth.dataporten.no"
CLIENT = "confapp-test-client"
NONCE = "n-0S6_WzA2Mj"
PROVIDER_DIR = ROOT / "tests" / "oidc"

# --- the ID-token check -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "test-key"})


def _id_token(key: RSAKey, **overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "feide-1", "iat": now, "exp": now + 600, "nonce": NONCE}
    claims.update(overrides)
    return jwt.encode(
        {"alg": "RS256", "kid": key.kid}, {k: v for k, v in claims.items() if v is not None}, key
    )


def _verify(app: Flask, raw: str, keys: KeySet, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"keys": keys, "issuer": ISSUER, "client_id": CLIENT, "nonce": NONCE, **kw}
    return oidc.verify_id_token(raw, **args)


def test_a_genuine_id_token_passes(app: Flask, signing_key: RSAKey) -> None:
    claims = _verify(app, _id_token(signing_key), KeySet([signing_key]))
    assert claims["sub"] == "feide-1"


@pytest.mark.parametrize(
    ("overrides", "verify"),
    [
        ({"nonce": "another-nonce"}, {}),  # a wrong nonce: a replayed or injected response
        ({}, {"nonce": None}),  # this browser never started a login
        ({"iss": "https://evil.example"}, {}),  # a wrong issuer
        ({}, {"issuer": "https://feide.example"}),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, {}),  # expired an hour ago
        ({}, {"now": int(time.time()) + 3600}),  # expired by our clock (600 s lifetime, 60 s leeway)
        ({"aud": "someone-else"}, {}),
        ({"aud": [CLIENT, "someone-else"]}, {}),  # several audiences and no azp naming us
        ({"sub": None}, {}),
    ],
)
def test_a_bad_id_token_is_refused(
    app: Flask, signing_key: RSAKey, overrides: dict[str, Any], verify: dict[str, Any]
) -> None:
    with pytest.raises(ServiceError) as err:
        _verify(app, _id_token(signing_key, **overrides), KeySet([signing_key]), **verify)
    assert err.value.code == "oidc_refused"


def test_a_token_signed_by_another_key_is_refused(app: Flask, signing_key: RSAKey) -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    with pytest.raises(ServiceError):
        _verify(app, _id_token(other), KeySet([signing_key]))


def test_an_unsigned_token_is_refused(app: Flask, signing_key: RSAKey) -> None:
    good = _id_token(signing_key)
    header, payload, _sig = good.split(".")
    none_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    for forged in (f"{none_header}.{payload}.", f"{header}.{payload}."):
        with pytest.raises(ServiceError):
            _verify(app, forged, KeySet([signing_key]))


# --- who the identity is ------------------------------------------------------------------------


@pytest.fixture
def kari(app: Flask) -> Facilitator:
    return facilitators.create(email="kari@example.no", name="Kari", password="et-langt-passord-for-test")


def test_first_login_links_the_account_with_that_email_then_the_subject_counts(
    app: Flask, kari: Facilitator
) -> None:
    f = external_logins.account_for(issuer=ISSUER, subject="s1", email="Kari@example.no", email_verified=None)
    assert f is kari
    # Later the provider reports another address: the linked subject still logs in as Kari.
    assert (
        external_logins.account_for(issuer=ISSUER, subject="s1", email="k@ny.no", email_verified=True) is kari
    )


@pytest.mark.parametrize(
    ("subject", "email", "verified"),
    [
        ("s2", "ukjent@example.no", True),  # nobody has that address
        ("s2", None, None),  # no address at all
        ("s2", "kari@example.no", False),  # the provider says the address is not verified
    ],
)
def test_strangers_are_told_to_ask_for_an_invitation_and_nothing_is_created(
    app: Flask, kari: Facilitator, subject: str, email: str | None, verified: bool | None
) -> None:
    with pytest.raises(ServiceError) as err:
        external_logins.account_for(issuer=ISSUER, subject=subject, email=email, email_verified=verified)
    assert err.value.code == "not_invited"
    assert [f.email for f in app.extensions["confapp_engine"].connect().exec_driver_sql(
        "SELECT email FROM facilitators").all()] == ["kari@example.no"]  # fmt: skip


def test_a_second_identity_cannot_take_over_a_linked_account(app: Flask, kari: Facilitator) -> None:
    external_logins.account_for(issuer=ISSUER, subject="s1", email="kari@example.no", email_verified=True)
    with pytest.raises(ServiceError):
        external_logins.account_for(issuer=ISSUER, subject="s9", email="kari@example.no", email_verified=True)


def test_the_feide_button_shows_only_when_configured(app: Flask, tmp_path: Path) -> None:
    plain = fresh_client(app).get("/login").get_data(as_text=True)
    assert 'id="oidc-login"' not in plain
    assert fresh_client(app).get("/login/oidc").status_code == 404
    configured = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'oidc.sqlite'}",
            "SECRET_KEY": "unit-test",
            "SOCKETIO_ASYNC_MODE": "threading",
            "TESTING": True,
            "OIDC_ISSUER": ISSUER,
            "OIDC_CLIENT_ID": CLIENT,
            "OIDC_CLIENT_SECRET": "s",
        }
    )
    with configured.app_context():
        facilitators.create(email="x@example.no", name="X", password="et-langt-passord-for-test")
        page = (
            fresh_client(configured).get("/login", headers={"Accept-Language": "nb"}).get_data(as_text=True)
        )
    assert 'id="oidc-login"' in page and "Logg inn med Feide" in page


# --- end to end with a real provider ------------------------------------------------------------


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    """confapp (not started yet) and a running oidc-provider that knows it as a client."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: no OpenID provider to test against")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.skip("tests/oidc/node_modules is missing: run `npm ci` in tests/oidc (scripts/test does)")
    port = free_port()
    secret = "test-client-secret-" + str(port)
    server = LiveServer(
        tmp_path,
        f"sqlite:///{tmp_path / 'live.sqlite'}",
        env={
            "CONFAPP_OIDC_ISSUER": f"http://127.0.0.1:{port}",
            "CONFAPP_OIDC_CLIENT_ID": CLIENT,
            "CONFAPP_OIDC_CLIENT_SECRET": secret,
        },
    )
    accounts = {
        "feide-kari": {"email": "kari@example.no", "email_verified": True, "name": "Kari Nordmann"},
        "feide-ola": {"email": "ola@example.no", "email_verified": True, "name": "Ola Ukjent"},
    }
    log = (tmp_path / "provider.log").open("wb")
    proc = subprocess.Popen(
        [node, str(PROVIDER_DIR / "provider.mjs")],
        cwd=PROVIDER_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "OIDC_PORT": str(port),
            "OIDC_CLIENT_ID": CLIENT,
            "OIDC_CLIENT_SECRET": secret,
            "OIDC_REDIRECT_URI": f"{server.url}/login/oidc/callback",
            "OIDC_ACCOUNTS": json.dumps(accounts),
        },
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "ready <issuer>", or '' if it died
        assert line.startswith("ready"), (tmp_path / "provider.log").read_text()
        server.start()
        yield server, f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
        log.close()


def _facilitator_count(server: LiveServer) -> int:
    with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as conn:
        return int(conn.execute("SELECT count(*) FROM facilitators").fetchone()[0])


@pytest.mark.browser
def test_chromium_logs_in_with_the_provider_and_strangers_get_no_account(
    browser: Browser, provider: tuple[LiveServer, str], artifacts: Path
) -> None:
    server, issuer = provider
    create_facilitator(server, email="kari@example.no", password="et-langt-passord-for-test")

    kari = browser.new_context(locale="nb-NO")
    page = kari.new_page()
    page.goto(server.url + "/login")
    shot(page, artifacts, "oidc-1-login-page")
    page.get_by_role("link", name="Logg inn med Feide").click()
    page.wait_for_url(issuer + "/interaction/*")
    page.fill("#login", "feide-kari")
    page.click("#sign-in")
    page.wait_for_url(server.url + "/")
    expect(page.get_by_text("Test Ordstyrer")).to_be_visible()  # the account made by the CLI
    shot(page, artifacts, "oidc-2-logged-in")
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(server.url + "/login")
    page.goto(server.url + "/account")
    page.wait_for_url(server.url + "/login*")  # logout ended the local session
    kari.close()

    stranger = browser.new_context(locale="nb-NO")
    page = stranger.new_page()
    page.goto(server.url + "/login")
    page.get_by_role("link", name="Logg inn med Feide").click()
    page.fill("#login", "feide-ola")
    page.click("#sign-in")
    page.wait_for_url(server.url + "/login/oidc/callback*")
    expect(page.get_by_role("alert")).to_contain_text("Be administratoren om en invitasjon")
    shot(page, artifacts, "oidc-3-not-invited")
    assert _facilitator_count(server) == 1
    stranger.close()


def test_an_unreachable_provider_gives_a_message_not_a_500(tmp_path: Path) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'down.sqlite'}",
            "SECRET_KEY": "unit-test",
            "SOCKETIO_ASYNC_MODE": "threading",
            "TESTING": True,
            "OIDC_ISSUER": f"http://127.0.0.1:{free_port()}",  # nothing listens there
            "OIDC_CLIENT_ID": CLIENT,
        }
    )
    with app.app_context():
        facilitators.create(email="x@example.no", name="X", password="et-langt-passord-for-test")
        r = fresh_client(app).get("/login/oidc", headers={"Accept-Language": "nb"})
    assert r.status_code == 403 and "Fikk ikke kontakt med Feide" in r.get_data(as_text=True)
