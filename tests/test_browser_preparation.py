"""Participants come prepared (issue 15, part B), in real Chromium on a real server.

The facilitator writes the preparation in the setup page; a phone (390 x 844) opens the URL decoded from
the conference's own QR code before the start, reads the preparation page and sends a point; the
facilitator's open clustering board receives it live as "before the conference". Screenshots of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect
from support import PHONE, Api, LiveServer, Watch, create_facilitator, decode_qr, free_port, login, shot

pytestmark = [pytest.mark.browser]

EMAIL, PASSWORD = "ordstyrer@example.no", "hemmelig-passord"


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[LiveServer]:
    """A server whose public address is its own, so its QR code leads to it."""
    port = free_port()
    env = {"CONFAPP_PUBLIC_URL": f"http://127.0.0.1:{port}/"}
    srv = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'prep.sqlite'}", port=port, env=env).start()
    yield srv
    srv.stop()


def test_preparation_page_from_the_qr_with_a_point_that_reaches_the_board(
    hall: LiveServer, browser: Browser, artifacts: Path, tmp_path: Path
) -> None:
    api = Api(hall.url, create_facilitator(hall, EMAIL, PASSWORD))
    made = api.post("/conferences", {"title": "Tidlig innsats på Nordby skole", "template": "dk1_school"})
    cid, code = made["conference"]["id"], made["conference"]["join_code"]
    watch = Watch()

    # The facilitator writes the preparation text and attaches a short text in the setup page.
    desk = browser.new_context(viewport={"width": 1366, "height": 768})
    page = watch.page(desk)
    login(page, hall.url, EMAIL, PASSWORD)
    page.goto(f"{hall.url}/c/{cid}/edit")
    page.fill("#preparation-text", "Tenk på ett eksempel fra egen klasse der samarbeid hjalp en elev.")
    page.click("#save-conference")
    page.goto(f"{hall.url}/c/{cid}/edit#preparation")
    page.fill("#att-title", "Eksempel fra Sørby skole")
    page.fill("#att-body", "Trinnteamet møter helsesykepleier hver fjortende dag.")
    page.click("#add-attachment-button")
    expect(page.locator("#prep-attachments")).to_contain_text("Eksempel fra Sørby skole")
    expect(page.locator("#prep-open")).to_be_visible()
    shot(page, artifacts, "prep15-setup-section")

    # The board is open before anything arrives: the point must come live.
    board = watch.page(desk)
    board.goto(f"{hall.url}/c/{cid}/board")
    expect(board.locator("#unclustered")).to_be_attached()

    # The phone opens what the QR code says, before the conference.
    svg = requests.get(f"{hall.url}/qr/{code}.svg", timeout=30).content
    url = decode_qr(svg, tmp_path)
    assert url == f"{hall.url}/j/{code}"
    phone_ctx = browser.new_context(**PHONE)  # type: ignore[arg-type]
    phone = watch.page(phone_ctx)
    phone.goto(url)
    expect(phone.locator("#prep-text")).to_contain_text("ett eksempel fra egen klasse")
    expect(phone.locator("#prep-agenda .question").first).to_be_visible()
    expect(phone.locator("#prep-attachments")).to_contain_text("helsesykepleier hver fjortende dag")
    expect(phone.locator("#prep-join")).to_contain_text(code)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]  # type: ignore[index]
    shot(phone, artifacts, "prep15-phone-preparation")

    phone.fill("#prep-point", "Faste møter mellom lærer og helsesykepleier")
    phone.click("#send-prep-point")
    expect(phone.locator(".flash-ok")).to_be_visible()
    shot(phone, artifacts, "prep15-phone-sent")

    card = board.locator("#unclustered li", has_text="Faste møter mellom lærer og helsesykepleier")
    expect(card).to_be_visible()
    expect(card.locator(".where")).to_have_text("Før konferansen")
    shot(board, artifacts, "prep15-board-before")

    # On the day the same link still lets a phone in the hall join.
    phone.click("#join-now")
    expect(phone.locator("#join-form")).to_be_visible()
    assert watch.errors == []
