"""Phones, one-handed (issue 10): a real server, Chromium phone contexts (390 x 844, touch), screenshots.

Each test looks at what a person holding the phone sees: the writing box first with its status, tap
targets of at least 44 x 44 px, one h1, the language kept across a reload, the name search, "this isn't
me", a refused long paste, correct plurals, and a cluster's points opened during a dot vote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect
from support import PHONE, Api, Conference, LiveServer, Watch, shot

# Every element a thumb can hit, as the page shows it now (hidden ones have no box).
TAP_TARGETS_JS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, label:has(input[type=radio]), '
    + 'label:has(input[type=checkbox])')]
  .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => { const r = e.getBoundingClientRect();
    const text = (e.textContent || '').trim().slice(0, 30);
    return { what: `${e.tagName.toLowerCase()}#${e.id || ''}.${e.className || ''} ${text}`,
             w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 }; })"""


def _small_targets(page: Page) -> list[dict[str, Any]]:
    targets = page.evaluate(TAP_TARGETS_JS)
    assert targets, "the page has something to tap"
    return [t for t in targets if t["w"] < 44 or t["h"] < 44]


def _headings(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4')].map((h) => h.tagName)")  # type: ignore[no-any-return]


def _assert_heading_structure(page: Page) -> None:
    levels = _headings(page)
    assert levels.count("H1") == 1 and levels[0] == "H1", levels
    numbers = [int(h[1]) for h in levels]
    assert all(b - a <= 1 for a, b in zip(numbers, numbers[1:], strict=False)), f"no skipped level: {levels}"


def _phone(browser: Browser, server: LiveServer, conf: Conference, pid: int) -> BrowserContext:
    ctx = browser.new_context(**PHONE)
    ctx.add_cookies([{"name": f"confapp_p{conf.id}", "value": conf.tokens[pid], "url": server.url}])
    return ctx


def _in_first_viewport(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["viewport"]["height"], (selector, box)
    return box


def test_reporter_sees_the_writing_box_first_with_its_status_and_44px_targets(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    groups, reporters = conf.running_round()
    group = groups[0]
    reporter = reporters[group["id"]]
    conf.post(reporter, group["id"], "Faste samarbeidsmøter med PPT hver måned")
    watch = Watch()
    ctx = _phone(browser, server, conf, reporter)
    page = watch.page(ctx)
    page.goto(f"{server.url}/m/{conf.code}")
    expect(page.locator("#composer #status")).to_have_text("Tilkoblet")
    expect(page.locator("#my-bullets li")).to_have_count(1)

    # The writing box is above the table card, inside the first screen, the status in its top row.
    box = _in_first_viewport(page, "#composer")
    status = _in_first_viewport(page, "#composer #status")
    assert box["y"] <= status["y"] <= box["y"] + 60, (box, status)
    table = page.locator("#my-table").bounding_box()
    assert table is not None and table["y"] > box["y"] + box["height"] - 1
    _in_first_viewport(page, "#send-bullet")
    _in_first_viewport(page, "#bullet-count")
    _assert_heading_structure(page)
    assert _small_targets(page) == []
    shot(page, artifacts, "phone-reporter-writing-box-first")

    # Offline while typing: the status beside the box says so, the point waits on the phone.
    page.fill("#bullet-text", "Felles rutine for fravær")
    ctx.set_offline(True)
    expect(page.locator("#composer #status")).to_have_class("status-line offline")
    page.click("#send-bullet")
    expect(page.locator("#composer #outbox")).to_have_text("1 punkt venter på å bli sendt")
    _in_first_viewport(page, "#composer #status")
    shot(page, artifacts, "phone-reporter-offline-status-in-box")
    ctx.set_offline(False)
    expect(page.locator("#composer #outbox")).to_be_hidden(timeout=15000)
    assert watch.errors == []
    ctx.close()


def test_a_long_paste_is_refused_with_a_live_counter_and_nothing_is_sent(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    groups, reporters = conf.running_round()
    reporter = reporters[groups[0]["id"]]
    watch = Watch()
    ctx = _phone(browser, server, conf, reporter)
    page = watch.page(ctx)
    page.goto(f"{server.url}/m/{conf.code}")
    expect(page.locator("#composer #status")).to_have_text("Tilkoblet")
    page.fill("#bullet-text", "Kort punkt")
    expect(page.locator("#bullet-count")).to_have_text("10 / 280")

    long_text = ("Vi trenger faste møter mellom lærere, PPT og helsesykepleier. " * 90)[:5000]
    # A real paste from the clipboard (a maxlength would cut it here, without a word).
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.evaluate("(text) => navigator.clipboard.writeText(text)", long_text)
    page.fill("#bullet-text", "")
    page.locator("#bullet-text").press("ControlOrMeta+V")
    assert len(page.input_value("#bullet-text")) == 5000, "nothing is cut"
    count = page.locator("#bullet-count")
    expect(count).to_have_text("5000 / 280")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#bullet-count')).color") == "rgb(179, 38, 30)"
    )
    expect(page.locator("#too-long")).to_have_text(
        "For langt til å sendes: 5000 tegn, høyst 280. Gjør det kortere, eller del det opp i flere punkter."
    )
    expect(page.locator("#send-bullet")).to_be_disabled()
    page.locator("#bullet-text").press("Control+Enter")
    page.locator("#composer").evaluate("(f) => f.requestSubmit()")
    shot(page, artifacts, "phone-long-paste-refused")
    assert page.evaluate("window.confappPhone.outbox().length") == 0
    assert facilitator_api.get(conf.path("/snapshot"))["bullets"] == []

    # Shortened to fit: the message goes, Send comes back.
    page.fill("#bullet-text", long_text[:280])
    expect(count).to_have_text("280 / 280")
    expect(page.locator("#too-long")).to_be_hidden()
    expect(page.locator("#send-bullet")).to_be_enabled()
    assert watch.errors == []
    ctx.close()


def test_language_switch_changes_page_and_script_strings_and_survives_a_reload(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    groups, reporters = conf.running_round()
    reporter = reporters[groups[0]["id"]]
    ctx = _phone(browser, server, conf, reporter)
    page = Watch().page(ctx)
    page.goto(f"{server.url}/m/{conf.code}")
    expect(page.locator("#composer #status")).to_have_text("Tilkoblet")
    page.click(".lang-switch a[data-lang=nn]")
    expect(page.locator("#composer #status")).to_have_text("Tilkopla")
    page.goto(f"{server.url}/m/{conf.code}")  # a plain reload of the phone's address
    assert page.evaluate("document.documentElement.lang") == "nn"
    expect(page.locator("#composer label[for=bullet-text]")).to_have_text("Skriv eit kort punkt")
    expect(page.locator("#composer #status")).to_have_text("Tilkopla")
    expect(page.locator(".lang-switch a[aria-current]")).to_have_text("Nynorsk")
    page.click(".lang-switch a[data-lang=en]")
    page.reload()
    expect(page.locator("#composer label[for=bullet-text]")).to_have_text("Write a short point")
    expect(page.locator("#composer #status")).to_have_text("Connected")
    shot(page, artifacts, "phone-language-english-after-reload")
    ctx.close()
