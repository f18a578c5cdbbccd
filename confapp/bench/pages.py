"""Browser scenarios of `confapp bench`: the phone pages on slow 3G, and the projector under load.

Both drive the distribution's Chromium through Playwright (the `test` extra) against a real
`confapp serve` on 127.0.0.1.

- `pages`: what a phone downloads and how soon it can be used. Each page is loaded with a cold cache
  in a 390×844 phone context under DevTools' "Slow 3G" profile (2,000 ms latency, 400 kbit/s down
  and up), its "Fast 3G" (562.5 ms, 1.44 Mbit/s down) and unthrottled. Bytes are what crossed the wire
  (`Network.loadingFinished` → `encodedDataLength`: headers plus the compressed body), and the
  Socket.IO frames besides. "Usable" is the moment, on the page's own clock, that the thing the
  person came for is on screen: the join form; "you are at table N" with the table's people; the
  reporter's text box (the server draws these; the form posts without JavaScript). "Live" is when
  phone.js has connected and drawn its own snapshot (the table's points). The first visit adds them
  up in one context, as a phone really goes:
  join page → join → the phone page (its table) → appointed reporter (live, no reload).
- `projector`: 30 tables and 300 points in the projector's state during a running round; the bench
  posts points through the API and the page records, for each, the time from the Socket.IO message to
  the next frame painted with it (`requestAnimationFrame` after the render) and the main-thread time
  the render took. Then plenary with one table's 300 points on screen: the time to switch the focus to
  it and paint.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from confapp.bench.runner import ROLES, TOPICS, BenchError, Options, Server, create_conference, http, log
from confapp.bench.stats import machine, percentiles

# Chromium DevTools' "Slow 3G" (front_end/core/sdk/NetworkManager.ts): 500 kbit/s × 0.8, 400 ms × 5.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 500 * 1024 / 8 * 0.8,
    "uploadThroughput": 500 * 1024 / 8 * 0.8,
}
# DevTools' "Fast 3G": 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up, 150 ms × 3.75 — a crowded venue Wi-Fi.
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}
PROFILES: dict[str, dict[str, Any] | None] = {"slow_3g": SLOW_3G, "fast_3g": FAST_3G, "unthrottled": None}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PAGE_BUDGET_BYTES = 100 * 1024
USABLE_BUDGET_MS = 3000

# Recorded in the page from its first byte: when each awaited element first appears (performance.now).
MARKS_JS = """
(() => {
  window.__marks = {};
  const want = {
    form: "#join-form #name",
    table: "#my-table .people",
    composer: "#composer-slot:not([hidden]) #bullet-text",
    live: "#my-bullets, #my-bullets-empty",  // drawn by phone.js from its snapshot, never by the server
  };
  const check = () => {
    for (const [name, sel] of Object.entries(want)) {
      if (!(name in window.__marks) && document.querySelector(sel)) window.__marks[name] = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === "first-contentful-paint") window.__marks.paint = e.startTime;
    }
  }).observe({ type: "paint", buffered: true });
  document.addEventListener("DOMContentLoaded", check);
})();
"""


def chromium_path() -> str:
    found = os.environ.get("CONFAPP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise BenchError(
            "the browser scenarios need Chromium (apt-get install chromium, or CONFAPP_CHROMIUM=path)"
        )
    return found


class Wire:
    """Bytes a page moved, from Chromium's own network events (a CDP session per page)."""

    def __init__(self, page: Any, throttle: dict[str, Any] | None):
        self.cdp = page.context.new_cdp_session(page)
        self.http: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.ws_in = 0
        self.ws_out = 0
        self.cdp.send("Network.enable")
        if throttle:
            self.cdp.send("Network.emulateNetworkConditions", throttle)
        self.cdp.on(
            "Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"])
        )
        self.cdp.on(
            "Network.loadingFinished",
            lambda e: self.http.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        self.cdp.on("Network.webSocketFrameReceived", self._ws_in)
        self.cdp.on("Network.webSocketFrameSent", self._ws_out)

    def _ws_in(self, e: dict[str, Any]) -> None:
        self.ws_in += len(e["response"]["payloadData"].encode())

    def _ws_out(self, e: dict[str, Any]) -> None:
        self.ws_out += len(e["response"]["payloadData"].encode())

    def total(self) -> int:
        return sum(self.http.values()) + self.ws_in + self.ws_out

    def by_url(self, base: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for rid, size in self.http.items():
            url = self.urls.get(rid, "?").replace(base, "").split("?")[0]
            out[url] = out.get(url, 0) + size
        return out


def _conference(server: Server, people: int) -> dict[str, Any]:
    api, token, detail = create_conference(server)
    conf = detail["conference"]
    rnd = next(r for r in detail["rounds"] if r["kind"] == "group")
    tokens = {}
    for i in range(people):
        _, joined = http(
            "POST",
            api + "/join",
            {
                "code": conf["join_code"],
                "name": f"Deltaker {i + 1}",
                "role": ROLES[i % 7],
                "uuid": str(uuid.uuid4()),
            },
        )
        tokens[joined["participant"]["id"]] = joined["token"]
    return {
        "api": api,
        "token": token,
        "id": conf["id"],
        "code": conf["join_code"],
        "round": rnd,
        "tokens": tokens,
    }


def _usable(page: Any, mark: str, timeout_ms: float) -> float:
    """When `mark`'s element was there *and* painted (no paint happens before the stylesheet is in)."""
    # Function form, not an expression: the pages' CSP forbids the eval an expression would need.
    page.wait_for_function(
        "(m) => window.__marks && m in window.__marks && window.__marks.paint !== undefined",
        arg=mark,
        timeout=timeout_ms,
    )
    return round(float(page.evaluate("(m) => Math.max(window.__marks[m], window.__marks.paint)", mark)), 1)


def _settle(page: Any, timeout_ms: float) -> None:
    """Everything the page asked for has arrived (its bytes are counted then)."""
    page.wait_for_load_state("load", timeout=timeout_ms)
    page.wait_for_load_state("networkidle", timeout=timeout_ms)


def _pages_once(server: Server, browser: Any, throttle: dict[str, Any] | None) -> dict[str, Any]:
    conf = _conference(server, people=11)
    base, api, token = server.url, conf["api"], conf["token"]
    timeout = 60_000
    out: dict[str, Any] = {}

    # First visit, one context: join page → join → phone page → appointed reporter while it is open.
    ctx = browser.new_context(**PHONE, locale="nb-NO")
    ctx.add_init_script(MARKS_JS)
    page = ctx.new_page()
    wire = Wire(page, throttle)
    page.goto(f"{base}/j/{conf['code']}", wait_until="commit")
    join_usable = _usable(page, "form", timeout)
    _settle(page, timeout)
    join_bytes = wire.total()
    page.fill("#name", "Telefon Testesen")
    page.fill("#role", "Lærer")
    page.click("#join-form button[type=submit]")
    page.wait_for_selector("#phone", timeout=timeout)
    phone_url = page.url
    me = int(page.get_attribute("#phone", "data-participant-id") or 0)
    path = f"{api}/conferences/{conf['id']}/rounds/{conf['round']['id']}"
    _, groups = http("POST", path + "/groups/propose", {"groups": 3}, token)
    http("POST", path + "/start", {}, token)
    page.wait_for_selector("#my-table .people", timeout=timeout)
    mine = next(g for g in groups if any(m["id"] == me for m in g["members"]))
    http(
        "PUT",
        f"{api}/conferences/{conf['id']}/groups/{mine['id']}/reporter",
        {"participant_id": me, "uuid": str(uuid.uuid4())},
        token,
    )
    page.wait_for_selector("#composer-slot:not([hidden]) #bullet-text", timeout=timeout)
    _settle(page, timeout)
    out["first_visit"] = {
        "bytes_total": wire.total(),
        "bytes_http": sum(wire.http.values()),
        "bytes_socketio": wire.ws_in + wire.ws_out,
        "join_page_bytes": join_bytes,
        "by_url": wire.by_url(base),
    }
    cookies = ctx.cookies()
    ctx.close()

    # Each page on its own with a cold cache: the join page, and the phone page (table, then reporter).
    cold: dict[str, Any] = {}
    for name, url, mark in (
        ("join", f"{base}/j/{conf['code']}", "form"),
        ("table_and_reporter", phone_url, "composer"),
    ):
        c = browser.new_context(**PHONE, locale="nb-NO")
        c.add_init_script(MARKS_JS)
        if name != "join":  # a joined phone's cookie sends /j/CODE straight on to its page
            c.add_cookies(cookies)
        p = c.new_page()
        w = Wire(p, throttle)
        p.goto(url, wait_until="commit")
        entry: dict[str, Any] = {}
        if mark == "composer":
            entry["table_usable_ms"] = _usable(p, "table", timeout)
        entry["usable_ms"] = _usable(p, mark, timeout)
        if mark == "composer":
            entry["live_ms"] = _usable(p, "live", timeout)  # phone.js connected and drew its snapshot
        _settle(p, timeout)
        entry["bytes_total"] = w.total()
        entry["bytes_http"] = sum(w.http.values())
        entry["bytes_socketio"] = w.ws_in + w.ws_out
        entry["first_contentful_paint_ms"] = p.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        )
        cold[name] = entry
        c.close()
    out["cold"] = cold
    out["join_usable_ms"] = join_usable
    return out


def run_pages(
    options: Options, runs: int, workdir: Path, profiles: dict[str, dict[str, Any] | None] | None = None
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    profiles = PROFILES if profiles is None else profiles
    results: dict[str, list[dict[str, Any]]] = {label: [] for label in profiles}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=["--no-sandbox"])
        try:
            for n in range(runs):
                for label, throttle in profiles.items():
                    wd = workdir / f"pages-{n + 1}-{label}"
                    wd.mkdir(parents=True, exist_ok=True)
                    server = Server("app", wd, options).start()
                    try:
                        log(f"pages, run {n + 1}/{runs}: {label}")
                        results[label].append(_pages_once(server, browser, throttle))
                    finally:
                        server.stop()
        finally:
            browser.close()
    return {"runs": results, "summary": summarise_pages(results)}


def _median(values: list[Any]) -> Any:
    vals = [v for v in values if isinstance(v, (int, float))]
    return round(statistics.median(vals), 1) if vals else None


def summarise_pages(results: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, runs in results.items():
        if not runs:
            continue
        cold_join = [r["cold"]["join"] for r in runs]
        cold_phone = [r["cold"]["table_and_reporter"] for r in runs]
        out[label] = {
            "runs": len(runs),
            "first_visit_kb": _median([r["first_visit"]["bytes_total"] / 1024 for r in runs]),
            "first_visit_http_kb": _median([r["first_visit"]["bytes_http"] / 1024 for r in runs]),
            "join_usable_ms": _median([c["usable_ms"] for c in cold_join]),
            "join_cold_kb": _median([c["bytes_total"] / 1024 for c in cold_join]),
            "table_usable_ms": _median([c["table_usable_ms"] for c in cold_phone]),
            "reporter_usable_ms": _median([c["usable_ms"] for c in cold_phone]),
            "phone_live_ms": _median([c.get("live_ms") for c in cold_phone]),
            "phone_page_cold_kb": _median([c["bytes_total"] / 1024 for c in cold_phone]),
            "first_contentful_paint_ms": {
                "join": _median([c["first_contentful_paint_ms"] for c in cold_join]),
                "phone": _median([c["first_contentful_paint_ms"] for c in cold_phone]),
            },
        }
    slow = out.get("slow_3g")
    if slow:
        out["targets"] = {
            "first_visit_within_100_kb": slow["first_visit_kb"] is not None
            and slow["first_visit_kb"] <= PAGE_BUDGET_BYTES / 1024,
            "usable_within_3_s_on_slow_3g": all(
                v is not None and v <= USABLE_BUDGET_MS
                for v in (slow["join_usable_ms"], slow["table_usable_ms"], slow["reporter_usable_ms"])
            ),
        }
    return out


# Installed in the projector page: for each Socket.IO message, when it arrived, when the page had
# handled it (the render is synchronous in live.js's handler) and when the next frame was painted.
PROJECTOR_PROBE_JS = """
() => {
  window.__frames = [];
  // The projector pages long lists: count what the list holds across its pages (data-total).
  const PROJECTOR_ITEMS = () => Number(document.querySelector("#p-view [data-total]")?.dataset.total
    ?? document.querySelectorAll("#p-view li").length);
  const socket = window.confappProjector.live.socket;
  socket.onAny((name, ev) => {
    if (name !== "event") return;
    const t0 = performance.now();
    setTimeout(() => {
      const t1 = performance.now();
      requestAnimationFrame(() => setTimeout(() => {
        window.__frames.push({
          type: ev.type, seq: ev.seq, handled_ms: t1 - t0, painted_ms: performance.now() - t0,
          items: PROJECTOR_ITEMS(),
        });
      }, 0));
    }, 0);
  });
  const longTasks = window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); })
    .observe({ type: "longtask", buffered: false });
}
"""


def _projector_once(server: Server, browser: Any, bullets: int, arrivals: int) -> dict[str, Any]:
    tables = 30
    conf = _conference(server, people=tables * 2)
    api, token = conf["api"], conf["token"]
    path = f"{api}/conferences/{conf['id']}/rounds/{conf['round']['id']}"
    _, groups = http("POST", path + "/groups/propose", {"groups": tables}, token, timeout=120)
    http("POST", path + "/start", {}, token)
    reporters = {}
    for g in groups:
        reporters[g["id"]] = g["leader_id"]  # the group leader may post too
    big = groups[0]

    def post(group: dict[str, Any], k: int) -> None:
        body = {
            "group_id": group["id"],
            "uuid": str(uuid.uuid4()),
            "text": f"{TOPICS[k % len(TOPICS)]} ({k})",
        }
        http("POST", api + "/me/bullets", body, conf["tokens"][reporters[group["id"]]])

    log(f"projector: seeding {bullets} points at table {big['number']}")
    for k in range(bullets):
        post(big, k)
    _, detail = http("GET", f"{api}/conferences/{conf['id']}", None, token)

    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    page.goto(detail["projector_url"])
    page.wait_for_function("() => window.confappProjector?.live.state", timeout=60_000)
    page.evaluate(PROJECTOR_PROBE_JS)

    # A running round: 300 points in the projector's state, new ones arriving at other tables.
    for k in range(arrivals):
        post(groups[1 + k % (tables - 1)], bullets + k)
        time.sleep(0.25)
    page.wait_for_function("(n) => window.__frames.length >= n", arg=arrivals, timeout=30_000)
    during_round = page.evaluate("window.__frames.splice(0)")
    state_bullets = page.evaluate("window.confappProjector.live.state.bullets.length")

    # Plenary: table 1's 300 points on screen; the focus moves to it, then notes arrive beside them.
    plenary = next(r for r in detail["rounds"] if r["kind"] == "plenary")
    http("POST", f"{api}/conferences/{conf['id']}/rounds/{plenary['id']}/start", {}, token)
    http("PUT", f"{api}/conferences/{conf['id']}/focus", {"group_number": groups[1]["number"]}, token)
    page.wait_for_timeout(1500)  # the resync after phase.changed
    page.evaluate("window.__frames.splice(0)")
    focus = []
    for k in range(5):
        target = big if k % 2 == 0 else groups[1]
        http("PUT", f"{api}/conferences/{conf['id']}/focus", {"group_number": target["number"]}, token)
        page.wait_for_function("() => window.__frames.length >= 1", timeout=30_000)
        focus.extend(f for f in page.evaluate("window.__frames.splice(0)") if f["type"] == "plenary.focus")
        time.sleep(0.2)
    http("PUT", f"{api}/conferences/{conf['id']}/focus", {"group_number": big["number"]}, token)
    page.wait_for_function(
        "(n) => Number(document.querySelector('#focused-group [data-total]')?.dataset.total) >= n",
        arg=bullets,
        timeout=30_000,
    )
    page.wait_for_timeout(300)
    page.evaluate("window.__frames.splice(0)")
    for k in range(arrivals):
        note = {"uuid": str(uuid.uuid4()), "text": f"Notat {k}: {TOPICS[k % len(TOPICS)]}"}
        http("POST", f"{api}/conferences/{conf['id']}/notes", note, token)
        time.sleep(0.25)
    page.wait_for_function("(n) => window.__frames.length >= n", arg=arrivals, timeout=30_000)
    notes = page.evaluate("window.__frames.splice(0)")
    # Across the projector's pages (it pages what does not fit one screen).
    on_screen = page.evaluate(
        "Number(document.querySelector('#focused-group [data-total]')?.dataset.total || 0)"
    )
    long_tasks = page.evaluate("window.__longTasks")
    ctx.close()

    def figures(frames: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "n": len(frames),
            "handled_ms": percentiles([f["handled_ms"] for f in frames]),
            "painted_ms": percentiles([f["painted_ms"] for f in frames]),
        }

    return {
        "bullets_in_state": state_bullets,
        "bullets_on_screen_in_plenary": on_screen,
        "round_new_point": figures(during_round),
        "plenary_focus_to_300_on_screen": figures([f for f in focus if f["items"] >= bullets]),
        "plenary_note_beside_300": figures(notes),
        "long_tasks_ms": [round(x, 1) for x in long_tasks],
    }


def run_projector(
    options: Options, runs: int, workdir: Path, bullets: int = 300, arrivals: int = 30
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=["--no-sandbox"])
        try:
            for n in range(runs):
                wd = workdir / f"projector-{n + 1}"
                wd.mkdir(parents=True, exist_ok=True)
                server = Server("app", wd, options).start()
                try:
                    log(f"projector, run {n + 1}/{runs}")
                    results.append(_projector_once(server, browser, bullets, arrivals))
                finally:
                    server.stop()
        finally:
            browser.close()
    keys = ("round_new_point", "plenary_focus_to_300_on_screen", "plenary_note_beside_300")
    summary = {
        k: {
            "painted_p50_ms": _median([r[k]["painted_ms"]["p50"] for r in results]),
            "painted_p95_ms": _median([r[k]["painted_ms"]["p95"] for r in results]),
            "handled_p50_ms": _median([r[k]["handled_ms"]["p50"] for r in results]),
            "painted_max_ms": max((r[k]["painted_ms"]["max"] or 0) for r in results),
        }
        for k in keys
    }
    summary["bullets_on_screen"] = min(r["bullets_on_screen_in_plenary"] for r in results)
    summary["long_tasks"] = sum(len(r["long_tasks_ms"]) for r in results)
    summary["machine"] = machine()
    return {"runs": results, "summary": summary}


def run_browser_scenarios(
    names: list[str], runs: int, options: Options, json_path: Path | None, report: dict[str, Any] | None
) -> dict[str, Any]:
    """Run `pages` and/or `projector`, print their medians, and add them to the JSON report."""
    import json
    import tempfile

    report = report or {"machine": machine(), "scenarios": {}}
    root = Path(options.workdir or tempfile.mkdtemp(prefix="confapp-bench-"))
    try:
        for name in names:
            result = (run_pages if name == "pages" else run_projector)(options, runs, root)
            report["scenarios"][name] = result
            print_browser_summary(name, result["summary"])
            if json_path:
                json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    finally:
        if options.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return report


def print_browser_summary(name: str, summary: dict[str, Any]) -> None:
    if name == "pages":
        for label in PROFILES:
            s = summary.get(label)
            if not s:
                continue
            print(
                f"== pages, {label} (medians of {s['runs']}): first visit {s['first_visit_kb']} KB"
                f" (HTTP {s['first_visit_http_kb']} KB); usable: join {s['join_usable_ms']} ms,"
                f" table {s['table_usable_ms']} ms, reporter {s['reporter_usable_ms']} ms,"
                f" live (socket + snapshot) {s['phone_live_ms']} ms"
                f" (cold: join page {s['join_cold_kb']} KB, phone page {s['phone_page_cold_kb']} KB)",
                flush=True,
            )
        print(f"   targets: {summary.get('targets')}", flush=True)
        return
    for key in ("round_new_point", "plenary_focus_to_300_on_screen", "plenary_note_beside_300"):
        s = summary[key]
        print(
            f"== projector, {key}: message→painted p50/p95/max {s['painted_p50_ms']}/{s['painted_p95_ms']}"
            f"/{s['painted_max_ms']} ms, handled p50 {s['handled_p50_ms']} ms",
            flush=True,
        )
    print(f"   points on screen in plenary: {summary['bullets_on_screen']}", flush=True)
