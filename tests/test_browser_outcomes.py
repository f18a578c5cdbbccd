"""Participants see what became of their points: an initiative grown from their table's bullets."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from support import PHONE, Api, Conference, LiveServer, Watch, shot

pytestmark = [pytest.mark.browser]


def test_phone_shows_initiatives_grown_from_its_tables_points(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api, title="Hva ble det av det?")
    page = Watch().page(browser.new_context(**PHONE))
    page.goto(f"{server.url}/j/{conf.code}")
    page.fill("#name", "Deltaker Ved Bord")
    page.click("#join-form button[type=submit]")
    expect(page.locator("#phone")).to_be_visible()
    me = next(p["id"] for p in facilitator_api.get(conf.path("/participants")))
    others = [conf.join(f"Annen {i}", "Lærer") for i in range(3)]
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, 2)
    conf.start(rnd)
    mine = next(g for g in groups if me in [m["id"] for m in g["members"]])
    other = next(g for g in groups if g["id"] != mine["id"])
    reporters = {}
    for g in groups:  # a table-mate with an API phone reports, so this phone just watches
        reporters[g["id"]] = next(m["id"] for m in g["members"] if m["id"] != me)
        facilitator_api.put(conf.path(f"/groups/{g['id']}/reporter"), {"participant_id": reporters[g["id"]]})
    ours = conf.post(reporters[mine["id"]], mine["id"], "Faste møter med helsesykepleier")
    theirs = conf.post(reporters[other["id"]], other["id"], "Et punkt fra et annet bord")
    conf.start(conf.plenary_round(1))
    a = facilitator_api.post(
        conf.path("/clusters"), {"title": "Møtepunkter", "bullet_ids": [ours["id"]]}, expect=201
    )
    b = facilitator_api.post(
        conf.path("/clusters"), {"title": "Annet", "bullet_ids": [theirs["id"]]}, expect=201
    )
    measure = facilitator_api.post(conf.path(f"/clusters/{a['id']}/initiative"), expect=201)["initiative"]
    facilitator_api.post(conf.path(f"/clusters/{b['id']}/initiative"), expect=201)
    expect(page.locator("#outcomes")).to_contain_text("Møtepunkter")
    expect(page.locator("#outcomes")).to_contain_text("Faste møter med helsesykepleier")
    expect(page.locator("#outcomes")).not_to_contain_text("Annet")
    assert len(others) == 3
    shot(page, artifacts, "phone-outcomes")

    # After the conference the steering group moves the measure on; the same phone follows it.
    facilitator_api.post(conf.path("/finish"))
    for step in (
        {"to": "concretised"},
        {"to": "decided", "decided_on": "2027-01-10", "decision_note": "Vedtatt"},
        {"to": "in_trial", "trial_start": "2027-01-15", "trial_end": "2027-06-15"},
    ):
        facilitator_api.post(f"/measures/{measure['id']}/status", step)
    expect(page.locator("#outcomes")).to_contain_text("Under utprøving")
    page.reload()
    expect(page.locator("#outcomes")).to_contain_text("Under utprøving")
    shot(page, artifacts, "phone-outcomes-measure-in-trial")
