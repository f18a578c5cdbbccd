// Live state for every screen: connect, sync from the last seq, apply events. Protocol: docs/protocol.md.
// The reducers here and confapp/events.py must change together.

const RESYNC_ON = new Set(["phase.changed", "groups.published", "vote.opened", "vote.closed"]);

export function uuid4() {
  // crypto.randomUUID needs a secure context; a venue's plain-http LAN address is not one.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function upsert(list, item, key = "id") {
  const i = list.findIndex((x) => x[key] === item[key]);
  if (i >= 0) list[i] = item; else list.push(item);
}

function moveCard(state, m) {
  // Same order as the server: by position, ties by bullet id.
  for (const c of state.clusters) {
    if (c.bullet_ids.includes(m.bullet_id)) {
      c.bullet_ids = c.bullet_ids.filter((id) => id !== m.bullet_id);
      delete c.positions[String(m.bullet_id)];
    }
  }
  const target = state.clusters.find((c) => c.id === m.cluster_id);
  if (!target) return;
  target.positions[String(m.bullet_id)] = m.position;
  target.bullet_ids.push(m.bullet_id);
  target.bullet_ids.sort((a, b) => target.positions[String(a)] - target.positions[String(b)] || a - b);
}

export function applyEvent(state, ev) {
  const d = ev.data;
  switch (ev.type) {
    case "conference.updated":
      state.conference = d.conference; state.rounds = d.rounds; break;
    case "participant.joined":
    case "participant.released":
      if (state.participants) upsert(state.participants, d.participant); break;
    case "participant.removed":
      if (state.participants) {
        const p = state.participants.find((x) => x.id === d.participant_id);
        if (p) p.removed = true;
      }
      break;
    case "groups.planned":
      state.groups = state.groups.filter((g) => g.round_id !== d.round_id).concat(d.groups); break;
    case "groups.published": {
      // The tables themselves come with the new snapshot this event triggers (RESYNC_ON).
      const r = state.rounds.find((x) => x.id === d.round_id);
      if (r) r.groups_published = true;
      break;
    }
    case "group.member_added": {
      const g = state.groups.find((x) => x.id === d.group_id);
      if (g && !g.members.some((m) => m.id === d.member.id)) g.members.push(d.member);
      break;
    }
    case "group.roles_set": {
      const g = state.groups.find((x) => x.id === d.group_id);
      if (g) { g.leader_id = d.leader_id; g.reporter_id = d.reporter_id; }
      break;
    }
    case "phase.changed":
      state.conference.status = d.status;
      state.conference.active_round_id = d.active_round ? d.active_round.id : null;
      if (d.active_round) upsert(state.rounds, d.active_round);
      break;
    case "bullet.posted":
    case "bullet.edited":
      upsert(state.bullets, d.bullet); break;
    case "bullet.deleted":
      state.bullets = state.bullets.filter((b) => b.id !== d.bullet_id); break;
    case "bullet.plenary_point":
      for (const b of state.bullets) if (b.group_id === d.group_id) b.is_plenary_point = b.id === d.bullet_id;
      break;
    case "plenary.focus":
      state.conference.focus_group_number = d.group_number; break;
    case "projector.paged":
      // A step for the screens showing now (projector.js reads live.lastEvent); nothing in the snapshot.
      break;
    case "note.saved":
      upsert(state.notes, d.note); break;
    case "cluster.saved": {
      if (!state.clusters) break;
      const old = state.clusters.find((c) => c.id === d.cluster.id);
      upsert(state.clusters, old ? { ...d.cluster, bullet_ids: old.bullet_ids, positions: old.positions } : d.cluster);
      state.clusters.sort((a, b) => a.position - b.position || a.id - b.id);
      break;
    }
    case "cluster.deleted":
      if (state.clusters) state.clusters = state.clusters.filter((c) => c.id !== d.cluster_id);
      break;
    case "board.moved":
      if (state.clusters) for (const m of d.moves) moveCard(state, m);
      break;
    case "vote.opened":
    case "vote.closed":
      state.vote = d.vote; break;
    case "vote.tally":
      if (state.vote && state.vote.id === d.vote_id) state.tally = d.totals;
      break;
    case "initiative.saved":
      if (state.initiatives) upsert(state.initiatives, d.initiative);
      break;
    case "initiative.deleted":
      if (state.initiatives) state.initiatives = state.initiatives.filter((i) => i.id !== d.initiative_id);
      break;
    default:
      console.warn("unknown event type", ev.type);
  }
}

export function classify(seq, ev) {
  // The order rule (docs/protocol.md, "Gaps"): a live event carries `prev`, the seq of the event this
  // screen's audience was sent before it. "old": applied already (or older than the snapshot); "gap":
  // an event for this screen between `seq` and this one is missing; "apply": the next one in order.
  if (ev.seq <= seq) return "old";
  if (ev.prev !== undefined && ev.prev > seq) return "gap";
  return "apply";
}

