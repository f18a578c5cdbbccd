"""The projector and the QR poster fit the screen: 1280×720 and 1920×1080, in real Chromium.

Each state is built through the API as the facilitator and the phones build it: a table's plenary report of
10 points of 280 characters, who sits where for 300 people, and a dot vote over 20 clusters. For each, every
point, name and cluster must be shown whole and unobstructed at some moment (the projector pages what does
not fit, so the test collects across pages): its box inside the viewport, and `elementFromPoint` at its
centre and near its four corners is the element itself or inside it. Fonts are at or above the floors, which
scale with the screen height: points 24 px at 1080p, names and cluster titles 20 px at 1080p.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from support import Api, Conference, LiveServer, Watch, create_facilitator, login, shot, socket_client

pytestmark = [pytest.mark.browser]

SIZES = [(1280, 720), (1920, 1080)]
POINT_FLOOR_1080 = 24
NAME_FLOOR_1080 = 20
EMAIL, PASSWORD = "ordstyrer@example.no", "hemmelig-passord"

FIRST = ["Ingrid", "Ola", "Siri", "Håkon", "Aisha", "Jonas", "Marte", "Emil", "Nora", "Tobias", "Solveig"]
LAST = ["Berg", "Dahl", "Lunde", "Strand", "Haugland-Eriksen", "Moe", "Aas", "Nilsen", "Vik", "Sæther"]
ROLES = ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier", "Sosiallærer", "Miljøterapeut"]
THEMES = [
    "Faste samarbeidsmøter mellom PPT, helsesykepleier og trinnteam",
    "En felles rutine for oppfølging av elever med høyt fravær",
    "Tidlig innsats i lesing på småtrinnet",
    "Tydeligere ansvar for hvem som kaller inn til møter",
    "Mer tid til å planlegge sammen i trinnteamet",
]

# Every element matching the selector: inside the viewport, and the topmost element at its centre and
# near its corners (inset past rounded corners) is itself or a descendant. Plus its font size.
VISIBLE_JS = """
(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const r = e.getBoundingClientRect();
  const inside = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
    && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
  const d = Math.min(6, r.width / 4, r.height / 4);
  const spots = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + d, r.top + d],
    [r.right - d, r.top + d], [r.left + d, r.bottom - d], [r.right - d, r.bottom - d]];
  const free = inside && spots.every(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return !!hit && e.contains(hit);
  });
  const font = parseFloat(getComputedStyle(e).fontSize);
  return { key: e.dataset.bulletId || e.textContent.trim(), inside, free, font };
})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Pages turn only when the facilitator steps them here (an hour per page)."""
    tmp = tmp_path_factory.mktemp("projector-fit")
    env = {"CONFAPP_PROJECTOR_PAGE_SECONDS": "3600"}
    srv = LiveServer(tmp, f"sqlite:///{tmp / 'confapp.sqlite'}", env=env).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def api(server: LiveServer) -> Api:
    return Api(server.url, create_facilitator(server, EMAIL, PASSWORD))


def point_text(i: int) -> str:
    text = f"Punkt {i + 1}: " + " ".join(THEMES[(i + k) % len(THEMES)] for k in range(6))
    return text[:279].rstrip().ljust(279, ".") + "."


def plenary_with_ten_points(server: LiveServer, api: Api) -> tuple[Conference, list[str]]:
    """Table 1's ten points of 280 characters in plenary; returns the points' ids (as strings)."""
    conf = Conference(server, api, title="Dialogkonferanse for Solbakken skole")
    groups, reporters = conf.running_round(people=6, group_size=3)
    table = groups[0]
    texts = [point_text(i) for i in range(10)]
    assert all(len(t) == 280 for t in texts)
    posted = [conf.post(reporters[table["id"]], table["id"], t) for t in texts]
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[reporters[table["id"]]]})
    try:
        ack = phone.call("bullet.mark", {"group_id": table["id"], "uuid": posted[3]["uuid"]}, timeout=10)
        assert ack and ack.get("ok"), ack
    finally:
        phone.disconnect()
    assert all(len(p["text"]) == 280 for p in posted)
    conf.start(conf.plenary_round(1))
    return conf, [str(p["id"]) for p in posted]


def seating_for_300(server: LiveServer, api: Api) -> tuple[Conference, list[str]]:
    conf = Conference(server, api, title="Kommunal dialogkonferanse om tverrfaglig samarbeid")
    names = [f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i + 1}" for i in range(300)]
    conf.join_many([(name, ROLES[i % len(ROLES)]) for i, name in enumerate(names)])
    rnd = conf.group_round(1)
    conf.propose(rnd, 6)
    conf.start(rnd)
    return conf, names


def vote_over_20_clusters(server: LiveServer, api: Api) -> tuple[Conference, list[str]]:
    conf = Conference(server, api, title="Dialogkonferanse 2")
    groups, reporters = conf.running_round(people=8, group_size=4)
    bullet_ids = [
        conf.post(reporters[g["id"]], g["id"], f"{THEMES[k % len(THEMES)]} ({g['number']}.{k})")["id"]
        for g in groups
        for k in range(10)
    ]
    conf.start(conf.plenary_round(1))
    titles = []
    for k in range(20):
        title = f"{k + 1}. {THEMES[k % len(THEMES)]}" + (" – og hvem som følger opp" if k % 3 == 0 else "")
        titles.append(title)
        api.post(conf.path("/clusters"), {"title": title, "bullet_ids": bullet_ids[k : k + 1]}, expect=201)
    api.post(conf.path("/votes"), {"dots": 3}, expect=201)
    clusters = api.get(conf.path("/board"))["clusters"]
    for n, phone in enumerate(conf.phones.values()):
        for k in range(3):
            dot = {"cluster_id": clusters[(n * 3 + k) % 20]["id"], "uuid": str(uuid.uuid4())}
            phone.post("/me/votes/dots", dot)
    return conf, titles


# Each state is built once and shown at both sizes: a fresh projector page starts on its first page, and
# the tests only read the state (paging is the projector's own, relative to where it stands).
@pytest.fixture(scope="module")
def plenary(server: LiveServer, api: Api) -> tuple[Conference, list[str]]:
    return plenary_with_ten_points(server, api)


@pytest.fixture(scope="module")
def seating(server: LiveServer, api: Api) -> tuple[Conference, list[str]]:
    return seating_for_300(server, api)


@pytest.fixture(scope="module")
def vote(server: LiveServer, api: Api) -> tuple[Conference, list[str]]:
    return vote_over_20_clusters(server, api)


def open_projector(browser: Browser, watch: Watch, api: Api, conf: Conference, size: tuple[int, int]) -> Page:
    page = watch.page(browser.new_context(viewport={"width": size[0], "height": size[1]}))
    page.goto(api.get(conf.path())["projector_url"])
    return page


def collect(
    page: Page, api: Api, conf: Conference, list_sel: str, item_sel: str, shots: tuple[Path, str]
) -> tuple[dict[str, dict[str, Any]], int]:
    """Step through every page from the console's API; the best sighting of each item, and the page count."""
    container = page.locator(list_sel)
    expect(container).to_have_attribute("data-page", re.compile(r"\d+"))
    pages = int(container.get_attribute("data-pages") or "1")
    seen: dict[str, dict[str, Any]] = {}
    for k in range(pages):
        if k:
            api.post(conf.path("/projector/page"), {"delta": 1})
            expect(container).to_have_attribute("data-page", str(k + 1))
        if pages > 1:
            expect(page.locator("#p-pager")).to_contain_text(f"{k + 1}/{pages}")
        page.wait_for_timeout(100)  # let the page's fonts and layout settle before looking
        shot(page, shots[0], f"{shots[1]}-page{k + 1}")
        for item in page.evaluate(VISIBLE_JS, item_sel):
            best = seen.get(item["key"])
            if best is None or (item["free"] and not best["free"]):
                seen[item["key"]] = item
    return seen, pages


