"""The group-proposal screen in real Chromium: engine summary, strategy, drag with pins, table cards,
who-sits-where on the projector, and a late arrival who gets a table at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from support import (
    PHONE,
    Api,
    Conference,
    LiveServer,
    Watch,
    create_facilitator,
    drag,
    login,
    shot,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROLES = [
    "Lærer",
    "Lærer",
    "Lærer",
    "Lærer",
    "Assistent",
    "Assistent",
    "Helsesykepleier",
    "PPT-rådgiver",
    "Miljøterapeut",
    "Sosiallærer",
    "Lærer",
    "Rektor",
]


def tables(api: Api, conf: Conference, round_id: int) -> dict[int, list[int]]:
    return {
        g["number"]: [m["id"] for m in g["members"]] for g in api.get(conf.path(f"/rounds/{round_id}/groups"))
    }


def test_proposal_drag_pins_cards_and_late_arrival(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    token = create_facilitator(server, "ordstyrer@example.no", "hemmelig-passord")
    api = Api(server.url, token)
    conf = Conference(server, api, title="Dialogkonferanse 2 – Eksempel kommune")
    ids = [conf.join(f"Deltaker {i + 1}", role) for i, role in enumerate(ROLES)]
    rnd = conf.group_round(1)
    watch = Watch()

    fac = watch.page(browser.new_context(viewport={"width": 1400, "height": 1100}))
    login(fac, server.url, "ordstyrer@example.no", "hemmelig-passord")
    fac.goto(f"{server.url}/c/{conf.id}")
    fac.locator(f".agenda li[data-round-id='{rnd['id']}'] .select-round").click()
    fac.select_option("#strategy", "mixed")
    fac.fill("#group-size", "4")
    fac.click("#propose")
    expect(fac.locator("#tables .table-card[data-group-id]")).to_have_count(3)
    # The engine's own summary, in bokmål: 12 people, 5+ roles, round 1 has no history.
    expect(fac.locator("#group-summary")).to_contain_text("0 gjentatte par")
    expect(fac.locator("#group-summary")).to_contain_text("hver gruppe har minst")
    shot(fac, artifacts, "grouping-proposal")

    # Drag one person to table 2: the server moves them and pins them.
    before = tables(api, conf, rnd["id"])
    moved = before[1][0]
    drag(fac, f"#tables li[data-pid='{moved}']", "#tables .table-card[data-number='2'] .member-list")
    expect(fac.locator(f".table-card[data-number='2'] li.pinned[data-pid='{moved}']")).to_be_visible()
    assert moved in tables(api, conf, rnd["id"])[2]
    # A new proposal keeps the pinned person at table 2 (sizes stay within one).
    fac.click("#propose")
    expect(fac.locator(f".table-card[data-number='2'] li.pinned[data-pid='{moved}']")).to_be_visible()

    def sizes() -> list[int]:
        return sorted(len(v) for v in tables(api, conf, rnd["id"]).values())

    # The page showed the pinned card before the click too: the new proposal is seen on the server.
    wait_until(lambda: sizes()[-1] - sizes()[0] <= 1, f"the sizes stay within one: {sizes()}")
    after = tables(api, conf, rnd["id"])
    assert moved in after[2]
    assert sum(len(v) for v in after.values()) == 12
    # Unpin with the pin button.
    fac.locator(f"li[data-pid='{moved}'] button.pin").click()
    expect(fac.locator(f"li[data-pid='{moved}']")).not_to_have_class("pinned")
    expect(fac.locator(f"li[data-pid='{moved}'] button.pin")).to_have_attribute("aria-pressed", "false")

    # Publish: the projector lists who sits where before the round starts.
    projector = watch.page(browser.new_context(viewport={"width": 1600, "height": 900}))
    projector.goto(api.get(conf.path())["projector_url"])
    fac.click("#publish")
    expect(projector.locator("#who-sits-where section")).to_have_count(3)
    for number, members in tables(api, conf, rnd["id"]).items():
        names = [f"Deltaker {ids.index(pid) + 1}" for pid in members]
        for name in names:
            expect(projector.locator(f"#who-sits-where section[data-number='{number}']")).to_contain_text(
                name
            )
    shot(projector, artifacts, "grouping-projector-who-sits-where")

    # Printable table cards: one page per table, each with the join QR code.
    with fac.expect_popup() as popup:
        fac.click("#table-cards")
    cards = popup.value
    cards.on("pageerror", lambda exc: watch.errors.append(f"cards: {exc}"))
    expect(cards.locator(".table-page")).to_have_count(3)
    expect(cards.locator(".table-page img")).to_have_count(3)
    shot(cards, artifacts, "grouping-table-cards")

    # Start the round; a late arrival joins from a phone and gets a table at once.
    fac.click("#start-round")
    late = watch.page(browser.new_context(**PHONE))
    late.goto(f"{server.url}/j/{conf.code}")
    late.fill("#name", "Sen Ankomst")
    late.fill("#role", "Barnevernspedagog")
    late.click("#join-form button[type=submit]")
    expect(late.locator("#my-table .table-no")).to_be_visible()
    expect(late.locator("#question")).to_have_text(rnd["question"])
    final = tables(api, conf, rnd["id"])
    late_id = next(p["id"] for p in api.get(conf.path("/participants")) if p["name"] == "Sen Ankomst")
    number = next(n for n, members in final.items() if late_id in members)
    expect(late.locator("#my-table .table-no")).to_contain_text(str(number))
    assert sorted(len(v) for v in final.values()) == [4, 4, 5], "placed without reshuffling anyone"
    for n, members in after.items():
        assert set(members) <= set(final[n]), "nobody else moved"
    expect(fac.locator(f".table-card[data-number='{number}'] li[data-pid='{late_id}']")).to_be_visible()
    shot(late, artifacts, "grouping-late-arrival-phone")
    shot(fac, artifacts, "grouping-console-running")
    assert watch.errors == [], watch.errors
