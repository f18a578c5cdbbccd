"""A whole conference of 100 participants in one run (issue 10, "Done when"): every hall flow at full size.

An imported list of 100 made-up names; the crowd claims its names through the API, a few real Chromium phones
(390 x 844) do the phone flows, the facilitator works in a 1366 x 768 console and the hall looks at a
1920 x 1080 projector. Server state is checked through the API; screenshots land in
test-artifacts/hall100-*.png (look at them).
"""

from __future__ import annotations

import io
import re
import time
import uuid
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, BrowserContext, Page, expect
from support import PHONE, Api, Conference, LiveServer, Watch, create_facilitator, login, shot
from test_browser_phone import _assert_heading_structure, _below, _in_first_viewport, _small_targets
from test_browser_projector_fit import (
    NAME_FLOOR_1080,
    POINT_FLOOR_1080,
    assert_all_whole,
    assert_no_scrollbars,
    collect,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EMAIL, PASSWORD = "ordstyrer@example.no", "hemmelig-passord"
TITLE = "Dialogkonferanse for hundre – Fjellbakken skole"
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
LIVE = 30_000  # ms: a bound for live updates on a loaded 2-core machine, not a measurement

FIRST = ["Astrid", "Bjørn", "Camilla", "Didrik", "Embla", "Fredrik", "Guro", "Halvor", "Ingeborg", "Joakim"]
LAST = ["Aune", "Bakke", "Dale", "Eng", "Fjeld", "Hagen", "Lund", "Myhre", "Rud", "Sand"]
ROLES = ["Lærer", "Assistent", "Helsesykepleier", "PPT-rådgiver", "Miljøterapeut"]
NAMES = [f"{f} {s}" for f in FIRST for s in LAST]
THEMES = [
    "Faste samarbeidsmøter mellom PPT, helsesykepleier og trinnteamet hver måned",
    "En felles rutine for oppfølging av elever med høyt fravær fra første dag",
    "Tidlig innsats i lesing på småtrinnet med kartlegging hver høst",
    "Tydeligere ansvar for hvem som kaller inn til tverrfaglige møter",
    "Mer tid til å planlegge sammen i trinnteamet, skjermet for beskjeder",
    "Foreldremøter som handler om læringsmiljøet og når foreldre som ikke møter",
]


def long_point(i: int) -> str:
    """A point of exactly 280 characters, the most a phone may send."""
    text = f"Punkt {i + 1}: " + " ".join(THEMES[(i + k) % len(THEMES)] for k in range(5))
    return text[:279].rstrip().ljust(279, ".") + "."


def phone_with_token(browser: Browser, server: LiveServer, conf: Conference, pid: int) -> BrowserContext:
    ctx = browser.new_context(**PHONE)
    ctx.add_cookies([{"name": f"confapp_p{conf.id}", "value": conf.tokens[pid], "url": server.url}])
    return ctx


def adopt_browser_phone(server: LiveServer, conf: Conference, ctx: BrowserContext, pid: int) -> None:
    """The token a phone got by claiming its name in Chromium, so the API can act for it (a leader's pick)."""
    token = next(c["value"] for c in ctx.cookies() if c["name"] == f"confapp_p{conf.id}")
    conf.tokens[pid] = token
    conf.phones[pid] = Api(server.url, token)


def claim_in_browser(page: Page, server: LiveServer, conf: Conference, name: str) -> None:
    page.fill("#name-search", name)
    expect(page.locator("#name-list li:visible")).to_have_count(1)
    page.locator("#name-list li:visible button").click()
    page.wait_for_url(f"{server.url}/m/{conf.code}")
    expect(page.locator("#me-name")).to_contain_text(name)


def round_state(api: Api, conf: Conference, round_id: int) -> str:
    return next(r["state"] for r in api.get(conf.path())["rounds"] if r["id"] == round_id)  # type: ignore[no-any-return]


def test_a_conference_of_100_through_every_hall_flow(
    tmp_path: Path, browser: Browser, artifacts: Path
) -> None:
    server = LiveServer(
        tmp_path, f"sqlite:///{tmp_path / 'confapp.sqlite'}", env={"CONFAPP_PROJECTOR_PAGE_SECONDS": "3600"}
    ).start()
    try:
        run_conference(server, browser, artifacts)
    finally:
        server.stop()


def run_conference(server: LiveServer, browser: Browser, artifacts: Path) -> None:  # noqa: PLR0915
    api = Api(server.url, create_facilitator(server, EMAIL, PASSWORD))
    conf = Conference(server, api, title=TITLE)
    csv = "navn,rolle\n" + "".join(f"{n},{ROLES[i % len(ROLES)]}\n" for i, n in enumerate(NAMES))
    made = api.call("POST", conf.path("/participants/import"), expect=201, data=csv.encode(),
                    headers={"Content-Type": "text/csv"})  # fmt: skip
    assert len(made) == 100
    pid_of = {p["name"]: p["id"] for p in api.get(conf.path("/participants"))}
    assert len(pid_of) == 100
    watch = Watch()

    # --- phones: search the 100 names, claim, "this isn't me", another phone claims the name ---------------
    a_ctx = browser.new_context(**PHONE)
    a = watch.page(a_ctx)
    a.goto(f"{server.url}/j/{conf.code}")
    expect(a.locator("#name-list li")).to_have_count(100)
    _assert_heading_structure(a)
    assert _small_targets(a) == []
    shot(a, artifacts, "hall100-phone-picker-100")
    a.fill("#name-search", "ingeborg")
    expect(a.locator("#name-list li:visible")).to_have_count(10)
    expect(a.locator("#name-count")).to_have_text("10 navn passer")
    claim_in_browser(a, server, conf, "Ingeborg Aune")
    shot(a, artifacts, "hall100-phone-claimed-wrong-name")
    a.click("#not-me")
    a.wait_for_url(f"{server.url}/j/{conf.code}")
    expect(a.locator(".flash")).to_have_text("Ingeborg Aune er ledig igjen. Velg ditt eget navn.")
    claim_in_browser(a, server, conf, "Astrid Aune")

    b_ctx = browser.new_context(**PHONE)
    b = watch.page(b_ctx)
    b.goto(f"{server.url}/j/{conf.code}")
    claim_in_browser(b, server, conf, "Ingeborg Aune")
    people = {p["name"]: p for p in api.get(conf.path("/participants"))}
    assert people["Ingeborg Aune"]["joined"] and people["Astrid Aune"]["joined"]
    assert sum(p["joined"] for p in people.values()) == 2
    adopt_browser_phone(server, conf, a_ctx, pid_of["Astrid Aune"])
    adopt_browser_phone(server, conf, b_ctx, pid_of["Ingeborg Aune"])

    # Phone B speaks nynorsk, and the phone remembers it.
    b.click(".lang-switch a[data-lang=nn]")
    expect(b.locator("#not-me")).to_have_text("Dette er ikkje meg", timeout=LIVE)
    b.goto(f"{server.url}/m/{conf.code}")
    assert b.evaluate("document.documentElement.lang") == "nn"
    expect(b.locator(".lang-switch a[aria-current]")).to_have_text("Nynorsk")
    shot(b, artifacts, "hall100-phone-nynorsk-remembered")

    # The rest of the hall claims its names through the API.
    for name in NAMES:
        if name in ("Astrid Aune", "Ingeborg Aune"):
            continue
        out = Api(server.url).post(
            "/join", {"uuid": str(uuid.uuid4()), "code": conf.code, "claim_id": pid_of[name]}, expect=201
        )
        assert out["participant"]["id"] == pid_of[name]
        conf.tokens[pid_of[name]] = out["token"]
        conf.phones[pid_of[name]] = Api(server.url, out["token"])
    assert all(p["joined"] for p in api.get(conf.path("/participants")))

    # --- facilitator: round 1 without published tables shows the preview first; Angre undoes the start ----
    fac = watch.page(browser.new_context(viewport=LAPTOP))
    login(fac, server.url, EMAIL, PASSWORD)
    fac.goto(f"{server.url}/c/{conf.id}")
    expect(fac.locator("#status")).to_have_text("Tilkoblet", timeout=LIVE)
    expect(fac.locator("#participant-count")).to_contain_text("100")
    expect(fac.locator("#delete-conference")).to_be_hidden()
    expect(fac.locator("#anonymise")).to_be_hidden()
    first, second = conf.group_round(1), conf.group_round(2)
    fac.fill("#group-size", "6")
    fac.click("#start-round")
    expect(fac.locator("#start-preview")).to_be_visible(timeout=LIVE)
    tables = api.get(conf.path(f"/rounds/{first['id']}/groups"))
    expect(fac.locator("#tables .table-card[data-group-id]")).to_have_count(len(tables))
    assert 15 <= len(tables) <= 20, len(tables)
    assert sum(len(g["members"]) for g in tables) == 100
    assert round_state(api, conf, first["id"]) == "pending"
    shot(fac, artifacts, "hall100-console-start-preview")
    fac.click("#confirm-start")
    expect(fac.locator(".agenda li.active")).to_contain_text("Pågår", timeout=LIVE)
    expect(fac.locator("#undo-phase")).to_have_text(re.compile(r"^Angre \(\d{1,2} s\)$"))
    fac.click("#undo-phase")
    expect(fac.locator(".agenda li.active")).to_have_count(0, timeout=LIVE)
    assert round_state(api, conf, first["id"]) == "pending"
    assert api.get(conf.path())["conference"]["status"] == "draft"
    fac.click("#start-round")  # the tables are announced now: no second preview
    expect(fac.locator(".agenda li.active")).to_contain_text("Pågår", timeout=LIVE)
    assert round_state(api, conf, first["id"]) == "active"
    tables = api.get(conf.path(f"/rounds/{first['id']}/groups"))
    shot(fac, artifacts, "hall100-console-round1")

    # --- the projector: who sits where for 100, whole across pages at 1920 x 1080 --------------------------
    proj = watch.page(browser.new_context(viewport=PROJECTOR))
    proj.goto(api.get(conf.path())["projector_url"])
    expect(proj.locator("#who-sits-where section").first).to_be_visible(timeout=LIVE)
    seen, _pages = collect(proj, api, conf, "#who-sits-where", "#who-sits-where ul.names li",
                           (artifacts, "hall100-projector-seating"))  # fmt: skip
    assert_all_whole(seen, NAMES, NAME_FLOOR_1080, "names")
    assert_no_scrollbars(proj)

    # --- reporters: leaders appoint them; one reporter's real phone writes ---------------------------------
    reporters = conf.appoint_reporters(tables)
    table1 = next(g for g in tables if g["number"] == 1)
    rep = reporters[table1["id"]]
    r_ctx = phone_with_token(browser, server, conf, rep)
    r = watch.page(r_ctx)
    r.goto(f"{server.url}/m/{conf.code}")
    expect(r.locator("#composer #status")).to_have_text("Tilkoblet", timeout=LIVE)
    _in_first_viewport(r, "#composer")
    assert _below(r, "#composer", "#my-table"), "the writing box comes first"
    _in_first_viewport(r, "#send-bullet")
    assert _small_targets(r) == []
    shot(r, artifacts, "hall100-phone-reporter-writing-box")

    # A 5,000-character paste is refused, nothing is cut and nothing is sent.
    paste = ("Vi trenger faste møter mellom lærere, PPT og helsesykepleier. " * 90)[:5000]
    r_ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    r.evaluate("(text) => navigator.clipboard.writeText(text)", paste)
    r.locator("#bullet-text").press("ControlOrMeta+V")
    assert len(r.input_value("#bullet-text")) == 5000
    expect(r.locator("#bullet-count")).to_have_text("5000 / 280")
    expect(r.locator("#too-long")).to_be_visible()
    expect(r.locator("#send-bullet")).to_be_disabled()
    r.locator("#composer").evaluate("(f) => f.requestSubmit()")
    shot(r, artifacts, "hall100-phone-long-paste-refused")
    assert r.evaluate("window.confappPhone.outbox().length") == 0
    assert api.get(conf.path("/snapshot"))["bullets"] == []

    # Table 1's six points: the first typed on the phone, five of 280 characters through the phone's API.
    r.fill("#bullet-text", THEMES[0])
    r.click("#send-bullet")
    expect(r.locator("#my-bullets li")).to_have_count(1, timeout=LIVE)
    for i in range(5):
        conf.post(rep, table1["id"], long_point(i))
    # Every other table reports two points.
    for g in tables:
        if g["id"] != table1["id"]:
            for k in range(2):
                conf.post(reporters[g["id"]], g["id"], f"Bord {g['number']}: {THEMES[(g['number'] + k) % 6]}")
    snap = api.get(conf.path("/snapshot"))
    assert len(snap["bullets"]) == 6 + 2 * (len(tables) - 1)
    table1_ids = [str(b["id"]) for b in snap["bullets"] if b["group_id"] == table1["id"]]
    assert len(table1_ids) == 6
    # Counts in the plural: "6 punkter" on the projector's seating and the console's table card.
    expect(proj.locator("#who-sits-where")).to_contain_text("Bord 1 · 6 punkter", timeout=LIVE)
    expect(proj.locator("#who-sits-where")).to_contain_text("Bord 2 · 2 punkter")
    expect(fac.locator("#tables .table-card[data-number='1'] .progress")).to_have_text(
        "6 punkter", timeout=LIVE
    )
    shot(proj, artifacts, "hall100-projector-seating-with-points")

    # --- plenary: every point of the focused table whole on the projector ---------------------------------
    plenary = conf.plenary_round(1)
    fac.locator(f".agenda li[data-round-id='{plenary['id']}'] .select-round").click()
    fac.click("#start-plenary")
    expect(fac.locator("#focus-controls")).to_be_visible(timeout=LIVE)
    fac.locator("#focus-controls button[data-focus='1']").click()
    expect(proj.locator("#focused-group")).to_have_attribute("data-number", "1", timeout=LIVE)
    seen, _pages = collect(proj, api, conf, "#focused-group ul.bullets", "#focused-group li[data-bullet-id]",
                           (artifacts, "hall100-projector-plenary-table1"))  # fmt: skip
    assert_all_whole(seen, table1_ids, POINT_FLOOR_1080, "points")
    assert_no_scrollbars(proj)
    join = proj.locator(".joinbar").bounding_box()
    report = proj.locator("#focused-group").bounding_box()
    assert join and report and report["x"] + report["width"] <= join["x"], (report, join)
    # Stepping on through the tables: the projector follows with each table's points.
    for number in (2, 3, len(tables)):
        fac.locator(f"#focus-controls button[data-focus='{number}']").click()
        expect(proj.locator("#focused-group")).to_have_attribute("data-number", str(number), timeout=LIVE)
        expect(proj.locator("#focused-group li[data-bullet-id]")).to_have_count(2)
        expect(proj.locator("#focused-group")).to_contain_text(f"Bord {number}:")
    shot(proj, artifacts, "hall100-projector-plenary-last-table")
    note = "Mange bord peker på faste møter og en felles fraværsrutine."
    fac.fill("#note-text", note)
    fac.click("#save-note")
    expect(fac.locator("#notes")).to_contain_text(note, timeout=LIVE)
    shot(fac, artifacts, "hall100-console-plenary")

    # --- round 2: drafted tables, a late arrival, seated at the start and named by the console ------------
    fac.locator(f".agenda li[data-round-id='{second['id']}'] .select-round").click()
    fac.fill("#group-size", "6")
    fac.click("#propose")
    expect(fac.locator("#tables .table-card[data-group-id]").first).to_be_visible(timeout=LIVE)
    late = conf.join("Sigrun Sent", "Lærer")
    expect(fac.locator(f"#unseated li[data-pid='{late}']")).to_be_visible(timeout=LIVE)
    fac.click("#start-round")
    expect(fac.locator("#start-preview")).to_be_visible(timeout=LIVE)
    shot(fac, artifacts, "hall100-console-round2-preview-late-arrival")
    fac.click("#confirm-start")
    expect(fac.locator("#notice")).to_contain_text("Sigrun Sent ble satt ved bord", timeout=LIVE)
    tables2 = api.get(conf.path(f"/rounds/{second['id']}/groups"))
    where = next(g["number"] for g in tables2 if any(m["id"] == late for m in g["members"]))
    expect(fac.locator("#notice")).to_have_text(f"Sigrun Sent ble satt ved bord {where}")
    assert sum(len(g["members"]) for g in tables2) == 101
    assert round_state(api, conf, second["id"]) == "active"
    shot(fac, artifacts, "hall100-console-round2-late-arrival-seated")
    conf.start(conf.plenary_round(2))

    # --- board: points placed with the keyboard and with "Flytt til…" -------------------------------------
    board = watch.page(browser.new_context(viewport=LAPTOP))
    login(board, server.url, EMAIL, PASSWORD)
    board.goto(f"{server.url}/c/{conf.id}/board")
    total = len(snap["bullets"])
    pile = board.locator("#unclustered li[data-bullet-id]")
    expect(pile).to_have_count(total, timeout=LIVE)
    board.focus("#new-cluster-title")
    for n, title in enumerate(("Samarbeid", "Fravær"), start=1):
        board.keyboard.type(title)
        board.keyboard.press("Enter")
        expect(board.locator("#clusters .cluster")).to_have_count(n, timeout=LIVE)
    placed: dict[str, list[str]] = {"Samarbeid": [], "Fravær": []}
    for left in (total - 1, total - 2):  # keyboard alone: focus a card, M, type the cluster, Enter
        pile.first.focus()
        placed["Samarbeid"].append(pile.first.locator(".text").inner_text())
        board.keyboard.press("m")
        expect(board.locator("#move-popup")).to_be_visible()
        board.keyboard.type("Samarbeid")
        expect(board.locator("#move-options li[aria-selected='true'] .name")).to_have_text("Samarbeid")
        board.keyboard.press("Enter")
        expect(pile).to_have_count(left, timeout=LIVE)
    placed["Fravær"].append(pile.first.locator(".text").inner_text())
    pile.first.locator(".move-button").click()  # "Flytt til…" with clicks
    expect(board.locator("#move-popup")).to_be_visible()
    board.locator("#move-options li[title='Fravær']").click()
    expect(pile).to_have_count(total - 3, timeout=LIVE)
    shot(board, artifacts, "hall100-board")
    text_of = {b["id"]: b["text"] for b in snap["bullets"]}
    expect_clusters(api, conf, text_of, placed)

    # --- finish; a dot vote where a phone opens a cluster to read its points --------------------------------
    fac.click("#finish")  # Watch accepts the confirm() dialog
    expect(fac.locator("#delete-conference")).to_be_visible(timeout=LIVE)
    assert api.get(conf.path())["conference"]["status"] == "finished"
    api.post(conf.path("/votes"), {"dots": 3}, expect=201)
    a.goto(f"{server.url}/m/{conf.code}")
    expect(a.locator("#vote")).to_be_visible(timeout=LIVE)
    expect(a.locator("#dots-left")).to_have_text("Du har 3 av 3 prikker igjen.")
    cluster_id = {c["title"]: c["id"] for c in api.get(conf.path("/snapshot"))["clusters"]}
    together = a.locator(f"#vote li[data-cluster-id='{cluster_id['Samarbeid']}']")
    absence = a.locator(f"#vote li[data-cluster-id='{cluster_id['Fravær']}']")
    expect(together.locator("summary")).to_have_text("2 punkter")
    expect(absence.locator("summary")).to_have_text("1 punkt")
    together.locator("summary").click()
    expect(together.locator(".cluster-points li")).to_have_text(placed["Samarbeid"], timeout=LIVE)
    absence.locator("button.cast").click()
    expect(a.locator("#dots-left")).to_have_text("Du har 2 av 3 prikker igjen.", timeout=LIVE)
    _assert_heading_structure(a)
    assert _small_targets(a) == []
    shot(a, artifacts, "hall100-phone-vote-cluster-open")
    expect(proj.locator("#vote-chart")).to_be_visible(timeout=LIVE)
    shot(proj, artifacts, "hall100-projector-vote")
    api.post(conf.path("/votes/close"))
    expect(a.locator("#vote ol li", has_text=re.compile("^Fravær:"))).to_have_text(
        "Fravær: 1 prikk", timeout=LIVE
    )
    expect(a.locator("#vote ol li", has_text=re.compile("^Samarbeid:"))).to_have_text("Samarbeid: 0 prikker")
    shot(a, artifacts, "hall100-phone-vote-closed")

    # --- the report, downloaded from a nynorsk session ------------------------------------------------------
    fac.click("a[href='?lang=nn']")
    expect(fac.locator("html")).to_have_attribute("lang", "nn")
    expect(fac.locator("#status")).to_have_text("Tilkopla", timeout=LIVE)  # the console's script is running
    with fac.expect_download() as download:
        fac.click("#download-report")
    data = Path(download.value.path()).read_bytes()
    (artifacts / "hall100-report-nn.docx").write_bytes(data)
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]
    assert "Bord 1" in texts and "Punkt frå bordet" in texts
    assert not any(t.startswith("Gruppe ") for t in texts)
    assert not any("Plenum: Plenum" in t for t in texts)
    assert note in "\n".join(texts)

    # --- anonymise and delete: only now, behind the typed title; delete works -------------------------------
    expect(fac.locator("#anonymise")).to_be_visible()
    fac.click("#anonymise")
    expect(fac.locator("#typed-confirm")).to_be_visible()
    expect(fac.locator("#typed-confirm-go")).to_be_disabled()
    fac.click("#typed-confirm-cancel")
    expect(fac.locator("#typed-confirm")).to_be_hidden()
    fac.click("#delete-conference")
    expect(fac.locator("#typed-confirm-label")).to_contain_text(TITLE)
    fac.fill("#typed-confirm-input", "Dialogkonferanse for hundre")
    expect(fac.locator("#typed-confirm-go")).to_be_disabled()
    fac.fill("#typed-confirm-input", TITLE)
    expect(fac.locator("#typed-confirm-go")).to_be_enabled()
    shot(fac, artifacts, "hall100-console-typed-delete")
    fac.click("#typed-confirm-go")
    fac.wait_for_url(server.url + "/")
    api.get(conf.path(), expect=404)
    assert watch.errors == [], watch.errors


def expect_clusters(
    api: Api, conf: Conference, text_of: dict[int, str], placed: dict[str, list[str]]
) -> None:
    """The server holds the moves the board drew (it confirms each a moment later: poll, bounded)."""
    want = {k: sorted(v) for k, v in placed.items()}
    got: dict[str, list[str]] = {}
    for _ in range(120):
        snap = api.get(conf.path("/snapshot"))
        got = {c["title"]: sorted(text_of[i] for i in c["bullet_ids"]) for c in snap["clusters"]}
        if got == want:
            return
        time.sleep(0.25)
    assert got == want