def assert_all_whole(seen: dict[str, dict[str, Any]], expected: list[str], floor: float, what: str) -> None:
    missing = [k for k in expected if k not in seen]
    assert not missing, f"{len(missing)} {what} never shown, e.g. {missing[:3]}"
    hidden = [k for k in expected if not seen[k]["free"]]
    assert not hidden, f"{len(hidden)} {what} cut off or covered, e.g. {[seen[k] for k in hidden[:3]]}"
    small = [seen[k] for k in expected if seen[k]["font"] < floor - 0.01]
    assert not small, f"{what} below {floor:.1f} px: {small[:3]}"


def assert_no_scrollbars(page: Page) -> None:
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " innerWidth, innerHeight]"
    )
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], f"the page scrolls: {sizes}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plenary_report_of_ten_long_points_is_shown_whole(
    browser: Browser,
    api: Api,
    plenary: tuple[Conference, list[str]],
    artifacts: Path,
    size: tuple[int, int],
) -> None:
    watch = Watch()
    conf, ids = plenary
    page = open_projector(browser, watch, api, conf, size)
    expect(page.locator("#focused-group li")).not_to_have_count(0)
    seen, pages = collect(page, api, conf, "#focused-group ul.bullets", "#focused-group li[data-bullet-id]",
                          (artifacts, f"projector-fit-plenary-{size[1]}p"))  # fmt: skip
    assert_all_whole(seen, ids, POINT_FLOOR_1080 * size[1] / 1080, "points")
    assert_no_scrollbars(page)
    # The join box keeps its own column: it does not overlap the report.
    join = page.locator(".joinbar").bounding_box()
    report = page.locator("#focused-group").bounding_box()
    assert join and report and report["x"] + report["width"] <= join["x"], (report, join)
    assert pages >= 1
    assert not watch.errors, watch.errors


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_who_sits_where_for_300_people_is_shown_whole(
    browser: Browser,
    api: Api,
    seating: tuple[Conference, list[str]],
    artifacts: Path,
    size: tuple[int, int],
) -> None:
    watch = Watch()
    conf, names = seating
    page = open_projector(browser, watch, api, conf, size)
    expect(page.locator("#who-sits-where section").first).to_be_visible()
    seen, pages = collect(page, api, conf, "#who-sits-where", "#who-sits-where ul.names li",
                          (artifacts, f"projector-fit-seating300-{size[1]}p"))  # fmt: skip
    assert_all_whole(seen, names, NAME_FLOOR_1080 * size[1] / 1080, "names")
    assert pages > 1, "300 names do not fit one screen at a legible size: the seating pages"
    assert_no_scrollbars(page)
    assert not watch.errors, watch.errors


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_vote_over_20_clusters_is_shown_whole(
    browser: Browser,
    api: Api,
    vote: tuple[Conference, list[str]],
    artifacts: Path,
    size: tuple[int, int],
) -> None:
    watch = Watch()
    conf, titles = vote
    page = open_projector(browser, watch, api, conf, size)
    expect(page.locator("#vote-chart ul.bars")).to_have_attribute("data-total", "20")
    seen, _pages = collect(page, api, conf, "#vote-chart ul.bars", "#vote-chart li > span",
                           (artifacts, f"projector-fit-vote20-{size[1]}p"))  # fmt: skip
    assert_all_whole(seen, titles, NAME_FLOOR_1080 * size[1] / 1080, "cluster titles")
    rows = page.evaluate(VISIBLE_JS, "#vote-chart li")
    assert all(r["free"] for r in rows), "each bar row is whole too"
    assert_no_scrollbars(page)
    assert not watch.errors, watch.errors


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_qr_poster_is_whole(
    browser: Browser, server: LiveServer, api: Api, artifacts: Path, size: tuple[int, int]
) -> None:
    watch = Watch()
    conf = Conference(server, api, title="Dialogkonferanse for Solbakken skole og Nordre Vang skole")
    page = watch.page(browser.new_context(viewport={"width": size[0], "height": size[1]}))
    login(page, server.url, EMAIL, PASSWORD)
    page.goto(f"{server.url}/c/{conf.id}/qr")
    expect(page.locator("#join-code")).to_have_text(conf.code)
    page.wait_for_function("() => document.getElementById('join-qr').complete")
    shot(page, artifacts, f"poster-{size[0]}x{size[1]}")
    parts = {sel: page.evaluate(VISIBLE_JS, sel)[0] for sel in ("#join-qr", "#join-code", "#join-address")}
    for sel, seen in parts.items():
        assert seen["free"], f"{sel} is not whole on the poster at {size}: {seen}"
    qr = page.locator("#join-qr").bounding_box()
    assert qr and qr["height"] >= 0.5 * size[1], "the QR code is large enough to scan across a hall"
    assert_no_scrollbars(page)
    assert not watch.errors, watch.errors


