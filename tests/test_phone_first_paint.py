"""The phone page is drawn with its table, and a reporter's working form, before any script runs.

On a slow link the socket is seconds away (docs/performance.md: 7 s on DevTools' Slow 3G), so the
server draws what phone.js would show first; the form posts without JavaScript, and when phone.js has
loaded it takes over whatever was typed.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import Browser, Route
from support import PHONE, Api, Conference, LiveServer, shot


def _reporter_phone(server: LiveServer, api: Api) -> tuple[Conference, dict[str, Any], int]:
    conf = Conference(server, api)
    groups, reporters = conf.running_round()
    group = groups[0]
    return conf, group, reporters[group["id"]]


def _context(browser: Browser, server: LiveServer, conf: Conference, pid: int, js: bool = True) -> Any:
    ctx = browser.new_context(**PHONE, java_script_enabled=js)
    ctx.add_cookies([{"name": f"confapp_p{conf.id}", "value": conf.tokens[pid], "url": server.url}])
    return ctx


def _bullets(api: Api, conf: Conference) -> list[str]:
    return [b["text"] for b in api.get(conf.path("/snapshot"))["bullets"]]


def test_without_javascript_the_reporter_sees_the_table_and_posts_once(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf, group, reporter = _reporter_phone(server, facilitator_api)
    ctx = _context(browser, server, conf, reporter, js=False)
    page = ctx.new_page()
    page.goto(f"{server.url}/m/{conf.code}")
    table = page.locator("#my-table")
    assert f"{group['number']}" in table.locator(".table-no").inner_text()
    names = table.locator(".people li").all_inner_texts()
    assert len(names) == len(group["members"]) and any("(deg)" in n for n in names), names
    assert any("referent" in n for n in names), names
    page.fill("#bullet-text", "Felles plan for overganger, skrevet uten JavaScript")
    form = {
        "group_id": page.locator("input[name=group_id]").input_value(),
        "uuid": page.locator("input[name=uuid]").input_value(),
        "csrf_token": page.locator("input[name=csrf_token]").input_value(),
    }
    page.click("#send-bullet")
    page.wait_for_url(f"{server.url}/m/{conf.code}")
    assert page.locator(".flash").inner_text() == "Punktet ditt er sendt."
    shot(page, artifacts, "phone-without-javascript")
    assert _bullets(facilitator_api, conf) == ["Felles plan for overganger, skrevet uten JavaScript"]

    # The same form sent again (a reload that resubmits) makes no second point.
    cookies = {c["name"]: c["value"] for c in ctx.cookies()}
    again = requests.post(
        f"{server.url}/m/{conf.code}/points",
        data={**form, "text": "Felles plan for overganger, skrevet uten JavaScript"},
        cookies=cookies,
        allow_redirects=False,
        timeout=10,
    )
    assert again.status_code == 303
    assert len(_bullets(facilitator_api, conf)) == 1

    # Bad input: a clear message, the text kept, nothing stored.
    bad = requests.post(
        f"{server.url}/m/{conf.code}/points",
        data={**form, "uuid": str(uuid.uuid4()), "text": "x" * 400},
        cookies=cookies,
        timeout=10,
    )
    assert bad.status_code == 400
    assert re.search(r'id="form-error"[^>]*>[^<]+<', bad.text)
    assert "x" * 400 in bad.text
    assert len(_bullets(facilitator_api, conf)) == 1
    ctx.close()


def test_phone_js_takes_over_what_was_typed_before_it_arrived(
    server: LiveServer, facilitator_api: Api, browser: Browser
) -> None:
    conf, group, reporter = _reporter_phone(server, facilitator_api)
    ctx = _context(browser, server, conf, reporter)
    held: list[Route] = []
    ctx.route("**/static/phone/phone.js", lambda route: held.append(route))
    page = ctx.new_page()
    page.goto(f"{server.url}/m/{conf.code}", wait_until="commit")  # DOMContentLoaded waits for phone.js
    page.wait_for_selector("#early-composer #bullet-text")
    page.click("#bullet-text")
    page.keyboard.type("Skrevet før skriptet kom")
    assert held, "phone.js was asked for and held back"
    held[0].continue_()
    page.wait_for_selector("#early-composer", state="detached")
    area = page.locator("#bullet-text")
    assert area.input_value() == "Skrevet før skriptet kom"
    assert page.evaluate("document.activeElement.id") == "bullet-text"
    page.keyboard.type(", og litt etter")
    page.click("#send-bullet")
    page.wait_for_function("() => !document.getElementById('bullet-text').value")
    page.wait_for_selector("#my-bullets li")
    assert _bullets(facilitator_api, conf) == ["Skrevet før skriptet kom, og litt etter"]
    ctx.close()
