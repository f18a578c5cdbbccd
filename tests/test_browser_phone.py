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

# How long a page may take to connect and sync on a loaded test machine (a wait, not a measurement).
LIVE = 20_000

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


def _below(page: Page, upper: str, lower: str) -> bool:
    """Whether `lower` starts below `upper`, both read in one frame (a re-render can replace either)."""
    js = """([a, b]) => { const x = document.querySelector(a), y = document.querySelector(b);
      if (!x || !y) return null; const r = x.getBoundingClientRect(), s = y.getBoundingClientRect();
      return s.top > r.bottom - 1; }"""
    page.wait_for_function(f"([a, b]) => ({js})([a, b]) !== null", arg=[upper, lower])
    return bool(page.evaluate(js, [upper, lower]))


def _in_first_viewport(page: Page, selector: str) -> dict[str, float]:
    # A re-render between finding the element and measuring it gives no box: measure the new one.
    box = None
    for _ in range(20):
        box = page.locator(selector).bounding_box()
        if box is not None:
            break
        page.wait_for_timeout(100)
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
    expect(page.locator("#composer #status")).to_have_text("Tilkoblet", timeout=LIVE)
    expect(page.locator("#my-bullets li")).to_have_count(1, timeout=LIVE)

    # The writing box is above the table card, inside the first screen, the status in its top row.
    box = _in_first_viewport(page, "#composer")
    status = _in_first_viewport(page, "#composer #status")
    assert box["y"] <= status["y"] <= box["y"] + 60, (box, status)
    assert _below(page, "#composer", "#my-table"), "the writing box comes first"
    _in_first_viewport(page, "#send-bullet")
    _in_first_viewport(page, "#bullet-count")
    _assert_heading_structure(page)
    assert _small_targets(page) == []
    shot(page, artifacts, "phone-reporter-writing-box-first")

    # Offline while typing: the status beside the box says so, the point waits on the phone.
    page.fill("#bullet-text", "Felles rutine for fravær")
    ctx.set_offline(True)
    expect(page.locator("#composer #status")).to_have_class("status-line offline", timeout=LIVE)
    page.click("#send-bullet")
    expect(page.locator("#composer #outbox")).to_have_text("1 punkt venter på å bli sendt")
    _in_first_viewport(page, "#composer #status")
    shot(page, artifacts, "phone-reporter-offline-status-in-box")
    ctx.set_offline(False)
    expect(page.locator("#composer #outbox")).to_be_hidden(timeout=30_000)
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
    expect(page.locator("#composer #status")).to_have_text("Tilkoblet", timeout=LIVE)
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
    expect(page.locator("#composer #status")).to_have_text("Tilkoblet", timeout=LIVE)
    page.click(".lang-switch a[data-lang=nn]")
    expect(page.locator("#composer #status")).to_have_text("Tilkopla", timeout=LIVE)
    page.goto(f"{server.url}/m/{conf.code}")  # a plain reload of the phone's address
    assert page.evaluate("document.documentElement.lang") == "nn"
    expect(page.locator("#composer label[for=bullet-text]")).to_have_text("Skriv eit kort punkt")
    expect(page.locator("#composer #status")).to_have_text("Tilkopla", timeout=LIVE)
    expect(page.locator(".lang-switch a[aria-current]")).to_have_text("Nynorsk")
    page.click(".lang-switch a[data-lang=en]")
    page.reload()
    expect(page.locator("#composer label[for=bullet-text]")).to_have_text("Write a short point")
    expect(page.locator("#composer #status")).to_have_text("Connected", timeout=LIVE)
    shot(page, artifacts, "phone-language-english-after-reload")
    ctx.close()


FIRST = ["Ada", "Bo", "Cato", "Dina", "Eli", "Frode", "Gro", "Hans", "Ida", "Jon"]
LAST = ["Aas", "Berg", "Dahl", "Eide", "Foss", "Haug", "Lie", "Moe", "Nes", "Vik"]