export function startLive({ auth, onChange, onStatus = () => {}, onConnectExtra = () => {}, resyncSpreadMs = 0 }) {
  // resyncSpreadMs: phones wait a random moment before the new snapshot a RESYNC_ON event asks for, so
  // a hall of phones does not ask the server in the same millisecond (the reducer has already applied
  // what the event itself says).
  const socket = io({ auth, transports: ["websocket", "polling"], reconnectionDelayMax: 4000 });
  const live = { socket, state: null, serverOffset: 0, syncing: false, again: null, queued: [] };

  function changed() { if (live.state) onChange(live.state, live); }

  function handle(ev) {
    if (!live.state) { live.queued.push(ev); return; }
    const next = classify(live.state.seq, ev);
    if (next === "old") return;
    if (next === "gap") {
      // Something this screen should have seen came in between (lost on the way): fetch it first.
      // `seq` stays where it is, and this event waits in the queue, so nothing is skipped or dropped.
      live.queued.push(ev);
      live.resync(false);
      return;
    }
    applyEvent(live.state, ev);
    live.state.seq = ev.seq;
    live.lastType = ev.type;
    live.lastEvent = ev; // commands to a screen (projector.paged) are read from here, not from state
    if (RESYNC_ON.has(ev.type)) {
      if (resyncSpreadMs > 0) { changed(); setTimeout(() => live.resync(true), Math.random() * resyncSpreadMs); }
      else live.resync(true);
      return;
    }
    changed();
  }

  function receive(ev) { if (live.syncing) live.queued.push(ev); else handle(ev); }

  live.resync = function resync(full = false) {
    if (live.syncing) { live.again = live.again || { full: false }; live.again.full ||= full; return; }
    live.syncing = true;
    const since = full || !live.state ? null : live.state.seq;
    socket.timeout(10000).emit("sync", { since }, (err, ack) => {
      live.syncing = false;
      if (err || !ack || !ack.ok) { setTimeout(() => socket.connected && live.resync(full), 2000); return; }
      if (ack.snapshot) {
        live.state = ack.snapshot;
        live.serverOffset = Date.parse(ack.snapshot.server_now) - Date.now();
      } else if (live.state) {
        let again = false;
        for (const ev of ack.events) {
          if (ev.seq > live.state.seq) { applyEvent(live.state, ev); live.state.seq = ev.seq; }
          if (RESYNC_ON.has(ev.type)) again = true;
        }
        live.state.seq = Math.max(live.state.seq, ack.seq);
        if (again) live.again = { full: true };
      }
      if (live.again) {
        // Asked for again while this answer was under way: the queue waits for the next one; none is lost.
        const { full: nextFull } = live.again; live.again = null;
        live.resync(nextFull);
        return;
      }
      const queued = live.queued.sort((a, b) => a.seq - b.seq); live.queued = [];
      for (const ev of queued) receive(ev);
      changed();
    });
  };

  socket.on("connect", () => { onStatus("online"); live.resync(false); onConnectExtra(live); });
  socket.on("disconnect", () => onStatus("offline"));
  socket.on("connect_error", () => onStatus("offline"));
  socket.on("event", receive);

  live.emit = function emit(name, data, timeoutMs = 8000) {
    return new Promise((resolve, reject) => {
      if (!socket.connected) { reject(new Error("offline")); return; }
      socket.timeout(timeoutMs).emit(name, data, (err, ack) => (err ? reject(err) : resolve(ack)));
    });
  };
  live.now = () => Date.now() + live.serverOffset;
  return live;
}

export function countdown(endsAtIso, now) {
  if (!endsAtIso) return "";
  const left = Math.round((Date.parse(endsAtIso) - now) / 1000);
  const s = Math.max(0, left);
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return left < 0 ? `0:00` : text;
}

export function el(tag, attrs = {}, ...children) {
  // Build DOM with textContent only: user text is never parsed as HTML.
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false)
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

export function strings() {
  const node = document.getElementById("i18n");
  return node ? JSON.parse(node.textContent) : {};
}

export function fmt(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, k) => String(values[k] ?? ""));
}

export function jsonApi(base, { errorEl, errorText }) {
  // The console's calls to /api/v1 with its login session: CSRF header, JSON errors shown in errorEl.
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  return async function api(method, path, body) {
    const res = await fetch(base + path, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const msg = (data.error && data.error.message) || res.statusText;
      errorEl.textContent = fmt(errorText, { message: msg });
      errorEl.hidden = false;
      throw new Error(msg);
    }
    errorEl.hidden = true;
    return data;
  };
}

export function renderGuard(render) {
  // Never rebuild the DOM under a pressed pointer: the card being picked up would vanish.
  // Returns busy(): true while a pointer is down (the render is then repeated on release).
  let pointerDown = false;
  let pending = false;
  document.addEventListener("pointerdown", () => { pointerDown = true; }, true);
  document.addEventListener("pointerup", () => {
    pointerDown = false;
    if (pending) { pending = false; setTimeout(render, 0); }
  }, true);
  return () => { if (pointerDown) pending = true; return pointerDown; };
}

export function plural(forms, n, values = {}) {
  // forms: {one, other} from the server (participant_ui/strings.py `_forms`); nb, nn and en share this rule.
  return fmt(n === 1 ? forms.one : forms.other, { n, ...values });
}
