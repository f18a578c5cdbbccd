"""Forgotten passwords: a single-use, expiring link by mail (a real aiosmtpd server) or from the CLI."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect
from smtp_box import smtp_server
from support import LiveServer, create_facilitator, fresh_client, login, shot

from confapp.errors import ServiceError
from confapp.models import Facilitator, utcnow
from confapp.services import facilitators, login_sessions, password_resets

PASSWORD = "et-langt-passord-for-test"
NEW = "et-helt-nytt-passord-her"


@pytest.fixture
def kari(app: Flask) -> Facilitator:
    return facilitators.create(email="kari@example.no", name="Kari", password=PASSWORD)


def test_unknown_addresses_get_no_link(app: Flask, kari: Facilitator) -> None:
    assert password_resets.request_link("nobody@example.no") is None
    assert password_resets.request_link(None) is None


def test_a_link_sets_the_password_once_and_ends_every_login(app: Flask, kari: Facilitator) -> None:
    laptop = login_sessions.start(kari)
    found = password_resets.request_link(" Kari@Example.no ")
    assert found is not None and found[0] is kari
    token = found[1]
    password_resets.complete(token, new=NEW, repeated=NEW)
    assert facilitators.authenticate("kari@example.no", NEW) is kari
    assert facilitators.authenticate("kari@example.no", PASSWORD) is None
    assert login_sessions.load(laptop.session_id) is None
    with pytest.raises(ServiceError) as err:
        password_resets.complete(token, new="et-tredje-passord-her", repeated="et-tredje-passord-her")
    assert err.value.code == "invalid_link"
    assert facilitators.authenticate("kari@example.no", NEW) is kari


def test_an_expired_link_is_refused(app: Flask, kari: Facilitator) -> None:
    found = password_resets.request_link("kari@example.no")
    assert found is not None
    later = utcnow() + password_resets.LIFETIME + timedelta(seconds=1)
    with pytest.raises(ServiceError):
        password_resets.check(found[1], now=later)
    with pytest.raises(ServiceError):
        password_resets.complete(found[1], new=NEW, repeated=NEW, now=later)
    assert facilitators.authenticate("kari@example.no", PASSWORD) is kari


def test_setting_a_password_voids_the_other_open_links(app: Flask, kari: Facilitator) -> None:
    first = password_resets.request_link("kari@example.no")
    second = password_resets.request_link("kari@example.no")
    assert first and second
    password_resets.complete(second[1], new=NEW, repeated=NEW)
    with pytest.raises(ServiceError):
        password_resets.check(first[1])


@pytest.mark.parametrize(
    ("new", "repeated", "code"),
    [("kort", "kort", "weak"), (NEW, NEW + "x", "mismatch"), ("password12345", "password12345", "common")],
)
def test_a_bad_new_password_changes_nothing_and_the_link_stays(
    app: Flask, kari: Facilitator, new: str, repeated: str, code: str
) -> None:
    found = password_resets.request_link("kari@example.no")
    assert found
    with pytest.raises(ServiceError) as err:
        password_resets.complete(found[1], new=new, repeated=repeated)
    assert err.value.code == code
    assert password_resets.check(found[1]) is kari
    assert facilitators.authenticate("kari@example.no", PASSWORD) is kari


@pytest.mark.parametrize("token", ["", "x", "a" * 500, "../../etc"])
def test_made_up_links_are_refused(app: Flask, kari: Facilitator, token: str) -> None:
    with pytest.raises(ServiceError):
        password_resets.check(token)


def _ask(app: Flask, email: str) -> str:
    client = fresh_client(app)
    csrf = (
        client.get("/login/forgot").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    )
    r = client.post(
        "/login/forgot", data={"email": email, "csrf_token": csrf}, headers={"Accept-Language": "nb"}
    )
    assert r.status_code == 200
    return r.get_data(as_text=True).replace(csrf, "CSRF")


def test_the_answer_is_the_same_whether_or_not_the_address_exists(app: Flask, kari: Facilitator) -> None:
    with smtp_server() as (box, config):
        app.config.update(config)
        known = _ask(app, "kari@example.no")
        unknown = _ask(app, "ukjent@example.no")
        (msg,) = box.wait(1)
    assert known == unknown
    assert "på vei" in known
    assert msg["To"] == "kari@example.no"
    assert re.search(r"http://\S+/login/reset/\S+", msg.get_content())


def test_without_smtp_the_page_points_to_the_operator_command(app: Flask, kari: Facilitator) -> None:
    known = _ask(app, "kari@example.no")
    assert known == _ask(app, "ukjent@example.no")
    assert "confapp reset-link" in known


def test_the_cli_prints_a_working_link(tmp_path: Path) -> None:
    server = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'cli.sqlite'}")
    create_facilitator(server, email="kari@example.no", password=PASSWORD)
    out = server.cli("reset-link", "kari@example.no", "--base-url", "https://konferanse.kommune.no")
    link = re.search(r"https://konferanse\.kommune\.no/login/reset/(\S+)", out)
    assert link, out
    refused = server.cli_result("reset-link", "ukjent@example.no")
    assert refused.returncode != 0 and "No facilitator account" in refused.stderr


def test_browser_forgot_mail_link_new_password_login(
    browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    """Chromium: "Glemt passord?", the mail arrives at a real SMTP server, the link sets a password once."""
    with smtp_server() as (box, config):
        env = {f"CONFAPP_{k}": str(v).lower() if isinstance(v, bool) else str(v) for k, v in config.items()}
        server = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite'}", env=env).start()
        try:
            create_facilitator(server, email="kari@example.no", password=PASSWORD)
            page = browser.new_page(locale="nb-NO")
            page.goto(server.url + "/login")
            page.get_by_role("link", name="Glemt passord?").click()
            page.fill("#email", "kari@example.no")
            page.click("#forgot-submit")
            expect(page.locator("#forgot-sent")).to_be_visible()
            shot(page, artifacts, "reset-1-asked")
            (msg,) = box.wait(1)
            link = re.search(r"http://\S+/login/reset/\S+", msg.get_content())
            assert link
            page.goto(link.group(0))
            page.fill("#new_password", NEW)
            page.fill("#new_password2", NEW)
            shot(page, artifacts, "reset-2-form")
            page.click("#reset-submit")
            page.wait_for_url(server.url + "/login")
            shot(page, artifacts, "reset-3-done")
            login(page, server.url, "kari@example.no", NEW)
            page.goto(link.group(0))
            expect(page.locator("#reset-dead")).to_contain_text("brukt")
            shot(page, artifacts, "reset-4-used")
            page.close()
        finally:
            server.stop()
