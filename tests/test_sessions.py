"""Logins that can be ended, and passwords that are hard to guess."""

from __future__ import annotations

import pytest
import werkzeug.security
from flask import Flask
from flask.testing import FlaskClient
from support import fresh_client

from confapp.auth import REMEMBER_COOKIE
from confapp.errors import ServiceError
from confapp.services import facilitators

PASSWORD = "et-langt-passord-for-test"


def _csrf(client: FlaskClient, path: str = "/login") -> str:
    return client.get(path).get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]


def _login(app: Flask, email: str = "s@example.no", password: str = PASSWORD) -> tuple[FlaskClient, str]:
    client = fresh_client(app)
    token = _csrf(client)
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)
    return client, token


def _copy(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding copies of this browser's cookies (session and remember-me)."""
    thief = fresh_client(app)
    for name in ("session", REMEMBER_COOKIE):
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


@pytest.fixture
def account(app: Flask) -> None:
    facilitators.create(email="s@example.no", name="S", password=PASSWORD)


def test_logout_ends_copied_session_and_remember_cookies(app: Flask, account: None) -> None:
    client, token = _login(app)
    thief = _copy(client, app)
    assert _logged_in(thief), "the copy works while the session lives"
    only_remember = fresh_client(app)
    only_remember.set_cookie(REMEMBER_COOKIE, client.get_cookie(REMEMBER_COOKIE).value)
    client.post("/logout", data={"csrf_token": token})
    assert not _logged_in(client)
    assert not _logged_in(thief)
    assert not _logged_in(only_remember)


def test_logout_ends_only_this_browser(app: Flask, account: None) -> None:
    """Two browsers logged in to one account; one logs out, the other stays in (issue 11)."""
    laptop, token = _login(app)
    phone, _ = _login(app)
    laptop.post("/logout", data={"csrf_token": token})
    assert not _logged_in(laptop)
    assert _logged_in(phone)


def test_password_change_ends_other_sessions_and_keeps_this_one(app: Flask, account: None) -> None:
    laptop, token = _login(app)
    other, _ = _login(app)
    r = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "et-nytt-og-langt-passord",
            "new_password2": "et-nytt-og-langt-passord",
            "csrf_token": token,
        },
    )
    assert r.status_code == 302
    assert _logged_in(laptop)
    assert not _logged_in(other)
    assert facilitators.authenticate("s@example.no", "et-nytt-og-langt-passord") is not None
    assert facilitators.authenticate("s@example.no", PASSWORD) is None


def test_log_out_everywhere(app: Flask, account: None) -> None:
    laptop, token = _login(app)
    phone, _ = _login(app)
    laptop.post("/account/logout-everywhere", data={"csrf_token": token})
    assert not _logged_in(laptop) and not _logged_in(phone)
    again, _ = _login(app)
    assert _logged_in(again)


def test_a_new_login_gets_a_new_remember_cookie_after_logout(app: Flask, account: None) -> None:
    first, token = _login(app)
    old = first.get_cookie(REMEMBER_COOKIE).value
    first.post("/logout", data={"csrf_token": token})
    second, _ = _login(app)
    assert second.get_cookie(REMEMBER_COOKIE).value != old


def test_a_wrong_current_password_changes_nothing(app: Flask, account: None) -> None:
    client, token = _login(app)
    r = client.post(
        "/account/password",
        data={
            "current_password": "feil-passord-her",
            "new_password": "et-nytt-og-langt-passord",
            "new_password2": "et-nytt-og-langt-passord",
            "csrf_token": token,
        },
        headers={"Accept-Language": "nb"},
    )
    assert r.status_code == 400 and "Nåværende passord er feil" in r.get_data(as_text=True)
    assert _logged_in(client)
    assert facilitators.authenticate("s@example.no", PASSWORD) is not None


@pytest.mark.parametrize(
    "password",
    ["kort-pass", "password1234", "Sommer2024!!", "qwertyuiop123!", "aaaaaaaaaaaaaa", "1qaz2wsx3edc"],
)
def test_short_and_common_passwords_are_refused(app: Flask, password: str) -> None:
    with pytest.raises(ServiceError) as err:
        facilitators.create(email="x@example.no", name="X", password=password)
    assert err.value.code in ("weak", "common")
    assert not facilitators.any_exist()


def test_the_setup_page_refuses_a_common_password_in_norwegian(app: Flask) -> None:
    client = fresh_client(app)
    token = _csrf(client, "/setup")
    r = client.post(
        "/setup",
        data={
            "email": "ny@example.no",
            "name": "Ny",
            "password": "password12345",
            "password2": "password12345",
            "csrf_token": token,
        },
    )
    assert "et av de vanligste passordene" in r.get_data(as_text=True)
    assert not facilitators.any_exist()


def test_login_hashes_once_for_unknown_and_known_emails(
    app: Flask, account: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same work (one password hash) whether or not the e-mail exists; werkzeug's check still runs."""
    calls: list[str] = []
    real = werkzeug.security.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        calls.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(facilitators, "check_password_hash", counting)
    assert facilitators.authenticate("ukjent@example.no", "et-passord-som-er-feil") is None
    assert facilitators.authenticate("s@example.no", "et-passord-som-er-feil") is None
    assert facilitators.authenticate("s@example.no", PASSWORD) is not None
    assert len(calls) == 3 and len(set(calls)) == 1, calls  # one hash each, same method and cost
