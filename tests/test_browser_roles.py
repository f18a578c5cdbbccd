"""Each role's pages in Chromium: a measure in its trial as the steering group, its coordinator, a viewer
and a co-facilitator see it, and the conference as a viewer sees it. Screenshots in test-artifacts/.

The people and the measure are made in-process with the services, on the SQLite file a real server
process then serves (the same accounts a person would get by accepting invitations).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from a11y import axe_violations, describe
from flask import Flask
from playwright.sync_api import Browser, expect
from support import LiveServer, Watch, login, shot

from confapp import db
from confapp.models import Conference, Facilitator, Measure
from confapp.services import conferences, facilitators, invitations, memberships

PASSWORD = "testpassord-123"
ROLES = ["steering_group", "coordinator", "viewer", "co_facilitator"]


def _world(app: Flask) -> dict[str, Any]:
    owner = facilitators.create(email="eier@example.no", name="Eier Rektor", password=PASSWORD)
    conf = conferences.create_conference(owner, title="Dialogkonferanse høst", template="dk1_school")
    token = facilitators.issue_api_token(owner)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    cluster = client.post(
        f"/api/v1/conferences/{conf.id}/clusters", json={"title": "Lesing"}, headers=headers
    )
    made = client.post(
        f"/api/v1/conferences/{conf.id}/clusters/{cluster.get_json()['id']}/initiative", headers=headers
    )
    measure_id = made.get_json()["initiative"]["id"]
    people: dict[str, Facilitator] = {}
    for role in ROLES:
        _inv, link = invitations.create(
            f"{role}@example.no", role=role, by=owner, conference=conf if role == "co_facilitator" else None
        )
        people[role] = invitations.accept_with_password(
            link, name=role.replace("_", " ").title(), password=PASSWORD, repeated=PASSWORD
        )
    m = db.get(Measure, measure_id)
    memberships.coordinate(people["steering_group"], m, people["coordinator"].id)
    with db.transaction():  # in its trial: a status step, the evaluation and the log links are on offer
        m.status = "in_trial"
    assert db.get(Conference, conf.id) is not None
    return {"conf": conf.id, "measure": measure_id}


@pytest.mark.browser
def test_each_role_sees_only_its_controls(
    app: Flask, browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    w = _world(app)
    server = LiveServer(tmp_path, app.config["DATABASE_URL"]).start()
    try:
        watch = Watch()
        for role in ROLES:
            page = watch.page(
                browser.new_context(locale="nb-NO", viewport={"width": 1200, "height": 900}, bypass_csp=True)
            )
            login(page, server.url, f"{role}@example.no", PASSWORD)
            page.goto(f"{server.url}/measures/{w['measure']}")
            expect(page.locator("h1")).to_have_text("Lesing")
            decides = role in ("steering_group", "co_facilitator")
            expect(page.locator("#next-step")).to_have_count(1 if decides else 0)
            expect(page.locator("#log-links")).to_have_count(1 if decides else 0)
            expect(page.locator("#evaluation")).to_have_count(0 if role == "viewer" else 1)
            expect(page.locator("#edit-plan")).to_have_count(1 if role == "co_facilitator" else 0)
            shot(page, artifacts, f"roles-measure-{role}")
            if role == "viewer":
                page.goto(f"{server.url}/c/{w['conf']}")
                expect(page.locator("#read-only-notice")).to_contain_text("Rollen din lar deg lese")
                expect(page.locator("#read-agenda li")).to_have_count(4)
                expect(page.locator("#finish")).to_have_count(0)
                shot(page, artifacts, "roles-conference-viewer")
                assert axe_violations(page) == [], describe(axe_violations(page))
                page.goto(f"{server.url}/measures")
                expect(page.locator("#public-status-link")).to_be_visible()
            if role == "coordinator":
                page.goto(f"{server.url}/measures")
                expect(page.locator("#measure-table")).to_contain_text("Lesing")
                expect(page.locator("#public-status-link")).to_have_count(0)
                expect(page.locator("#calendar-feed")).to_have_count(0)
                shot(page, artifacts, "roles-measures-coordinator")
            page.context.close()
        assert watch.errors == []
    finally:
        server.stop()
