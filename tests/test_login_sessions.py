"""One row per login: remember-me tokens that rotate on use, theft that ends the login, and the move
from migration 0005's one token per account (old cookies just need a new login)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from support import fresh_client
from test_migration_tristate import db_url, migrate  # noqa: F401 - db_url is a fixture
from werkzeug.security import generate_password_hash

from confapp import create_app, db
from confapp.auth import REMEMBER_COOKIE
from confapp.models import Facilitator, LoginSession, utcnow
from confapp.services import facilitators, login_sessions

PASSWORD = "et-langt-passord-for-test"


@pytest.fixture
def kari(app: Flask) -> Facilitator:
    return facilitators.create(email="kari@example.no", name="Kari", password=PASSWORD)


def _remembered(app: Flask, token: str) -> FlaskClient:
    """A browser just restarted: no session cookie, only the remember-me cookie."""
    client = fresh_client(app)
    client.set_cookie(REMEMBER_COOKIE, token)
    return client


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def test_each_login_is_its_own_row_and_logout_ends_one(app: Flask, kari: Facilitator) -> None:
    a = login_sessions.start(kari, user_agent="Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36")
    b = login_sessions.start(kari, user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1")
    assert [r.user_agent for r in login_sessions.of(kari)] == ["Safari / iPhone", "Chrome / Windows"]
    login_sessions.end(a.session_id)
    assert login_sessions.load(a.session_id) is None
    assert login_sessions.load(b.session_id) is kari


def test_only_hashes_are_stored(app: Flask, kari: Facilitator) -> None:
    login = login_sessions.start(kari)
    row = login_sessions.of(kari)[0]
    assert login.session_id not in (row.id_hash, row.remember_hash)
    assert login.remember_token and login.remember_token.split(".")[1] != row.remember_hash


def test_remember_token_rotates_and_a_reused_one_ends_the_login(app: Flask, kari: Facilitator) -> None:
    first = login_sessions.start(kari).remember_token
    resumed = login_sessions.resume(first)
    assert resumed is not None and resumed.facilitator is kari
    assert resumed.remember_token not in (None, first)
    # Long after the rotation, the old token comes back: it was copied. Nobody gets in any more.
    later = utcnow() + login_sessions.ROTATION_GRACE + timedelta(seconds=1)
    assert login_sessions.resume(first, now=later) is None
    assert login_sessions.resume(resumed.remember_token, now=later) is None
    assert login_sessions.load(resumed.session_id) is None


def test_the_replaced_token_is_accepted_briefly_for_requests_already_on_their_way(
    app: Flask, kari: Facilitator
) -> None:
    first = login_sessions.start(kari).remember_token
    rotated = login_sessions.resume(first)
    assert rotated is not None
    again = login_sessions.resume(first)  # within the grace: same login, no new token
    assert again is not None and again.remember_token is None and again.session_id == rotated.session_id
    assert login_sessions.resume(rotated.remember_token) is not None


@pytest.mark.parametrize("token", [None, "", "x", "abc.def", "." * 3, "ä" * 5000])
def test_garbage_remember_tokens_find_nobody(app: Flask, kari: Facilitator, token: str | None) -> None:
    login_sessions.start(kari)
    assert login_sessions.resume(token) is None
    assert len(login_sessions.of(kari)) == 1


def test_password_change_ends_the_other_logins_in_the_same_write(app: Flask, kari: Facilitator) -> None:
    here = login_sessions.start(kari)
    there = login_sessions.start(kari)
    facilitators.change_password(
        kari, current=PASSWORD, new="et-nytt-langt-passord", repeated="et-nytt-langt-passord",
        keep_session=here.session_id,
    )  # fmt: skip
    assert login_sessions.load(here.session_id) is kari
    assert login_sessions.load(there.session_id) is None


def test_http_remember_cookie_rotates_and_the_stolen_copy_is_refused(app: Flask, kari: Facilitator) -> None:
    client = fresh_client(app)
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": kari.email, "password": PASSWORD, "csrf_token": token})
    stolen = client.get_cookie(REMEMBER_COOKIE).value

    owner = _remembered(app, stolen)  # the owner's browser restarts and comes back by the cookie
    assert _logged_in(owner)
    rotated = owner.get_cookie(REMEMBER_COOKIE).value
    assert rotated != stolen
    assert _logged_in(owner), "the session now carries the login"

    # The thief replays the copied token after the grace: refused, and the login ends for everyone.
    db.session.execute(
        LoginSession.__table__.update().values(rotated_at=utcnow() - login_sessions.ROTATION_GRACE * 2)
    )
    db.session.commit()
    thief = _remembered(app, stolen)
    assert not _logged_in(thief)
    assert thief.get_cookie(REMEMBER_COOKIE) is None, "the refused cookie is deleted"
    assert not _logged_in(owner)
    assert not _logged_in(_remembered(app, rotated))


def test_migrating_from_0005_keeps_accounts_and_old_cookies_just_need_a_new_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    migrate(url, "0005")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO facilitators (email, name, password_hash, session_token, created_at) "
                "VALUES ('old@example.no', 'Old', :h, 'oldtoken', '2026-11-30 10:00:00')"
            ),
            {"h": generate_password_hash(PASSWORD)},
        )
    engine.dispose()

    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "unit-test", "SOCKETIO_ASYNC_MODE": "threading", "TESTING": True}
    )
    with app.app_context():
        old_browser = fresh_client(app)
        with old_browser.session_transaction() as sess:
            sess["_user_id"] = "1:oldtoken"  # what 0005's login put in the session
            sess["_fresh"] = True
        old_browser.set_cookie("remember_token", "1:oldtoken|deadbeef")
        r = old_browser.get("/account")
        assert r.status_code == 302 and "/login" in r.headers["Location"]
        assert facilitators.authenticate("old@example.no", PASSWORD) is not None
        client = fresh_client(app)
        csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"email": "old@example.no", "password": PASSWORD, "csrf_token": csrf})
        assert _logged_in(client)
    migrate(url, "0005", down=True)


def test_a_login_unused_for_the_remember_lifetime_is_over_and_purged(app: Flask, kari: Facilitator) -> None:
    old = login_sessions.start(kari)
    db.session.execute(LoginSession.__table__.update().values(last_seen_at=utcnow() - timedelta(days=15)))
    db.session.commit()
    assert login_sessions.load(old.session_id) is None
    assert login_sessions.resume(old.remember_token) is None
    new = login_sessions.start(kari)
    assert [r.id_hash for r in login_sessions.of(kari)] == [login_sessions._hash(new.session_id)]


def test_migration_0006_goes_up_and_down_on_sqlite_and_postgresql(db_url: str) -> None:  # noqa: F811
    migrate(db_url, "head")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        for table in ("sessions", "password_resets", "external_logins", "invitations"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    engine.dispose()
    migrate(db_url, "0005", down=True)
    migrate(db_url, "head")
