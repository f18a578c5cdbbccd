"""The school owner's overview in a real browser against a real server, on `confapp demo
--municipality`: counts, the chart, each school's plan and flagged measures, the Word download, no
overflow at 1280x720 or 1920x1080; and a school's leader reads their own school and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from a11y import axe_violations, describe
from docx import Document
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from support import LiveServer, Watch, create_facilitator, login, shot

from confapp import create_app, db
from confapp.models import Facilitator
from confapp.services import conferences, organisations

pytestmark = [pytest.mark.browser]


def no_overflow(page: Page) -> None:
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"the page is wider than the window: {width}"


def a_school_leader(server: LiveServer, school_id: int) -> tuple[str, str]:
    """A second person who runs one conference of the school (today's way of belonging to it)."""
    email, password = "rektor@vestre.example", "hemmelig-passord-vestre"
    create_facilitator(server, email, password)
    app = create_app(
        {"DATABASE_URL": server.db_url, "SECRET_KEY": "test", "SOCKETIO_ASYNC_MODE": "threading"}
    )
    with app.app_context():
        leader = db.session.scalar(select(Facilitator).where(Facilitator.email == email))
        assert leader is not None
        conf = conferences.create_conference(leader, title="Personalmøte Vestre", template="dk2_school")
        organisations.hold_conference(organisations.get(school_id), conf)
    return email, password


def test_the_school_owner_reads_every_school_and_a_school_only_itself(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    out = server.cli("demo", "--municipality", "--base-url", server.url)
    email, password = re.search(r"e-mail: (\S+)\s+password: (\S+)", out).groups()  # type: ignore[union-attr]
    lines = out.strip().splitlines()
    muni_id = int(lines[-1].removeprefix("organisation: "))
    nordli, _sorbyen, vestre = (
        int(line.removeprefix("school: ")) for line in lines if line.startswith("school: ")
    )
    watch = Watch()
    desk = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True))
    login(desk, server.url, email, password)
    desk.click("#overview-links a >> nth=0")
    expect(desk.locator("h1")).to_contain_text("Eksempel kommune (demo)")
    counts = desk.locator("#counts tbody tr")
    expect(counts).to_have_count(3)
    expect(counts.nth(2)).to_have_text(re.compile(r"Vestre skole\s*2\s*1\s*1\s*2"))
    expect(desk.locator("#chart svg rect.seg")).to_have_count(6)  # 2 + 3 + 1 segments
    expect(desk.locator("#chart-desc")).to_contain_text("Individuell oppfølging: 1, Utkast 1")
    school = desk.locator(f"#school-{vestre}")
    expect(school.locator(".flag")).to_contain_text(["Koordinator er trinnleder", "Ingen hovedarena"])
    plan = desk.locator(f"#school-{nordli} .plan li")
    expect(plan).to_have_count(7)
    expect(plan.nth(3).locator(".badge")).to_have_text("Planlagt")
    expect(plan.nth(2).locator(".badge")).to_have_text("Mangler")
    no_overflow(desk)
    shot(desk, artifacts, "overview-1280")
    found = axe_violations(desk)
    assert not found, describe(found)

    with desk.expect_download() as download:
        desk.click("#overview-docx")
    target = artifacts / "overview.docx"
    download.value.save_as(target)
    assert "Vestre skole" in [p.text for p in Document(str(target)).paragraphs]

    wide = watch.page(browser.new_context(viewport={"width": 1920, "height": 1080}))
    login(wide, server.url, email, password)
    wide.goto(f"{server.url}/organisations/{muni_id}/overview")
    no_overflow(wide)
    shot(wide, artifacts, "overview-1920")

    leader_email, leader_password = a_school_leader(server, vestre)
    own = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
    login(own, server.url, leader_email, leader_password)
    # Their school's overview, and none of the municipality's or another school's (an organisation they
    # hold a role in, e.g. the installation's first, may be listed too).
    expect(own.locator("#overview-links a", has_text="Vestre skole")).to_have_count(1)
    expect(own.locator("#overview-links a", has_text="Nordli")).to_have_count(0)
    expect(own.locator("#overview-links a", has_text="kommune")).to_have_count(0)
    for other in (muni_id, nordli):  # with the leader's login cookie, no page (a 404 page logs an error)
        for path in ("overview", "overview.docx"):
            assert own.request.get(f"{server.url}/organisations/{other}/{path}").status == 404
    own.goto(f"{server.url}/organisations/{vestre}/overview")
    expect(own.locator("#counts tbody tr")).to_have_count(1)
    expect(own.locator(".school h2")).to_have_text(["Vestre skole"])
    shot(own, artifacts, "overview-school-leader")
    assert not watch.errors, watch.errors
