"""Invitations: a link for one address to create its account; it expires, can be revoked and works once.
`confapp invite` prints it and mails it (a real aiosmtpd server); Chromium accepts it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from flask import Flask
from playwright.sync_api import Browser, expect
from smtp_box import smtp_server
from support import LiveServer, login, shot

from confapp.errors import ServiceError
from confapp.models import utcnow
from confapp.services import (
    conferences,
    external_logins,
    facilitators,
    invitations,
    memberships,
    organisations,
)

PASSWORD = "et-langt-passord-for-test"


def test_an_invitation_creates_the_account_once(app: Flask) -> None:
    _inv, token = invitations.create(" Per@Example.no ")
    f = invitations.accept_with_password(token, name="Per", password=PASSWORD, repeated=PASSWORD)
    assert f.email == "per@example.no"
    assert facilitators.authenticate("per@example.no", PASSWORD) is not None
    with pytest.raises(ServiceError) as err:
        invitations.accept_with_password(token, name="Per 2", password=PASSWORD, repeated=PASSWORD)
    assert err.value.code == "invalid_invitation"


def test_expired_and_revoked_invitations_are_refused(app: Flask) -> None:
    _inv, old = invitations.create("per@example.no")
    with pytest.raises(ServiceError):
        invitations.check(old, now=utcnow() + invitations.LIFETIME + timedelta(seconds=1))
    assert invitations.revoke("PER@example.no") == 1
    with pytest.raises(ServiceError):
        invitations.accept_with_password(old, name="Per", password=PASSWORD, repeated=PASSWORD)
    assert not facilitators.any_exist()


def test_a_new_invitation_replaces_the_open_one(app: Flask) -> None:
    _inv, first = invitations.create("per@example.no")
    _inv, second = invitations.create("per@example.no")
    with pytest.raises(ServiceError):
        invitations.check(first)
    assert invitations.check(second).email == "per@example.no"


@pytest.mark.parametrize(
    ("email", "role", "code"),
    [("ikke-en-adresse", "facilitator", "invalid"), ("per@example.no", "admin", "invalid_role")],
)
def test_bad_invitations_are_refused(app: Flask, email: str, role: str, code: str) -> None:
    with pytest.raises(ServiceError) as err:
        invitations.create(email, role=role)
    assert err.value.code == code


def test_no_invitation_for_an_existing_account(app: Flask) -> None:
    facilitators.create(email="per@example.no", name="Per", password=PASSWORD)
    with pytest.raises(ServiceError) as err:
        invitations.create("per@example.no")
    assert err.value.code == "exists"


def test_a_bad_password_keeps_the_invitation_open(app: Flask) -> None:
    _inv, token = invitations.create("per@example.no")
    with pytest.raises(ServiceError):
        invitations.accept_with_password(token, name="Per", password="kort", repeated="kort")
    assert invitations.check(token)
    assert not facilitators.any_exist()


def test_a_first_feide_login_accepts_an_open_invitation(app: Flask) -> None:
    _inv, token = invitations.create("per@example.no")
    f = external_logins.account_for(
        issuer="https://idp.example",
        subject="s-per",
        email="per@example.no",
        email_verified=True,
        name="Per P",
    )
    assert (f.email, f.name) == ("per@example.no", "Per P")
    with pytest.raises(ServiceError):
        invitations.check(token)
    again = external_logins.account_for(
        issuer="https://idp.example", subject="s-per", email="per@example.no", email_verified=True
    )
    assert again.id == f.id


@pytest.mark.browser
def test_cli_invite_mails_the_link_and_chromium_accepts_it(
    browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    with smtp_server() as (box, config):
        env = {f"CONFAPP_{k}": str(v).lower() if isinstance(v, bool) else str(v) for k, v in config.items()}
        server = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite'}", env=env)
        out = server.cli("invite", "per@example.no", "--role", "facilitator", "--base-url", server.url)
        printed = re.search(r"http://\S+/invitation/\S+", out)
        (msg,) = box.wait(1)
        assert printed and printed.group(0) in msg.get_content() and msg["To"] == "per@example.no"
        server.start()
        try:
            page = browser.new_page(locale="nb-NO")
            page.goto(printed.group(0))
            page.fill("#name", "Per Pedersen")
            page.fill("#password", PASSWORD)
            page.fill("#password2", PASSWORD)
            shot(page, artifacts, "invitation-1-form")
            page.click("#invitation-submit")
            page.wait_for_url(server.url + "/")
            expect(page.get_by_text("Per Pedersen")).to_be_visible()
            shot(page, artifacts, "invitation-2-welcome")
            page.close()
            assert requests.get(printed.group(0), timeout=10).status_code == 410  # used
            _other = server.cli("invite", "ola@example.no", "--base-url", server.url)
            server.cli("invite", "ola@example.no", "--revoke")
            revoked = re.search(r"http://\S+/invitation/\S+", _other)
            assert revoked and requests.get(revoked.group(0), timeout=10).status_code == 410
        finally:
            server.stop()


def test_invitations_for_every_role_make_the_membership(app: Flask) -> None:
    """Each role's invitation, accepted by password or by a first Feide login, gives exactly that role."""
    owner = facilitators.create(email="eier@example.no", name="Eier", password=PASSWORD)
    org = organisations.default()
    assert memberships.role_of(owner, org) == "administrator"  # the first account administers
    for role in memberships.ROLES:
        _inv, token = invitations.create(f"{role}@example.no", role=role, by=owner)
        f = invitations.accept_with_password(token, name=role, password=PASSWORD, repeated=PASSWORD)
        assert memberships.role_of(f, org) == role
    invitations.create("feide@example.no", role="steering_group", by=owner)
    f = external_logins.account_for(
        issuer="https://idp.example", subject="s-1", email="feide@example.no", email_verified=True
    )
    assert memberships.role_of(f, org) == "steering_group"
    viewer = facilitators.authenticate("viewer@example.no", PASSWORD)
    with pytest.raises(ServiceError) as err:  # only administrators invite
        invitations.create("ny@example.no", role="viewer", by=viewer)
    assert err.value.code == "forbidden"
    assert invitations.open_of(org) == []