def _import_names(api: Api, conf: Conference) -> None:
    rows = [
        f"{f} {s},{['Lærer', 'Assistent', 'Helsesykepleier'][i % 3]}"
        for i, (f, s) in enumerate((f, s) for f in FIRST for s in LAST)
    ]
    csv = "navn,rolle\n" + "\n".join(rows) + "\n"
    made = api.call(
        "POST",
        conf.path("/participants/import"),
        expect=201,
        data=csv.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert len(made) == 100


def test_name_search_filters_100_names_and_this_isnt_me_frees_the_name_for_another_phone(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    _import_names(facilitator_api, conf)
    watch = Watch()
    wrong_ctx = browser.new_context(**PHONE)
    wrong = watch.page(wrong_ctx)
    wrong.goto(f"{server.url}/j/{conf.code}")
    names = wrong.locator("#name-list li")
    expect(names).to_have_count(100)
    expect(wrong.locator("#name-list li:visible")).to_have_count(100)
    _assert_heading_structure(wrong)
    assert _small_targets(wrong) == []
    shot(wrong, artifacts, "phone-join-100-names")

    wrong.fill("#name-search", "ida")
    expect(wrong.locator("#name-list li:visible")).to_have_count(10)
    expect(wrong.locator("#name-count")).to_have_text("10 navn passer")
    wrong.fill("#name-search", "Ida Berg")
    expect(wrong.locator("#name-list li:visible")).to_have_count(1)
    expect(wrong.locator("#name-count")).to_have_text("1 navn passer")
    _in_first_viewport(wrong, "#name-list li:visible button")
    shot(wrong, artifacts, "phone-join-search-one-name")

    # A wrong tap: this phone claims Ida Berg, then says "this isn't me".
    wrong.locator("#name-list li:visible button").click()
    wrong.wait_for_url(f"{server.url}/m/{conf.code}")
    expect(wrong.locator("#me-name")).to_have_text("Ida Berg · Lærer")
    expect(wrong.locator("#not-me")).to_have_text("Dette er ikke meg")
    expect(wrong.locator("#view")).to_contain_text(
        "Ida Berg", timeout=LIVE
    )  # the live page has drawn its welcome
    _assert_heading_structure(wrong)
    assert _small_targets(wrong) == []
    shot(wrong, artifacts, "phone-claimed-with-this-isnt-me")

    right_ctx = browser.new_context(**PHONE)
    right = watch.page(right_ctx)
    right.goto(f"{server.url}/j/{conf.code}")
    right.fill("#name-search", "Ida Berg")
    expect(right.locator("#name-list li:visible")).to_have_count(0)
    expect(right.locator("#no-name-match")).to_be_visible()

    wrong.click("#not-me")
    wrong.wait_for_url(f"{server.url}/j/{conf.code}")
    expect(wrong.locator(".flash")).to_have_text("Ida Berg er ledig igjen. Velg ditt eget navn.")
    shot(wrong, artifacts, "phone-after-this-isnt-me")
    wrong.goto(f"{server.url}/m/{conf.code}")
    wrong.wait_for_url(f"{server.url}/j/{conf.code}")  # the phone no longer is anyone

    right.reload()
    right.fill("#name-search", "ida berg")
    expect(right.locator("#name-list li:visible")).to_have_count(1)
    right.locator("#name-list li:visible button").click()
    right.wait_for_url(f"{server.url}/m/{conf.code}")
    expect(right.locator("#me-name")).to_have_text("Ida Berg · Lærer")
    people = facilitator_api.get(conf.path("/participants"))
    assert [p["joined"] for p in people if p["name"] == "Ida Berg"] == [True]
    assert watch.errors == []
    wrong_ctx.close()
    right_ctx.close()


def test_name_search_works_without_javascript(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    _import_names(facilitator_api, conf)
    ctx = browser.new_context(**PHONE, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{server.url}/j/{conf.code}")
    page.fill("#name-search", "vik")
    page.click("#name-search-submit")
    expect(page.locator("#name-list li")).to_have_count(10)
    expect(page.locator("#name-count")).to_have_text("10 navn passer")
    shot(page, artifacts, "phone-join-search-without-javascript")
    ctx.close()


def test_open_vote_comes_first_with_plurals_and_a_clusters_points(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    groups, reporters = conf.running_round()
    first, second = groups
    ids = [
        conf.post(reporters[first["id"]], first["id"], "Faste samarbeidsmøter med PPT")["id"],
        conf.post(reporters[first["id"]], first["id"], "Helsesykepleier med på teammøter")["id"],
        conf.post(reporters[second["id"]], second["id"], "Felles rutine for fravær")["id"],
    ]
    conf.start(conf.plenary_round(1))
    facilitator_api.post(conf.path("/clusters"), {"title": "Samarbeid", "bullet_ids": ids[:2]}, expect=201)
    facilitator_api.post(conf.path("/clusters"), {"title": "Fravær", "bullet_ids": ids[2:]}, expect=201)
    facilitator_api.post(conf.path("/finish"))
    facilitator_api.post(conf.path("/votes"), {"dots": 3}, expect=201)
    voter = second["members"][0]["id"]

    watch = Watch()
    ctx = _phone(browser, server, conf, voter)
    page = watch.page(ctx)
    page.goto(f"{server.url}/m/{conf.code}")
    vote = page.locator("#vote")
    expect(vote).to_be_visible(timeout=LIVE)
    assert page.evaluate("document.querySelector('#view').firstElementChild.id") == "vote"
    expect(page.locator("#finished")).to_have_count(0)
    _in_first_viewport(page, "#vote h2")
    expect(page.locator("#dots-left")).to_have_text("Du har 3 av 3 prikker igjen.")

    cluster = page.locator("#vote li[data-cluster-id]", has_text="Samarbeid")
    summary = cluster.locator("summary")
    expect(summary).to_have_text("2 punkter")
    expect(page.locator("#vote li[data-cluster-id]", has_text="Fravær").locator("summary")).to_have_text(
        "1 punkt"
    )
    summary.click()
    expect(cluster.locator(".cluster-points li")).to_have_text(
        ["Faste samarbeidsmøter med PPT", "Helsesykepleier med på teammøter"]
    )
    # A dot keeps the opened cluster open (the list is drawn again).
    page.locator("#vote li[data-cluster-id]", has_text="Fravær").locator("button.cast").click()
    expect(page.locator("#dots-left")).to_have_text("Du har 2 av 3 prikker igjen.", timeout=LIVE)
    expect(cluster.locator(".cluster-points li")).to_have_count(2)
    _assert_heading_structure(page)
    assert _small_targets(page) == []
    shot(page, artifacts, "phone-vote-first-cluster-open")

    facilitator_api.post(conf.path("/votes/close"))
    expect(page.locator("#vote ol li", has_text="Fravær")).to_have_text("Fravær: 1 prikk", timeout=LIVE)
    expect(page.locator("#vote ol li", has_text="Samarbeid")).to_have_text("Samarbeid: 0 prikker")
    expect(page.locator("#finished")).to_be_visible(timeout=LIVE)
    shot(page, artifacts, "phone-vote-closed-plurals")
    assert watch.errors == []
    ctx.close()


def test_every_phone_state_has_one_h1_and_44px_tap_targets(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    watch = Watch()
    ctx = browser.new_context(**PHONE)
    page = watch.page(ctx)
    for name, url in (("enter-code", "/j"), ("join-without-list", f"/j/{conf.code}")):
        page.goto(server.url + url)
        _assert_heading_structure(page)
        assert _small_targets(page) == [], name
        shot(page, artifacts, f"phone-state-{name}")
    ctx.close()

    groups, reporters = conf.running_round(people=6, group_size=3)
    group = groups[0]
    leader, reporter = group["leader_id"], reporters[group["id"]]
    member = next(m["id"] for m in group["members"] if m["id"] not in (leader, reporter))
    conf.post(reporter, group["id"], "Faste samarbeidsmøter med PPT")
    for name, pid in (("leader-in-round", leader), ("member-in-round", member)):
        ctx = _phone(browser, server, conf, pid)
        page = watch.page(ctx)
        page.goto(f"{server.url}/m/{conf.code}")
        expect(page.locator("#my-bullets li")).to_have_count(1, timeout=LIVE)
        if pid == leader:
            expect(page.locator("#reporter-select")).to_be_visible()
            page.click("#my-bullets li button.edit")  # the edit form of a point
            expect(page.locator("#my-bullets textarea.edit-text")).to_be_visible()
        else:
            expect(page.locator("#composer-slot")).to_be_hidden()
        _assert_heading_structure(page)
        assert _small_targets(page) == [], name
        shot(page, artifacts, f"phone-state-{name}")
        ctx.close()

    facilitator_api.put(conf.path("/minute-taker"), {"participant_id": member})
    conf.start(conf.plenary_round(1))
    ctx = _phone(browser, server, conf, member)
    page = watch.page(ctx)
    page.goto(f"{server.url}/m/{conf.code}")
    expect(page.locator("#note-text")).to_be_visible(timeout=LIVE)
    _assert_heading_structure(page)
    assert _small_targets(page) == []
    shot(page, artifacts, "phone-state-plenary-minute-taker")
    ctx.close()
    assert watch.errors == []
