"""A whole conference in real Chromium: one facilitator, a projector and four phones, two rounds.

Screenshots land in test-artifacts/ (look at them: a page that passes but looks broken is broken).
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect
from support import PHONE, Api, LiveServer, Watch, create_facilitator, drag, shot, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PEOPLE = [
    ("Ada Testesen", "Lærer"),
    ("Bo Prøvesen", "Helsesykepleier"),
    ("Cilla Eksempel", "PPT-rådgiver"),
    ("Dag Demo", "Assistent"),
]


def groups_of(api: Api, conf_id: int, round_id: int) -> list[dict]:
    return api.get(f"/conferences/{conf_id}/rounds/{round_id}/groups")  # type: ignore[no-any-return]


def seated(api: Api, conf_id: int, round_id: int, pid: int, number: int) -> bool:
    """Whether the server has this person at table `number` now."""
    table = next(g for g in groups_of(api, conf_id, round_id) if g["number"] == number)
    return pid in [m["id"] for m in table["members"]]


def test_whole_conference_in_the_browser(server: LiveServer, browser: Browser, artifacts: Path) -> None:
    token = create_facilitator(server, "ordstyrer@example.no", "hemmelig-passord")
    api = Api(server.url, token)
    watch = Watch()

    # --- the facilitator prepares the conference in the browser ---
    fac = watch.page(browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True))
    fac.goto(server.url + "/login")
    fac.fill("#email", "ordstyrer@example.no")
    fac.fill("#password", "hemmelig-passord")
    fac.click("#login-submit")
    fac.click("#new-conference")
    fac.fill("#title", "Dialogkonferanse 1 – Testskolen")
    fac.select_option("#template", "dk1_school")
    fac.click("#create-conference")
    expect(fac.locator("#purpose")).not_to_be_empty()
    conf_id = int(re.search(r"/c/(\d+)/edit", fac.url).group(1))  # type: ignore[union-attr]
    fac.click("#save-conference")
    expect(fac.locator("#join-code")).to_be_visible()
    code = fac.locator("#join-code").inner_text().strip()
    detail = api.get(f"/conferences/{conf_id}")
    rounds = detail["rounds"]
    group_rounds = [r for r in rounds if r["kind"] == "group"]
    plenaries = [r for r in rounds if r["kind"] == "plenary"]
    assert len(group_rounds) == 2 and len(plenaries) == 2
    shot(fac, artifacts, "console-prepared")

    projector = watch.page(browser.new_context(viewport={"width": 1600, "height": 900}))
    projector.goto(detail["projector_url"])

    # --- four phones join by the code ---
    phones: dict[str, Page] = {}
    for name, role in PEOPLE:
        page = watch.page(browser.new_context(**PHONE))
        page.goto(f"{server.url}/j/{code}")
        page.fill("#name", name)
        page.fill("#role", role)
        page.click("#join-form button[type=submit]")
        expect(page.locator("#view")).to_contain_text(name.split()[0])
        phones[name] = page
    shot(phones["Ada Testesen"], artifacts, "phone-joined")
    # Reloading keeps the same participant.
    phones["Ada Testesen"].goto(f"{server.url}/j/{code}")
    expect(phones["Ada Testesen"].locator("#phone")).to_be_visible()
    participants = api.get(f"/conferences/{conf_id}/participants")
    assert sorted(p["name"] for p in participants) == sorted(n for n, _ in PEOPLE)
    ids = {p["name"]: p["id"] for p in participants}
    name_of = {v: k for k, v in ids.items()}
    expect(fac.locator("#participant-count")).to_contain_text("4")

    posted: dict[int, list[str]] = {}
    for n, (rnd, plenary) in enumerate(zip(group_rounds, plenaries, strict=True), start=1):
        # --- tables: propose, drag one person, start ---
        fac.locator(f".agenda li[data-round-id='{rnd['id']}'] .select-round").click()
        fac.fill("#group-size", "2")
        fac.click("#propose")
        expect(fac.locator("#tables .table-card[data-group-id]")).to_have_count(2)
        before = groups_of(api, conf_id, rnd["id"])
        moved = before[0]["members"][0]["id"]
        drag(fac, f"#tables li[data-pid='{moved}']", "#tables .table-card[data-number='2'] .member-list")
        expect(fac.locator(f".table-card[data-number='2'] li[data-pid='{moved}']")).to_be_visible()
        # SortableJS moves the card in the page at once; the server's move follows its request.
        wait_until(lambda r=rnd["id"], p=moved: seated(api, conf_id, r, p, 2), "moved on the server")
        # and back, so the tables are two and two again
        drag(fac, f"#tables li[data-pid='{moved}']", "#tables .table-card[data-number='1'] .member-list")
        expect(fac.locator(f".table-card[data-number='1'] li[data-pid='{moved}']")).to_be_visible()
        wait_until(lambda r=rnd["id"], p=moved: seated(api, conf_id, r, p, 1), "the drag moved them back")
        # the facilitator appoints a group leader per table (the move cleared one)
        for g in groups_of(api, conf_id, rnd["id"]):
            leader_id = g["members"][-1]["id"]
            fac.locator(f".table-card[data-group-id='{g['id']}'] select.leader-select").select_option(
                str(leader_id)
            )
            expect(
                fac.locator(f".table-card[data-group-id='{g['id']}'] li.leader[data-pid='{leader_id}']")
            ).to_be_visible()
        shot(fac, artifacts, f"console-round{n}-tables")
        fac.click("#start-round")  # tables the phones have not seen: first the preview to confirm
        fac.click("#confirm-start")
        expect(fac.locator(f".agenda li.active[data-round-id='{rnd['id']}']")).to_be_visible()
        groups = groups_of(api, conf_id, rnd["id"])
        assert all(g["leader_id"] == g["members"][-1]["id"] for g in groups)
        assert [len(g["members"]) for g in groups] == [2, 2]
        if n == 2:
            first_pairs = {
                frozenset(m["id"] for m in g["members"])
                for g in groups_of(api, conf_id, group_rounds[0]["id"])
            }
            assert not first_pairs & {frozenset(m["id"] for m in g["members"]) for g in groups}, "new tables"

        # --- every phone sees its table, its table-mate and the question ---
        for g in groups:
            for m in g["members"]:
                page = phones[name_of[m["id"]]]
                expect(page.locator("#my-table .table-no")).to_contain_text(str(g["number"]))
                mate = next(x for x in g["members"] if x["id"] != m["id"])
                expect(page.locator("#my-table")).to_contain_text(mate["name"])
                expect(page.locator("#question")).to_have_text(rnd["question"])
        # --- leaders appoint reporters from their phones; reporters write ---
        posted_round: list[str] = []
        for g in groups:
            leader = phones[name_of[g["leader_id"]]]
            reporter_id = next(m["id"] for m in g["members"] if m["id"] != g["leader_id"])
            leader.select_option("#reporter-select", str(reporter_id))
            leader.click("#set-reporter")
            reporter = phones[name_of[reporter_id]]
            expect(reporter.locator("#bullet-text")).to_be_visible()
            texts = [
                f"Runde {n} bord {g['number']}: faste møter med helsesykepleier",
                f"Runde {n} bord {g['number']}: felles rutine for fravær",
                f"Runde {n} bord {g['number']}: dette punktet slettes",
            ]
            for text in texts:
                reporter.fill("#bullet-text", text)
                reporter.click("#send-bullet")
                expect(reporter.locator("#my-bullets li:not(.pending)", has_text=text)).to_be_visible()
            doomed = reporter.locator("#my-bullets li", has_text="slettes")
            doomed.locator("button.delete").click()
            expect(reporter.locator("#my-bullets li", has_text="slettes")).to_have_count(0)
            edited = reporter.locator("#my-bullets li", has_text="felles rutine")
            edited.locator("button.edit").click()
            reporter.fill(
                "#my-bullets textarea.edit-text",
                f"Runde {n} bord {g['number']}: felles rutine for fravær fra dag én",
            )
            reporter.click("#my-bullets button.save-edit")
            reporter.locator("#my-bullets li", has_text="helsesykepleier").locator("button.mark").click()
            expect(reporter.locator("#my-bullets li.point")).to_contain_text("helsesykepleier")
            final = [texts[0], f"Runde {n} bord {g['number']}: felles rutine for fravær fra dag én"]
            # the leader (the other member) sees the list live
            for text in final:
                expect(leader.locator("#my-bullets")).to_contain_text(text)
            posted_round += final
            if g["number"] == 1:
                shot(reporter, artifacts, f"phone-round{n}-reporter")
                shot(leader, artifacts, f"phone-round{n}-leader")
        posted[n] = posted_round
        expect(fac.locator("#tables")).to_contain_text(posted_round[0])
        shot(fac, artifacts, f"console-round{n}-running")
        shot(projector, artifacts, f"projector-round{n}-group")

        # --- plenary: the projector shows one table at a time ---
        fac.locator(f".agenda li[data-round-id='{plenary['id']}'] .select-round").click()
        fac.click("#start-plenary")
        seen: list[str] = []
        for number in (1, 2):
            if number == 2:
                fac.click("#next-table")
            expect(projector.locator("#focused-group")).to_have_attribute("data-number", str(number))
            g = next(x for x in groups if x["number"] == number)
            for text in posted_round:
                if f"bord {number}:" in text:
                    expect(projector.locator("#focused-group")).to_contain_text(text)
            expect(projector.locator(".tabs .current")).to_contain_text(str(number))
            seen += projector.locator("#focused-group li").all_inner_texts()
            any_phone = phones[name_of[g["members"][0]["id"]]]
            expect(any_phone.locator("#plenary")).to_contain_text(posted_round[0 if number == 1 else 2])
            if number == 1:
                shot(projector, artifacts, f"projector-plenary{n}")
                shot(any_phone, artifacts, f"phone-plenary{n}")
        assert all(any(text in s for s in seen) for text in posted_round), "the projector showed every bullet"
        note = f"Plenum {n}: mange peker på faste møter og en felles fraværsrutine."
        fac.fill("#note-text", note)
        fac.click("#save-note")
        expect(fac.locator("#notes")).to_contain_text(note)
        expect(projector.locator(".notes")).to_contain_text(note)
        shot(fac, artifacts, f"console-plenary{n}")

    fac.click("#finish")
    expect(phones["Ada Testesen"].locator("#view")).to_contain_text(re.compile(".+"))
    with fac.expect_download() as download_info:
        fac.click("#download-report")
    data = Path(download_info.value.path()).read_bytes()
    (artifacts / "browser-report.docx").write_bytes(data)
    doc = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Dialogkonferanse 1 – Testskolen" in body
    for rnd in group_rounds:
        assert rnd["question"] in body + cells
    for text in itertools.chain(*posted.values()):
        assert text in body, text
    assert "dette punktet slettes" not in body
    for name, _ in PEOPLE:
        assert name in cells
    assert "Plenum 1: mange peker" in body and "Plenum 2: mange peker" in body
    headings = [p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings, "real Word headings"
    assert watch.errors == [], watch.errors