def test_a_co_facilitator_with_an_account_accepts_logged_in(app: Flask) -> None:
    owner = facilitators.create(email="eier@example.no", name="Eier", password=PASSWORD)
    colleague = facilitators.create(email="kollega@example.no", name="Kollega", password=PASSWORD)
    conf = conferences.create_conference(owner, title="DK1")
    with pytest.raises(ServiceError):  # a stranger to the conference cannot invite to it
        invitations.create("x@example.no", role="co_facilitator", by=colleague, conference=conf)
    _inv, token = invitations.create("kollega@example.no", role="co_facilitator", by=owner, conference=conf)
    with pytest.raises(ServiceError) as err:
        invitations.accept_as(token, owner)
    assert err.value.code == "wrong_account"
    invitations.accept_as(token, colleague)
    assert colleague in conf.facilitators and memberships.can(colleague, "conference.run", conf)


@pytest.mark.browser
def test_the_administrator_invites_a_steering_group_member_in_chromium(
    browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    """Members page: invite with a role, the link shown to copy and mailed (aiosmtpd); Chromium accepts it
    in another browser, and the new member has the steering group's pages, not the facilitator's."""
    with smtp_server() as (box, config):
        env = {f"CONFAPP_{k}": str(v).lower() if isinstance(v, bool) else str(v) for k, v in config.items()}
        server = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite'}", env=env)
        server.cli(
            "create-facilitator", "--email", "rektor@example.no", "--name", "Rektor", "--password", PASSWORD
        )
        server.start()
        try:
            admin = browser.new_page(locale="nb-NO")
            login(admin, server.url, "rektor@example.no", PASSWORD)
            admin.click("#members-link")
            admin.fill("#invite-email", "styre@example.no")
            admin.select_option("#invite-role", "steering_group")
            admin.click("#invite-submit")
            link = admin.input_value("#invitation-link")
            expect(admin.locator("#invitation-mailed")).to_contain_text("e-post")
            expect(admin.locator("#invitation-table")).to_contain_text("styre@example.no")
            shot(admin, artifacts, "roles-1-members-invited")
            (msg,) = box.wait(1)
            assert msg["To"] == "styre@example.no" and link in msg.get_content()
            assert "Medlem av styringsgruppen" in msg.get_content()

            guest = browser.new_context(locale="nb-NO").new_page()
            guest.goto(link)
            expect(guest.locator("#invitation-role")).to_contain_text("Medlem av styringsgruppen")
            guest.fill("#name", "Styreleder")
            guest.fill("#password", PASSWORD)
            guest.fill("#password2", PASSWORD)
            guest.click("#invitation-submit")
            guest.wait_for_url(server.url + "/")
            expect(guest.locator("#measures-link")).to_be_visible()
            expect(guest.locator("#new-conference")).to_have_count(0)  # the steering group starts none
            expect(guest.locator("#members-link")).to_have_count(0)
            shot(guest, artifacts, "roles-2-steering-dashboard")
            assert requests.get(link, timeout=10).status_code == 410

            admin.goto(server.url + "/organisation/members")
            expect(admin.locator("#member-table")).to_contain_text("Styreleder")
            expect(admin.locator("#invitation-table")).to_have_count(0)
            shot(admin, artifacts, "roles-3-members")
        finally:
            server.stop()


def test_cli_invites_with_every_role_and_refuses_bad_ones(tmp_path: Path) -> None:
    """`confapp invite EMAIL --role ROLE [--organisation ID | --conference ID]` prints a link that gives
    that role; an unknown organisation or a co-facilitator without a conference is refused."""
    db_file = tmp_path / "cli.sqlite"
    server = LiveServer(tmp_path, f"sqlite:///{db_file}")
    server.cli(
        "create-facilitator", "--email", "rektor@example.no", "--name", "Rektor", "--password", PASSWORD
    )
    tokens = {}
    for role in ("administrator", "facilitator", "steering_group", "coordinator", "viewer"):
        out = server.cli(
            "invite", f"{role}@example.no", "--role", role, "--organisation", "1", "--base-url", server.url
        )
        found = re.search(r"/invitation/(\S+)", out)
        assert found and f"({role})" in out, out
        tokens[role] = found.group(1)
    for args, message in (
        (["--role", "viewer", "--organisation", "99"], "No organisation with id 99"),
        (["--role", "co_facilitator"], "one conference"),
        (["--role", "sjef"], "Invalid value for '--role'"),
    ):
        result = server.cli_result("invite", "ny@example.no", *args)
        assert result.returncode != 0 and message in result.stderr + result.stdout, (args, result.stderr)
    from confapp import create_app, db

    app = create_app({"DATABASE_URL": f"sqlite:///{db_file}", "SECRET_KEY": "x" * 40, "TESTING": True})
    with app.app_context():
        org = organisations.default()
        for role, token in tokens.items():
            f = invitations.accept_with_password(token, name=role, password=PASSWORD, repeated=PASSWORD)
            assert memberships.role_of(f, org) == role
        db.session.remove()
