"""From bullets to initiatives in real Chromium: cluster the demo's bullets by dragging and by accepting
suggestions, two boards at once, two initiative forms, and the Word export read back and rendered."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect
from support import Api, LiveServer, Watch, drag, login, shot, to_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LABELS = [
    "Målsettingen for tiltaket",
    "Hva tiltaket skal bestå i",
    "Koordinator for arbeidet med utviklingstiltaket",
    "Hovedarena for diskusjon og konkretisering av tiltaket (ressursteam eller trinnteam)",
    "Hvem som skal delta i den praktiske utprøvingen av tiltaket",
    "Tidsramme og framdriftsplan for arbeidet",
]


def demo(server: LiveServer) -> tuple[int, str, str]:
    out = server.cli("demo", "--unclustered", "--base-url", server.url).splitlines()
    login_line = next(line for line in out if "password:" in line)
    email = login_line.split("e-mail: ")[1].split()[0]
    password = login_line.split("password: ")[1].strip()
    return int(out[-1].split(": ")[1]), email, password


def board_state(page: Page) -> dict[str, list[str]]:
    """What this browser shows: cluster title -> its cards' texts (and the unsorted pile)."""
    return page.evaluate("""() => {
        const texts = (root) => [...root.querySelectorAll('li .text')].map(e => e.textContent).sort();
        const out = {"": texts(document.querySelector('#unclustered'))};
        for (const c of document.querySelectorAll('#clusters .cluster')) {
            out[c.querySelector('.cluster-title').value] = texts(c);
        }
        return out;
    }""")


def server_board(api: Api, conf_id: int) -> dict[str, list[str]]:
    snap = api.get(f"/conferences/{conf_id}/snapshot")
    text = {b["id"]: b["text"] for b in snap["bullets"]}
    placed = {i for c in snap["clusters"] for i in c["bullet_ids"]}
    out = {"": sorted(t for i, t in text.items() if i not in placed)}
    for c in snap["clusters"]:
        out[c["title"]] = sorted(text[i] for i in c["bullet_ids"])
    return out


def card(page: Page, text: str) -> str:
    return f"li:has(.text:text-is('{text}'))"


