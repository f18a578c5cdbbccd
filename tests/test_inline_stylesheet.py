"""Phone pages carry the stylesheet inline (one round trip less on a slow link), allowed by its hash."""

from __future__ import annotations

import base64
import hashlib
import re

import requests
from playwright.sync_api import Browser
from support import PHONE, Api, Conference, LiveServer

from confapp.web.stylesheet import CSS


def test_phone_pages_inline_the_stylesheet_and_the_csp_allows_exactly_it(
    server: LiveServer, facilitator_api: Api
) -> None:
    conf = Conference(server, facilitator_api)
    css = CSS.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    r = requests.get(f"{server.url}/j/{conf.code}", timeout=10)
    assert r.status_code == 200
    inline = re.findall(r"<style>(.*?)</style>", r.text, flags=re.S)
    assert inline == [css]
    assert "css/app.css" not in r.text
    csp = r.headers["Content-Security-Policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in csp and "unsafe-inline" not in csp

    login = requests.get(f"{server.url}/login", timeout=10)
    assert "<style>" not in login.text and "css/app.css" in login.text, "facilitator pages keep the file"


def test_the_browser_applies_the_inline_stylesheet_and_nothing_else_inline(
    server: LiveServer, facilitator_api: Api, browser: Browser
) -> None:
    conf = Conference(server, facilitator_api)
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    violations: list[str] = []
    requested: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and violations.append(msg.text))
    page.on("request", lambda req: requested.append(req.url))
    page.goto(f"{server.url}/j/{conf.code}")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "560px"
    assert page.evaluate("getComputedStyle(document.querySelector('#join-form')).borderRadius") == "10px"
    assert not any("app.css" in u for u in requested), requested
    # Another inline style is still refused.
    refused = page.evaluate(
        """() => new Promise((resolve) => {
            let violated = false;
            document.addEventListener("securitypolicyviolation", () => { violated = true; }, { once: true });
            const s = document.createElement("style");
            s.textContent = "main { max-width: 1px; }";
            document.head.append(s);
            const width = () => getComputedStyle(document.querySelector("main")).maxWidth;
            setTimeout(() => resolve({ violated, width: width() }), 50);
        })"""
    )
    assert refused == {"violated": True, "width": "560px"}
    assert [v for v in violations if "style" not in v.lower()] == [], violations
    ctx.close()