def test_console_steps_the_projector_and_pages_turn_on_their_own(
    browser: Browser, server: LiveServer, api: Api, plenary: tuple[Conference, list[str]], tmp_path: Path
) -> None:
    """The console's buttons step the pages; on a server with short pages they also turn by themselves."""
    watch = Watch()
    conf, _ids = plenary
    projector = open_projector(browser, watch, api, conf, (1280, 720))
    bullets = projector.locator("#focused-group ul.bullets")
    expect(bullets).to_have_attribute("data-page", "1")
    pages = int(bullets.get_attribute("data-pages") or "1")
    assert pages >= 2, "10 long points do not fit a 720p screen at 16 px: the report pages"
    console = watch.page(browser.new_context(viewport={"width": 1400, "height": 900}))
    login(console, server.url, EMAIL, PASSWORD)
    console.goto(f"{server.url}/c/{conf.id}")
    console.click("#projector-next-page")
    expect(bullets).to_have_attribute("data-page", "2")
    expect(projector.locator("#p-pager")).to_contain_text(f"2/{pages}")
    console.click("#projector-prev-page")
    expect(bullets).to_have_attribute("data-page", "1")
    console.click("#projector-prev-page")  # back from the first page: the last
    expect(bullets).to_have_attribute("data-page", str(pages))
    # Bad steps are refused at the service, with nothing logged: tests/test_projector_rules.py.

    quick = LiveServer(tmp_path, server.db_url, env={"CONFAPP_PROJECTOR_PAGE_SECONDS": "3"}).start()
    try:
        detail = api.get(conf.path())
        fast = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
        fast.goto(detail["projector_url"].replace(server.url, quick.url))
        fast_bullets = fast.locator("#focused-group ul.bullets")
        expect(fast_bullets).to_have_attribute("data-page", "1")
        expect(fast_bullets).to_have_attribute("data-page", "2", timeout=10_000)
    finally:
        quick.stop()
    assert not watch.errors, watch.errors
