"""The experience bank in a real browser against a real server, on `confapp demo --municipality`: a
reader from Vestre skole searches the bank, opens Nordli skole's measure and sees roles, not names (the
invented coordinator "Kari Nordmann" is absent, "Koordinator" is there), attaches it to their own
conference in preparation, and the participants' preparation page shows it without names. Screenshots
at 1280 wide and on a 390 px phone; no overflow, no axe violations on the desk pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from a11y import axe_violations, describe
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from support import LiveServer, Watch, create_facilitator, login, shot

from confapp import create_app, db
from confapp.models import Conference, Facilitator, Measure
from confapp.services import conferences, initiatives, memberships, organisations, preparation

pytestmark = [pytest.mark.browser]
COORDINATOR = "Kari Nordmann"  # invented


def no_overflow(page: Page) -> None:
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"the page is wider than the window: {width}"


def setup(server: LiveServer, nordli: int, vestre: int) -> tuple[str, str, int, str]:
    """Nordli's measure in trial gets an invented coordinator; a teacher of Vestre (a facilitator role
    there) has a conference in preparation. Returns their login, the measure's id and the join code."""
    email, password = "laerer@vestre.example", "hemmelig-passord-vestre"
    create_facilitator(server, email, password)
    app = create_app(
        {"DATABASE_URL": server.db_url, "SECRET_KEY": "test", "SOCKETIO_ASYNC_MODE": "threading"}
    )
    with app.app_context():
        m = db.session.scalar(
            select(Measure).where(Measure.organisation_id == nordli, Measure.status == "in_trial")
        )
        assert m is not None and m.conference_id is not None
        conf = db.session.get(Conference, m.conference_id)
        assert conf is not None
        initiatives.update(conf, m.id, {"coordinator": COORDINATOR}, version=m.version)
        teacher = db.session.scalar(select(Facilitator).where(Facilitator.email == email))
        assert teacher is not None
        with db.transaction() as s:
            memberships.do_grant(s, organisations.get(vestre), teacher, "facilitator")
        draft = conferences.create_conference(
            teacher, title="Dialogkonferanse 2 – Vestre skole", template="dk2_school"
        )
        organisations.hold_conference(organisations.get(vestre), draft)
        assert not preparation.is_open(draft)
        return email, password, m.id, draft.join_code


def test_a_reader_from_another_school_searches_the_bank_and_sees_no_names(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    out = server.cli("demo", "--municipality", "--base-url", server.url)
    demo_email, demo_password = re.search(r"e-mail: (\S+)\s+password: (\S+)", out).groups()  # type: ignore[union-attr]
    lines = out.strip().splitlines()
    muni_id = int(lines[-1].removeprefix("organisation: "))
    nordli, _sorbyen, vestre = (
        int(line.removeprefix("school: ")) for line in lines if line.startswith("school: ")
    )
    email, password, measure_id, code = setup(server, nordli, vestre)

    watch = Watch()
    desk = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True))
    login(desk, server.url, email, password)
    desk.click(f"#bank-link-{muni_id}")
    expect(desk.locator("h1")).to_have_text("Erfaringsbank: Eksempel kommune (demo)")
    expect(desk.locator(".bank-item")).to_have_count(6)
    desk.fill("#bank-text", "elevsamtaler")
    desk.select_option("#bank-profession", "school_health")
    desk.click("#bank-submit")
    results = desk.locator(".bank-item")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Nordli skole")
    expect(results.first.locator(".chip")).to_contain_text(["Lærere", "Skolehelsetjenesten"])
    expect(desk.locator("#bank-results-h")).to_contain_text("1 tiltak funnet")
    no_overflow(desk)
    shot(desk, artifacts, "bank-search-1280")
    found = axe_violations(desk)
    assert not found, describe(found)

    results.first.locator("h3 a").click()
    expect(desk.locator("#roles-notice")).to_contain_text("utenfra Nordli skole")
    expect(desk.locator("#plan-coordinator")).to_have_text("Koordinator")
    expect(desk.locator("#timeline")).to_contain_text("Lærere, Skolehelsetjenesten")
    html = desk.content()
    for name in (COORDINATOR, "Ada Berg", "Bjørn Dahl"):
        assert name not in html, name
    no_overflow(desk)
    shot(desk, artifacts, "bank-measure-1280")
    found = axe_violations(desk)
    assert not found, describe(found)
    desk.click("#bank-attach")
    expect(desk.locator(".flash").first).to_contain_text("Lagt ved forberedelsessiden")
    desk.click("#bank-attach")  # the same measure again: refused, said plainly
    expect(desk.locator(".flash").first).to_contain_text("allerede lagt ved")

    # The school's own people see the names (the demo's facilitator runs Nordli's conference).
    own = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
    login(own, server.url, demo_email, demo_password)
    own.goto(f"{server.url}/organisations/{muni_id}/bank/{measure_id}")
    expect(own.locator("#plan-coordinator")).to_have_text(COORDINATOR)
    expect(own.locator("#roles-notice")).to_have_count(0)

    phone = watch.page(
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    )
    login(phone, server.url, email, password)
    phone.goto(
        f"{server.url}/organisations/{vestre}/bank?level=preventive"
    )  # a school's id: its municipality's
    expect(phone.locator("h1")).to_contain_text("Eksempel kommune (demo)")
    expect(phone.locator(".bank-item").first).to_be_visible()
    shot(phone, artifacts, "bank-search-390")
    no_overflow(phone)
    phone.goto(f"{server.url}/organisations/{muni_id}/bank/{measure_id}")
    expect(phone.locator("#plan-coordinator")).to_have_text("Koordinator")
    assert COORDINATOR not in phone.content()
    shot(phone, artifacts, "bank-measure-390")
    no_overflow(phone)

    # The participants' preparation page, opened with nothing but the join link: the example, no names.
    guest = watch.page(
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    )
    guest.goto(f"{server.url}/j/{code}")
    expect(guest.locator("#prep-attachments")).to_contain_text("Eksempel fra et tiltak")
    assert COORDINATOR not in guest.content()
    shot(guest, artifacts, "bank-preparation-390")
    assert not watch.errors, watch.errors
