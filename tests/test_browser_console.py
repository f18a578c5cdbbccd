"""The console in real Chromium: the start preview, a late arrival seated at start, the 30-second undo,
and delete behind a typed confirmation (hidden until the conference is finished).

Screenshots land in test-artifacts/console-*.png (look at them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from support import Api, Conference, LiveServer, Watch, create_facilitator, login, shot

pytestmark = [pytest.mark.browser]

TITLE = "Dialogkonferanse vår – Prøveskolen"
ROLES = ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier"]


def test_console_previews_undoes_and_asks_for_the_title(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    api = Api(server.url, create_facilitator(server))
    conf = Conference(server, api, title=TITLE)
    for i in range(6):
        conf.join(f"Deltaker {i + 1}", ROLES[i % len(ROLES)])
    first = conf.group_round(1)
    watch = Watch()
    fac = watch.page(browser.new_context(viewport={"width": 1400, "height": 1000}))
    login(fac, server.url, "ordstyrer@example.no", "hemmelig-passord")
    fac.goto(f"{server.url}/c/{conf.id}")
    expect(fac.locator("#status")).to_have_text("Tilkoblet")

    # Delete and anonymise are not offered while the conference runs (the `hidden` attribute holds).
    expect(fac.locator("#delete-conference")).to_be_hidden()
    expect(fac.locator("#anonymise")).to_be_hidden()

    # 1. "Start this round" without tables proposes them and asks first; nothing has started.
    fac.fill("#group-size", "3")
    fac.click("#start-round")
    expect(fac.locator("#start-preview")).to_be_visible()
    expect(fac.locator("#tables .table-card[data-group-id]")).to_have_count(2)
    expect(fac.locator("#group-summary")).to_contain_text("par")  # the engine's summary
    expect(fac.locator("#start-round")).to_have_count(0)
    state = api.get(conf.path(f"/rounds/{first['id']}/groups"))
    assert len(state) == 2
    assert [r for r in api.get(conf.path())["rounds"] if r["id"] == first["id"]][0]["state"] == "pending"

    # 2. Someone joins while the tables are a draft: they wait "without a table" ...
    kari = conf.join("Kari Sein", "Lærer")
    expect(fac.locator(f"#unseated li[data-pid='{kari}']")).to_be_visible()
    shot(fac, artifacts, "console-start-preview")

    # ... and are seated when the facilitator confirms; the console says where.
    fac.click("#confirm-start")
    expect(fac.locator("#notice")).to_contain_text(re.compile(r"Kari Sein ble satt ved bord [12]"))
    tables = api.get(conf.path(f"/rounds/{first['id']}/groups"))
    where = next(g["number"] for g in tables if any(m["id"] == kari for m in g["members"]))
    expect(fac.locator("#notice")).to_have_text(f"Kari Sein ble satt ved bord {where}")
    expect(fac.locator(f"#tables .table-card[data-number='{where}'] li[data-pid='{kari}']")).to_be_visible()
    expect(fac.locator(".agenda li.active")).to_contain_text("Pågår")

    # 3. The start can be undone for 30 seconds: a visible "Angre" with a countdown.
    expect(fac.locator("#undo-bar")).to_be_visible()
    expect(fac.locator("#undo-phase")).to_have_text(re.compile(r"^Angre \(\d{1,2} s\)$"))
    shot(fac, artifacts, "console-undo-offered")
    fac.click("#undo-phase")
    expect(fac.locator("#undo-bar")).to_be_hidden()
    expect(fac.locator(".agenda li.active")).to_have_count(0)
    after = api.get(conf.path())
    assert after["conference"]["status"] == "draft"
    assert [r["state"] for r in after["rounds"]] == ["pending"] * 4
    shot(fac, artifacts, "console-undone")

    # The tables stay announced, so the next start needs no preview.
    fac.click("#start-round")
    expect(fac.locator(".agenda li.active")).to_contain_text("Pågår")
    conf.start(conf.plenary_round(1))
    fac.click("#finish")  # Watch accepts the confirm() dialog
    # 4. Finished: delete appears (only then: the undo bar was already showing for the round's start),
    # and works only after the title is typed.
    expect(fac.locator("#delete-conference")).to_be_visible()
    expect(fac.locator("#undo-bar")).to_be_visible()
    assert api.get(conf.path())["conference"]["status"] == "finished"
    fac.click("#delete-conference")
    expect(fac.locator("#typed-confirm")).to_be_visible()
    expect(fac.locator("#typed-confirm-label")).to_contain_text(TITLE)
    expect(fac.locator("#typed-confirm-go")).to_be_disabled()
    fac.fill("#typed-confirm-input", "Dialogkonferanse")
    expect(fac.locator("#typed-confirm-go")).to_be_disabled()
    fac.fill("#typed-confirm-input", TITLE)
    expect(fac.locator("#typed-confirm-go")).to_be_enabled()
    shot(fac, artifacts, "console-typed-confirm")
    fac.click("#typed-confirm-go")
    fac.wait_for_url(server.url + "/")
    api.get(conf.path(), expect=404)
    assert watch.errors == [], watch.errors
