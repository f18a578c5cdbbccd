"""The browser's live state repairs gaps: events out of order, one lost, end equal to a fresh snapshot.

The real projector page and a real phone client (`startLive` from /static/js/live.js) run in Chromium.
A shim around the Socket.IO client holds their live events back, then hands them over in reverse
order with the earliest one lost. live.js must sync (`since` = its last seq) before it applies an event
whose `prev` it has not reached, keep the waiting ones, and end equal to a fresh snapshot without a
reload. Protocol: docs/protocol.md, "Gaps".
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser
from support import Api, Conference, LiveServer, Watch, shot
from test_replay import norm

# Installed before any page script: wraps `io` the moment the vendored client defines it.
HOLD_JS = """
(() => {
  window.held = {}; window.deliver = {}; window.holding = false; window.nextName = "page";
  const wrap = (real) => (...args) => {
    const socket = real(...args);
    const name = window.nextName;
    const on = socket.on.bind(socket);
    socket.on = (event, fn) => {
      if (event !== "event") return on(event, fn);
      window.held[name] = []; window.deliver[name] = fn;
      return on(event, (ev) => { if (window.holding) window.held[name].push(ev); else fn(ev); });
    };
    return socket;
  };
  let wrapped;
  Object.defineProperty(window, "io", {
    configurable: true, get: () => wrapped, set: (real) => { wrapped = wrap(real); },
  });
})();
"""

START_PHONE_JS = """
async (token) => {
  const { startLive } = await import("/static/js/live.js");
  window.nextName = "phone";
  const rec = { syncs: [] };
  rec.live = startLive({ auth: { kind: "participant", token }, onChange: () => {} });
  const emit = rec.live.socket.emit.bind(rec.live.socket);
  rec.live.socket.emit = (event, ...args) => {
    if (event === "sync") rec.syncs.push(args[0]);
    return emit(event, ...args);
  };
  window.phone = rec;
}
"""

# Reverse order, the earliest lost on the way.
RELEASE_JS = """
() => {
  window.holding = false;
  for (const name of Object.keys(window.held)) {
    const evs = window.held[name].slice().reverse();
    evs.pop();
    window.held[name] = [];
    for (const ev of evs) window.deliver[name](ev);
  }
}
"""

FRESH_JS = """
(name) => new Promise((resolve) => {
  const live = name === "page" ? window.confappProjector.live : window.phone.live;
  live.socket.emit("sync", { since: null }, (ack) => resolve({ fresh: ack.snapshot, state: live.state }));
})
"""


def test_live_state_given_events_out_of_order_and_one_lost_ends_equal_to_a_fresh_snapshot(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    for i in range(4):
        conf.join(f"Deltaker {i}", "Lærer")
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, 2)
    conf.start(rnd)
    reporters = conf.appoint_reporters(groups)
    g0, g1 = groups[0], groups[1]
    member = next(m["id"] for m in g0["members"] if m["id"] != reporters[g0["id"]])
    key = facilitator_api.get(conf.path())["projector_url"].rsplit("/", 1)[1]

    watch = Watch()
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOLD_JS)
    page = watch.page(ctx)
    page.goto(f"{server.url}/p/{key}")
    page.wait_for_function("() => window.confappProjector && window.confappProjector.live.state")
    page.evaluate(START_PHONE_JS, conf.tokens[member])
    page.wait_for_function("() => window.phone.live.state && !window.phone.live.syncing")
    page.evaluate("() => { window.holding = true; }")

    texts = []
    for i in range(4):
        for n, g in enumerate((g0, g1), start=1):
            text = f"Punkt {i} fra bord {n}"
            conf.post(reporters[g["id"]], g["id"], text)
            texts.append(text)
    edited = conf.post(reporters[g0["id"]], g0["id"], "Skal rettes")
    conf.phones[reporters[g0["id"]]].patch(f"/me/bullets/{edited['uuid']}", {"text": "Rettet punkt"})
    texts.append("Rettet punkt")
    # Barrier: both clients have been sent every event (projector: 10, the phone: its table's 6).
    page.wait_for_function("() => window.held.page.length >= 10 && window.held.phone.length >= 6")
    page.evaluate(RELEASE_JS)

    last = facilitator_api.get(conf.path("/events?since=0"))["seq"]
    page.wait_for_function(
        "(last) => [window.confappProjector.live, window.phone.live]"
        "  .every((l) => l.state.seq >= last && !l.syncing)",
        arg=last,
    )
    phone_syncs = page.evaluate("() => window.phone.syncs")
    assert [s for s in phone_syncs if s["since"] is None] == [{"since": None}], f"no reload: {phone_syncs}"
    assert len(phone_syncs) > 1, f"the gap was repaired by a sync: {phone_syncs}"
    for name in ("page", "phone"):
        got = page.evaluate(FRESH_JS, name)
        assert norm(got["state"]) == norm(got["fresh"]), f"{name}: live state differs from a fresh snapshot"
    projector_texts = [b["text"] for b in page.evaluate("() => window.confappProjector.live.state.bullets")]
    assert sorted(projector_texts) == sorted(texts)
    # The screen itself counts every point of each table (5 and 4), the lost one and the reordered ones too.
    page.get_by_text("Bord 1 · 5 punkter").wait_for()
    page.get_by_text("Bord 2 · 4 punkter").wait_for()
    shot(page, artifacts, "gap-repair-projector")
    assert watch.errors == []
    ctx.close()
