"""The strategy forum in a real browser against a real server: a school's principal escalates a measure
from its page (a blank description is refused and changes nothing), the municipality's steering-group
member finds it on the forum's agenda from the overview and records the decision and who follows up,
the agenda and minutes download as Word, and the principal sees the answer on the measure's page and
timeline. Screenshots in test-artifacts/forum-*.png."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from a11y import axe_violations, describe
from docx import Document
from forum_world import PASSWORD, make_forum_world
from playwright.sync_api import Browser, expect
from support import LiveServer, Watch, login, shot

from confapp import create_app
from confapp.services import forum

pytestmark = [pytest.mark.browser]


def test_an_escalation_is_answered_by_the_forum_and_shown_on_the_schools_measure(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    app = create_app(
        {"DATABASE_URL": server.db_url, "SECRET_KEY": "test", "SOCKETIO_ASYNC_MODE": "threading"}
    )
    with app.app_context():
        w = make_forum_world()
        muni_id, mid, north_id = w.muni.id, w.measure.id, w.north.id
        dk2 = w.municipal_conference.id
        row = forum.question_rounds(w.muni)[0].position - 1  # its row on the conference's edit page
    watch = Watch()

    school = watch.page(browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True))
    login(school, server.url, "principal@example.no", PASSWORD)
    school.goto(f"{server.url}/measures/{mid}")
    school.fill("#escalation-text", "   ")
    school.click("#escalate")
    expect(school.locator(".flash-error")).to_contain_text("Hva som trenger vedtak må fylles ut")
    expect(school.locator("#escalation .escalation")).to_have_count(0)
    school.fill(
        "#escalation-text", "Vi trenger en felles kommunal rutine for skolevegring, med PPT og barnevernet."
    )
    school.click("#escalate")
    expect(school.locator(".flash-ok")).to_contain_text("Sendt til strategisk forum")
    expect(school.locator("#escalation .badge")).to_have_text("På sakslista")
    expect(school.locator("#escalate-form")).to_have_count(0)  # on the agenda once
    expect(school.locator("#timeline li").first).to_contain_text("Sendt til strategisk forum")
    shot(school, artifacts, "forum-escalated-measure")

    desk = watch.page(browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True))
    login(desk, server.url, "muni_steering@example.no", PASSWORD)
    desk.goto(f"{server.url}/organisations/{muni_id}/overview")
    desk.click("#forum-link")
    case = desk.locator("#agenda li.escalation")
    expect(case).to_have_count(1)
    expect(case).to_contain_text("Nordli skole")
    expect(case).to_contain_text("felles kommunal rutine for skolevegring")
    shot(desk, artifacts, "forum-agenda")
    found = axe_violations(desk)
    assert not found, describe(found)
    case.locator("textarea[name=decision]").fill(
        "Kommunen lager en felles rutine innen februar; PPT leder arbeidet."
    )
    case.locator("input[name=follow_up]").fill("Leder i PPT")
    case.locator("input[name=follow_up_due]").fill("2027-02-01")
    case.locator(".record-decision").click()
    expect(desk.locator(".flash-ok")).to_contain_text("Vedtaket står i referatet")
    expect(desk.locator("#agenda li.escalation")).to_have_count(0)
    expect(desk.locator("#agenda")).to_contain_text("Ingen saker venter på vedtak.")
    minutes = desk.locator("#minutes li.escalation")
    expect(minutes).to_have_count(1)
    expect(minutes.locator(".decision")).to_contain_text("Leder i PPT – innen 1. februar 2027")
    shot(desk, artifacts, "forum-minutes")
    with desk.expect_download() as download:
        desk.click("#forum-docx")
    doc = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "Referat" in text and "Kommunen lager en felles rutine" in text

    school.reload()
    expect(school.locator("#escalation .badge")).to_have_text("Vedtatt")
    expect(school.locator("#escalation .decision")).to_contain_text("PPT leder arbeidet")
    newest = school.locator("#timeline li").first
    expect(newest).to_contain_text("Vedtak i strategisk forum")
    expect(newest).to_contain_text("Leder i PPT")
    shot(school, artifacts, "forum-answer-on-measure")
    found = axe_violations(school)
    assert not found, describe(found)

    # On a phone (390 px) the forum's minutes still fit the screen.
    phone = watch.page(browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True))
    login(phone, server.url, "muni_viewer@example.no", PASSWORD)
    phone.goto(f"{server.url}/organisations/{muni_id}/forum")
    expect(phone.locator("#minutes li.escalation")).to_have_count(1)
    widths = phone.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    shot(phone, artifacts, "forum-minutes-390")
    assert widths[0] <= widths[1], widths
    shot(phone, artifacts, "forum-minutes-390")

    # The school's own forum page, linked from its overview: a question of its own.
    school.goto(f"{server.url}/organisations/{north_id}/overview")
    school.click("#forum-link")
    expect(school.locator("#sent li.escalation")).to_have_count(1)
    school.fill("#question-text", "Hvem betaler skyss når elever skal til PPT i en annen bydel?")
    school.click("#send-question")
    expect(school.locator(".flash-ok")).to_contain_text("Sendt til strategisk forum")
    expect(school.locator("#sent li.escalation").first).to_contain_text("Hvem betaler skyss")
    expect(school.locator("#sent li.escalation").first.locator(".badge")).to_have_text("På sakslista")
    shot(school, artifacts, "forum-school-page")
    found = axe_violations(school)
    assert not found, describe(found)

    # The municipality's administrator runs its DK2: the escalated question becomes a group round's question.
    admin = watch.page(browser.new_context(viewport={"width": 1280, "height": 900}))
    login(admin, server.url, "muni_admin@example.no", PASSWORD)
    admin.goto(f"{server.url}/organisations/{muni_id}/forum")
    case = admin.locator("#agenda li.escalation")
    expect(case).to_have_count(1)
    case.locator("summary", has_text="Bruk som gruppespørsmål").click()
    case.get_by_role("button", name="Bruk som spørsmål").click()
    expect(admin.locator(".flash-ok")).to_contain_text("er nå gruppenes spørsmål i DK2 Eksempel kommune")
    expect(case.locator(".taken-up")).to_contain_text("DK2 Eksempel kommune")
    shot(admin, artifacts, "forum-question-taken")
    admin.goto(f"{server.url}/c/{dk2}/edit")
    question = admin.locator("textarea[name=question]").nth(row)
    expect(question).to_have_value("Hvem betaler skyss når elever skal til PPT i en annen bydel?")
    assert not watch.errors, watch.errors
