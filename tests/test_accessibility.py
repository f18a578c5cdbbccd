"""axe-core finds no violation, of any impact, in any page state a user meets.

One live conference is walked through every state, from the first-run setup to the finished conference
with its board, initiative form and the phones' "what became of our points". Each state is checked in real
Chromium with the vendored axe-core (tests/vendor/axe-core) and screenshotted as `a11y-<state>.png`.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from a11y import axe_violations, describe
from playwright.sync_api import Browser, Page, expect
from support import PHONE, Api, Conference, LiveServer, Watch, create_facilitator, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EMAIL, PASSWORD = "ordstyrer@example.no", "hemmelig-passord-123"
LAPTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 768}, "bypass_csp": True}
PROJECTOR: dict[str, Any] = {"viewport": {"width": 1920, "height": 1080}, "bypass_csp": True}
MOBILE: dict[str, Any] = {**PHONE, "bypass_csp": True}


class Audit:
    """Checks page states and gathers every violation, so one run shows them all."""

    def __init__(self, artifacts: Path) -> None:
        self.artifacts = artifacts
        self.found: dict[str, list[dict[str, Any]]] = {}
        self.checked: list[str] = []

    def check(self, page: Page, state: str) -> None:
        page.wait_for_load_state("networkidle")
        shot(page, self.artifacts, f"a11y-{state}")
        self.checked.append(state)
        violations = axe_violations(page)
        if violations:
            self.found[state] = violations

    def assert_clean(self) -> None:
        report = "\n".join(f"{state}:\n{describe(v)}" for state, v in self.found.items())
        assert not self.found, f"axe violations in {len(self.found)} of {len(self.checked)} states:\n{report}"


def test_every_page_state_passes_axe(server: LiveServer, browser: Browser, artifacts: Path) -> None:
    audit = Audit(artifacts)
    watch = Watch()
    fac = watch.page(browser.new_context(**LAPTOP))

    # --- first run, login, dashboard, account ---
    fac.goto(server.url + "/setup")
    audit.check(fac, "setup")
    token = create_facilitator(server, EMAIL, PASSWORD)
    api = Api(server.url, token)
    fac.goto(server.url + "/login")
    audit.check(fac, "login")
    login(fac, server.url, EMAIL, PASSWORD)
    audit.check(fac, "dashboard")
    fac.goto(server.url + "/account")
    audit.check(fac, "account")
    fac.goto(server.url + "/c/new")
    audit.check(fac, "new-conference")

    # --- a conference with an imported list; the console and its screens before anyone joins ---
    conf = Conference(server, api, title="Tilgjengelighetskonferanse")
    csv = "navn;rolle;enhet;trinn\n" + "\n".join(
        f"Importert Person {i};{['Lærer', 'Assistent', 'Helsesykepleier'][i % 3]};Skole;{1 + i % 7}"
        for i in range(1, 7)
    )
    api.call("POST", conf.path("/participants/import"), data=csv.encode(), expect=201,
             headers={"Content-Type": "text/csv"})  # fmt: skip
    detail = api.get(conf.path())
    fac.goto(f"{server.url}/c/{conf.id}/edit")
    audit.check(fac, "conference-edit")
    fac.goto(f"{server.url}/c/{conf.id}")
    expect(fac.locator("#join-code")).to_be_visible()
    audit.check(fac, "console-prepared")
    fac.goto(f"{server.url}/c/{conf.id}/qr")
    audit.check(fac, "qr-poster")
    projector = watch.page(browser.new_context(**PROJECTOR))
    projector.goto(detail["projector_url"])
    audit.check(projector, "projector-lobby")

    # --- phones: the join page, the name picker, joined and waiting ---
    phone = watch.page(browser.new_context(**MOBILE))
    phone.goto(f"{server.url}/j")
    audit.check(phone, "phone-code-entry")
    phone.goto(f"{server.url}/j/{conf.code}")
    audit.check(phone, "phone-join")
    phone.fill("#name", "Tilgjengelig Testperson")
    phone.fill("#role", "Lærer")
    phone.click("#join-form button[type=submit]")
    expect(phone.locator("#phone")).to_be_visible()
    audit.check(phone, "phone-waiting")
    others = [conf.join(f"Annen Deltaker {i}", ["Lærer", "Assistent"][i % 2]) for i in range(5)]
    me = next(p["id"] for p in api.get(conf.path("/participants")) if p["name"] == "Tilgjengelig Testperson")

    # --- round 1: tables, a running round for a member and for the reporter ---
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, 3)
    api.post(conf.path(f"/rounds/{rnd['id']}/groups/publish"))
    fac.goto(f"{server.url}/c/{conf.id}")
    audit.check(fac, "console-tables")
    fac.goto(f"{server.url}/c/{conf.id}/rounds/{rnd['id']}/cards")
    audit.check(fac, "table-cards")
    audit.check(projector, "projector-seating")
    conf.start(rnd)
    groups = api.get(conf.path(f"/rounds/{rnd['id']}/groups"))
    mine = next(g for g in groups if me in [m["id"] for m in g["members"]])
    mate = next(m["id"] for m in mine["members"] if m["id"] != me)
    api.put(conf.path(f"/groups/{mine['id']}/reporter"), {"participant_id": mate})
    phone.reload()
    expect(phone.locator("#phone")).to_be_visible()
    audit.check(phone, "phone-member-in-round")
    api.put(conf.path(f"/groups/{mine['id']}/reporter"), {"participant_id": me})
    phone.reload()
    expect(phone.locator("textarea").first).to_be_visible()
    audit.check(phone, "phone-reporter-in-round")
    for g in groups:
        reporter = me if g["id"] == mine["id"] else g["members"][0]["id"]
        if reporter != me:
            api.put(conf.path(f"/groups/{g['id']}/reporter"), {"participant_id": reporter})
            conf.post(reporter, g["id"], "Faste samarbeidsmøter mellom lærer og helsesykepleier")
    phone.locator("textarea").first.fill("Felles plan for overganger mellom trinn")
    phone.locator("form button[type=submit]").first.click()
    expect(phone.locator("#view")).to_contain_text("Felles plan for overganger")
    audit.check(phone, "phone-reporter-with-points")
    fac.goto(f"{server.url}/c/{conf.id}")
    audit.check(fac, "console-round-running")
    audit.check(projector, "projector-group-round")

    # --- plenary ---
    conf.start(conf.plenary_round(1))
    api.put(conf.path("/focus"), {"group_number": 1})
    api.post(conf.path("/notes"), {"uuid": str(uuid.uuid4()), "text": "Notat fra plenum", "group_number": 1})
    fac.goto(f"{server.url}/c/{conf.id}")
    audit.check(fac, "console-plenary")
    audit.check(projector, "projector-plenary")
    phone.reload()
    audit.check(phone, "phone-plenary")

    # --- board, vote, initiative form ---
    board_state = api.get(conf.path("/board"))
    ids = list(board_state["unclustered"])
    assert len(ids) >= 2, board_state
    a = api.post(conf.path("/clusters"), {"title": "Samarbeid", "bullet_ids": ids[:1]}, expect=201)
    api.post(conf.path("/clusters"), {"title": "Overganger", "bullet_ids": ids[1:]}, expect=201)
    fac.goto(f"{server.url}/c/{conf.id}/board")
    audit.check(fac, "board")
    api.post(conf.path("/votes"), {"dots": 3}, expect=201)
    phone.reload()
    audit.check(phone, "phone-vote")
    audit.check(projector, "projector-vote")
    api.post(conf.path("/votes/close"))
    made = api.post(conf.path(f"/clusters/{a['id']}/initiative"), expect=201)
    initiative_id = made["initiative"]["id"] if "initiative" in made else made["id"]
    fac.goto(f"{server.url}/c/{conf.id}/initiatives/{initiative_id}")
    audit.check(fac, "initiative-form")

    # --- finished ---
    api.post(conf.path("/finish"))
    fac.goto(f"{server.url}/c/{conf.id}")
    audit.check(fac, "console-finished")
    phone.reload()
    audit.check(phone, "phone-finished-outcomes")
    audit.check(projector, "projector-finished")

    assert len(others) == 5 and not watch.errors, watch.errors
    audit.assert_clean()


def _phone_of(browser: Browser, watch: Watch, server: LiveServer, conf: Conference, pid: int) -> Page:
    ctx = browser.new_context(**MOBILE)
    ctx.add_cookies([{"name": f"confapp_p{conf.id}", "value": conf.tokens[pid], "url": server.url}])
    page = watch.page(ctx)
    page.goto(f"{server.url}/m/{conf.code}")
    expect(page.locator("#phone")).to_be_visible()
    return page


def test_every_passing_state_passes_axe(server: LiveServer, browser: Browser, artifacts: Path) -> None:
    """The states a user meets only for a moment: dialogs, pickers, refusals, offline, other languages,
    the moved-to popup, the pages of a wrong link or a deleted conference, and today's newer pages."""
    audit = Audit(artifacts)
    watch = Watch()
    token = create_facilitator(server, EMAIL, PASSWORD)
    api = Api(server.url, token)
    fac = watch.page(browser.new_context(**LAPTOP))
    login(fac, server.url, EMAIL, PASSWORD)
    fac.goto(server.url + "/organisation/members")
    audit.check(fac, "members")

    conf = Conference(server, api, title="Øyeblikkskonferanse")
    api.call("POST", conf.path("/participants/import"), data="navn;rolle\nIda Berg;Lærer\n".encode(),
             expect=201, headers={"Content-Type": "text/csv"})  # fmt: skip
    api.put(conf.path("/preparation"), {"text": "Tenk på ett eksempel fra egen klasse."})
    reader = watch.page(browser.new_context(**MOBILE))
    reader.goto(f"{server.url}/j/{conf.code}")
    audit.check(reader, "phone-preparation")

    # "This isn't me": a phone that claimed a name from the list.
    claimed = watch.page(browser.new_context(**MOBILE))
    claimed.goto(f"{server.url}/j/{conf.code}?join=1")
    claimed.locator("#name-list li button", has_text="Ida Berg").click()
    expect(claimed.locator("#not-me")).to_be_visible()
    audit.check(claimed, "phone-claimed-name")

    people = [conf.join(f"Deltaker {i}", ["Lærer", "Assistent", "Helsesykepleier"][i % 3]) for i in range(5)]
    conf.group_round(1)
    fac.goto(f"{server.url}/c/{conf.id}")
    fac.fill("#group-size", "3")
    fac.click("#start-round")
    expect(fac.locator("#start-preview")).to_be_visible()
    audit.check(fac, "console-start-preview")
    fac.click("#confirm-start")
    expect(fac.locator("#undo-bar")).to_be_visible()
    audit.check(fac, "console-undo-offered")

    rnd = conf.group_round(1)
    groups = api.get(conf.path(f"/rounds/{rnd['id']}/groups"))
    table = next(g for g in groups if len([m for m in g["members"] if m["id"] in people]) >= 2)
    leader, member = [m["id"] for m in table["members"] if m["id"] in people][:2]
    api.put(conf.path(f"/groups/{table['id']}/leader"), {"participant_id": leader})
    phone = _phone_of(browser, watch, server, conf, leader)
    expect(phone.locator("#reporter-select")).to_be_visible()
    audit.check(phone, "phone-leader-picks-the-reporter")

    api.put(conf.path(f"/groups/{table['id']}/reporter"), {"participant_id": leader})
    phone.reload()
    phone.fill("#bullet-text", "Lang tekst " * 600)
    expect(phone.locator("#too-long")).to_be_visible()
    audit.check(phone, "phone-too-long-refused")
    phone.fill("#bullet-text", "")
    phone.context.set_offline(True)
    phone.fill("#bullet-text", "Skrevet uten nett")
    phone.click("#send-bullet")
    expect(phone.locator("#outbox")).to_be_visible()
    audit.check(phone, "phone-offline-with-outbox")
    phone.context.set_offline(False)
    expect(phone.locator("#outbox")).to_be_hidden(timeout=30_000)
    for lang in ("nn", "en"):
        phone.click(f".lang-switch a[data-lang={lang}]")
        expect(phone.locator("html")).to_have_attribute("lang", lang)
        audit.check(phone, f"phone-in-{lang}")
    phone.click(".lang-switch a[data-lang=nb]")
    expect(phone.locator("html")).to_have_attribute("lang", "nb")

    conf.start(conf.plenary_round(1))
    api.put(conf.path("/minute-taker"), {"participant_id": member})
    taker = _phone_of(browser, watch, server, conf, member)
    expect(taker.locator("#note-text")).to_be_visible()
    audit.check(taker, "phone-minute-taker")

    ids = list(api.get(conf.path("/board"))["unclustered"])
    assert ids, "the reporter's point is on the board"
    api.post(conf.path("/clusters"), {"title": "Samarbeid", "bullet_ids": ids}, expect=201)
    api.post(conf.path("/clusters"), {"title": "Overganger", "bullet_ids": []}, expect=201)
    fac.goto(f"{server.url}/c/{conf.id}/board")
    fac.locator(".move-button").first.click()
    expect(fac.locator("#move-popup")).to_be_visible()
    audit.check(fac, "board-move-popup")
    fac.keyboard.press("Escape")
    api.post(conf.path("/votes"), {"dots": 3}, expect=201)
    phone.reload()
    phone.locator("#vote li[data-cluster-id]", has_text="Samarbeid").locator("summary").click()
    expect(phone.locator("#vote .cluster-points li").first).to_be_visible()
    audit.check(phone, "phone-vote-cluster-open")
    api.post(conf.path("/votes/close"))

    api.post(conf.path("/finish"))
    fac.goto(f"{server.url}/c/{conf.id}")
    fac.click("#delete-conference")
    expect(fac.locator("#typed-confirm")).to_be_visible()
    audit.check(fac, "console-typed-confirm")
    fac.fill("#typed-confirm-input", "Øyeblikkskonferanse")
    fac.click("#typed-confirm-go")
    fac.wait_for_url(server.url + "/")
    phone.goto(f"{server.url}/m/{conf.code}")
    audit.check(phone, "phone-deleted-conference")
    phone.goto(f"{server.url}/j/NOPE00")
    audit.check(phone, "phone-unknown-code")

    errors = [e for e in watch.errors if "404" not in e and "ERR_INTERNET_DISCONNECTED" not in e]
    assert not errors, errors
    audit.assert_clean()
