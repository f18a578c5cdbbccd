"""After the conference, in a real browser against a real server: the steering group moves a measure
through its steps on the measure page, hands the coordinator a log link, the coordinator writes
entries from a phone, the entries land on the timeline, the link is revoked, and the organisation's
public status page lists every measure with no person's name in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from a11y import axe_violations, describe
from docx import Document
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from support import PHONE, LiveServer, Watch, login, shot

from confapp.demo import PEOPLE

pytestmark = [pytest.mark.browser]


def accessible(page: Page) -> None:
    """axe-core finds nothing on the page as it is now (contexts are made with bypass_csp for it)."""
    found = axe_violations(page)
    assert not found, describe(found)


def step(page: Page, to: str, **fields: str) -> None:
    page.check(f"#next-step input[name=to][value={to}]")
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    page.click("#change-status")
    expect(page.locator(".flash-ok")).to_be_visible()


def test_a_measure_from_decision_to_a_logged_trial_and_a_public_page_without_names(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    out = server.cli("demo", "--base-url", server.url)
    email, password = re.search(r"e-mail: (\S+)\s+password: (\S+)", out).groups()  # type: ignore[union-attr]
    watch = Watch()
    desk = watch.page(browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True))
    login(desk, server.url, email, password)
    desk.click("#measures-link")
    rows = desk.locator("#measure-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".badge")).to_have_text("Utkast")
    accessible(desk)
    public_url = desk.locator("#public-status-link").get_attribute("href")
    rows.first.locator("a").click()

    expect(desk.locator(".rule[data-rule=no_dates]")).to_be_visible()  # the guide's advice is shown
    step(desk, "concretised", reason="Ressursteamet har konkretisert planen")
    step(desk, "decided", decided_on="2027-01-10", decision_note="Vedtatt i styringsgruppa, sak 3/27")
    step(desk, "in_trial", trial_start="2027-01-15", trial_end="2027-06-15")
    expect(desk.locator("#measure-status")).to_have_text("Under utprøving")
    expect(desk.locator(".rule[data-rule=no_dates]")).to_have_count(0)
    expect(desk.locator("#timeline .timeline-status")).to_have_count(3)
    expect(desk.locator("#timeline .timeline-source").first).to_contain_text("bord")
    expect(desk.locator("#milestones")).to_contain_text("Planlagt slutt på utprøvingen")

    desk.click("#new-link")
    flash = desk.locator(".flash-ok").inner_text()
    log_url = re.search(r"https?://\S+/log/\S+", flash)[0]  # type: ignore[index]
    shot(desk, artifacts, "measure-page-in-trial")
    accessible(desk)

    phone = watch.page(browser.new_context(**PHONE, bypass_csp=True))
    phone.goto(log_url)
    expect(phone.locator("#measure-status")).to_have_text("Under utprøving")
    for day, done, learned in (
        ("2027-01-20", "Første faste møte med helsesykepleier", "Elevene visste hvem de kunne gå til"),
        ("2027-02-03", "PPT-rådgiver på trinnmøte", ""),
    ):
        phone.fill("#happened_on", day)
        phone.fill("#done", done)
        phone.fill("#who", "5. trinn")
        phone.fill("#learned", learned)
        phone.click("#save-entry")
        expect(phone.locator(".flash-ok")).to_be_visible()
        expect(phone.locator("#entries")).to_contain_text(done)
    expect(phone.locator("#entries li")).to_have_count(2)
    shot(phone, artifacts, "coordinator-log-phone")
    accessible(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"the log page scrolls sideways on a phone: {width}px"

    desk.reload()
    expect(desk.locator("#timeline .timeline-log")).to_have_count(2)
    expect(desk.locator("#timeline .timeline-log").first).to_contain_text("PPT-rådgiver på trinnmøte")
    with desk.expect_download() as dossier:
        desk.click("#dossier-link")
    assert dossier.value.suggested_filename.endswith(".docx")
    assert "Første faste møte med helsesykepleier" in "\n".join(
        c.text for t in Document(dossier.value.path()).tables for row in t.rows for c in row.cells
    )
    desk.click(".revoke-link")
    expect(desk.locator(".flash-ok")).to_be_visible()
    assert phone.goto(log_url).status == 404  # type: ignore[union-attr]

    desk.goto(server.url + "/measures")
    with desk.expect_download() as report:
        desk.click("#status-report-link")
    cells = [c.text for t in Document(report.value.path()).tables for row in t.rows for c in row.cells]
    assert "Under utprøving" in cells and "Utkast" in cells
    with desk.expect_download() as feed:
        desk.click("#calendar-ics-link")
    days = Calendar.from_ical(Path(feed.value.path()).read_bytes()).walk("VEVENT")
    assert {str(e["dtstart"].dt) for e in days} >= {"2027-01-15", "2027-06-15"}

    public = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True))
    public.goto(public_url)
    table = public.locator("#status-table tbody tr")
    expect(table).to_have_count(2)
    expect(table.first).to_contain_text("Under utprøving")
    expect(table.nth(1)).to_contain_text("Utkast")
    shot(public, artifacts, "public-status-page")
    accessible(public)
    html = public.content()
    names = [name for name, _ in PEOPLE] + ["Demo Ordstyrer", "Avdelingsleder for mellomtrinnet"]
    assert [n for n in names if n in html] == []
    assert [e for e in watch.errors if e.split(": ")[0] != log_url] == []  # the revoked link's 404 only