def test_board_to_initiatives_to_word(
    server: LiveServer, browser: Browser, artifacts: Path, tmp_path: Path
) -> None:
    conf_id, email, password = demo(server)
    token = server.cli(
        "create-facilitator", "--email", "to@example.no", "--name", "To", "--password", "testpassord-123"
    )
    assert token  # a second account exists; it must not see this conference
    watch = Watch()
    # Tall enough that a card and its target cluster are on screen together (a real mouse cannot reach
    # past the viewport; SortableJS would autoscroll for a person, which a test should not rely on).
    a = watch.page(browser.new_context(viewport={"width": 1500, "height": 3400}, accept_downloads=True))
    login(a, server.url, email, password)
    a.goto(f"{server.url}/c/{conf_id}/board")
    expect(a.locator("#unclustered li")).to_have_count(28)
    b = watch.page(browser.new_context(viewport={"width": 1300, "height": 1000}))
    login(b, server.url, email, password)
    b.goto(f"{server.url}/c/{conf_id}/board")
    expect(b.locator("#unclustered li")).to_have_count(28)

    # Two clusters, filled by dragging.
    for title in ("Fravær", "Helsesykepleier og PPT"):
        a.fill("#new-cluster-title", title)
        a.click("#new-cluster")
        expect(a.locator(f"#clusters .cluster-title[value='{title}']")).to_have_count(1)
    fravaer = a.locator("#clusters .cluster").nth(0)
    helse = a.locator("#clusters .cluster").nth(1)
    # Filter the unsorted pile to one table, then drag (the filters are part of the board).
    a.select_option("#filter-table", "4")
    expect(a.locator("#unclustered li")).to_have_count(7)  # table 4: 4 points in round 1, 3 in round 2
    for text, target in (
        ("Rutine for å følge opp fravær fra første dag", fravaer),
        ("Starte med én ting: rutine for fravær", fravaer),
    ):
        cluster_id = target.get_attribute("data-cluster-id")
        drag(
            a,
            f"#unclustered {card(a, text)} .text",
            f"#clusters .cluster[data-cluster-id='{cluster_id}'] ul.cards",
        )
        expect(
            a.locator(f"#clusters .cluster[data-cluster-id='{cluster_id}'] .text", has_text=text)
        ).to_be_visible()
    a.select_option("#filter-table", "")
    a.select_option("#filter-round", label="Gruppearbeid 1")
    expect(a.locator("#unclustered li")).to_have_count(16 - 1)
    for text, target in (
        ("Faste møter mellom lærer og helsesykepleier hver måned", helse),
        ("PPT bør være mer i klasserommene, ikke bare på kontoret", helse),
    ):
        cluster_id = target.get_attribute("data-cluster-id")
        drag(
            a,
            f"#unclustered {card(a, text)} .text",
            f"#clusters .cluster[data-cluster-id='{cluster_id}'] ul.cards",
        )
        expect(
            a.locator(f"#clusters .cluster[data-cluster-id='{cluster_id}'] .text", has_text=text)
        ).to_be_visible()
    a.select_option("#filter-round", "")
    # The other board saw every move.
    expect(b.locator("#unclustered li")).to_have_count(24)
    assert board_state(b) == board_state(a)

    # Accept suggestions with one tap: the card lands in the cluster the button names.
    accepted = 0
    for _ in range(3):
        button = a.locator("#unclustered .accept-suggestion").first
        expect(button).to_be_visible()
        cluster_id = button.get_attribute("data-cluster")
        text = button.locator("xpath=ancestor::li").locator(".text").inner_text()
        button.click()
        expect(
            a.locator(f"#clusters .cluster[data-cluster-id='{cluster_id}'] .text", has_text=text)
        ).to_be_visible()
        accepted += 1
    assert accepted == 3
    # Undo the last move, then cold-start the rest.
    a.click("#undo")
    expect(a.locator("#unclustered li")).to_have_count(28 - 4 - 2)
    a.click("#propose-clusters")
    expect(a.locator("#clusters .cluster")).not_to_have_count(2)
    shot(a, artifacts, "board-clustered")

    # Two boards move different cards at the same moment: both end the same, no move lost.
    api = Api(server.url)
    api.session.headers["Authorization"] = (
        "Bearer "
        + server.cli(
            "create-facilitator",
            "--email",
            "tre@example.no",
            "--name",
            "Tre",
            "--password",
            "testpassord-123",
        )
        .split("API token (shown once): ")[1]
        .strip()
    )
    snap_texts = {t for texts in board_state(a).values() for t in texts}
    assert len(snap_texts) == 28
    clusters = a.evaluate("() => window.confappBoard.live.state.clusters.map(c => [c.id, c.bullet_ids])")
    target_a, target_b = clusters[0][0], clusters[1][0]
    movable = [bid for _, ids in clusters[2:] for bid in ids]
    assert len(movable) >= 6
    mine_a, mine_b = movable[:3], movable[3:6]
    script = """([ids, target]) => {
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const url = location.pathname.replace('/c/', '/api/v1/conferences/').replace('/board', '/board/move');
        window.__moves = Promise.all(ids.map(id => fetch(url, {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
            body: JSON.stringify({bullet_id: id, cluster_id: target})}).then(r => r.status)));
    }"""
    a.evaluate(script, [mine_a, target_a])
    b.evaluate(script, [mine_b, target_b])
    assert a.evaluate("() => window.__moves") == [200, 200, 200]
    assert b.evaluate("() => window.__moves") == [200, 200, 200]
    # Barrier, not a sleep: the conference's counter after the six moves; each board applies events in
    # seq order, so once both stand there, every move has reached both.
    seq = a.evaluate("""async () => {
        const url = location.pathname.replace('/c/', '/api/v1/conferences/').replace('/board', '/snapshot');
        return (await (await fetch(url, {credentials: 'same-origin'})).json()).seq;
    }""")
    for board in (a, b):
        board.wait_for_function("(seq) => window.confappBoard.live.state.seq >= seq", arg=seq)
    final_a = a.evaluate("() => window.confappBoard.live.state.clusters.map(c => [c.id, c.bullet_ids])")
    final_b = b.evaluate("() => window.confappBoard.live.state.clusters.map(c => [c.id, c.bullet_ids])")
    assert final_a == final_b, "both boards show the same thing"
    placed = dict(final_a)
    assert set(mine_a) <= set(placed[target_a]) and set(mine_b) <= set(placed[target_b]), "no move lost"
    assert board_state(a) == board_state(b)
    shot(b, artifacts, "board-second-context")

    # Two initiatives from the first two clusters, their forms filled in.
    titles = []
    for n, fields in enumerate(
        [
            {
                "#f-goal": "Alle elever møter et flerfaglig team.",
                "#f-coordinator": "Trinnleder 5. trinn",
                "#f-participants": "Lærerne på 5.–7. trinn og helsesykepleier",
                "#f-timeframe": "Høst 2027, evaluering i mars",
            },
            {
                "#f-goal": "Fravær følges opp fra første dag.",
                "#f-coordinator": "Sosiallærer",
                "#f-participants": "Kontaktlærerne",
                "#f-timeframe": "Fra januar",
            },
        ]
    ):
        a.goto(f"{server.url}/c/{conf_id}/board")
        cluster = a.locator("#clusters .cluster").nth(n)
        titles.append(cluster.locator(".cluster-title").input_value())
        cluster.locator(".make-initiative").click()
        expect(a.locator("#initiative-form")).to_be_visible()
        expect(a.locator("label[for='f-goal']")).to_have_text(LABELS[0])
        for selector, value in fields.items():
            a.fill(selector, value)
        if n == 0:
            a.check("#f-leader")
        a.check("input[name='main_arena'][value='resource_team']")
        a.check("input[name='pyramid_level'][value='preventive']")
        a.select_option("select[name='multi_professional']", "yes")  # tri-state: yes / no / not assessed
        a.select_option("select[name='lasting']", "no")
        a.click("#save-initiative")
        expect(a.locator("#saved")).not_to_be_empty()
        if n == 0:
            expect(a.locator("#warnings")).to_contain_text("trinnleder")
            shot(a, artifacts, "initiative-form")
        else:
            expect(a.locator("#warnings")).not_to_contain_text("trinnleder")
        expect(a.locator("#sources tbody tr")).not_to_have_count(0)

    # Word: all initiatives in one document, read back, and rendered by LibreOffice.
    a.goto(f"{server.url}/c/{conf_id}/board")
    with a.expect_download() as download:
        a.click("#download-initiatives")
    data = Path(download.value.path()).read_bytes()
    (artifacts / "initiatives.docx").write_bytes(data)
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    for title in titles:
        assert title in headings
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for label in LABELS:
        assert label in cells
    assert "Alle elever møter et flerfaglig team." in cells and "Fravær følges opp fra første dag." in cells
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(cells)
    assert "Rutine for å følge opp fravær fra første dag" in body, "source bullets in the appendix"
    answers = [
        row.cells[1].text for t in doc.tables for row in t.rows if row.cells[0].text.startswith("Tiltaket ")
    ]
    assert answers[:3] == ["Ja", "Nei", "ikke vurdert"], answers  # the third check was never answered
    target = tmp_path / "tiltak.docx"
    target.write_bytes(data)
    assert watch.errors == [], watch.errors
    assert to_pdf(target).stat().st_size > 10_000
