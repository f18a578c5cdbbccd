// The phone: table, question, the reporter's editor with an offline outbox, and the plenary view.
import {
  countdownEl, el, everySecond, fmt, plural, reportedRound, startLive, statusLine, strings, uuid4,
} from "../js/live.js";

const root = document.getElementById("phone");
const confId = Number(root.dataset.conferenceId);
const meId = Number(root.dataset.participantId);
const MAX = Number(root.dataset.maxChars);
const T = strings();
const view = document.getElementById("view");
const statusEl = document.getElementById("status");
const statusHome = document.getElementById("status-home");
const outboxEl = document.getElementById("outbox");
const outboxHome = outboxEl.previousElementSibling; // outbox goes back after it when the composer hides
const rejectedEl = document.getElementById("rejected");

// ---- outbox: every write waits here (localStorage) until the server acknowledges it ----
const OUTBOX_KEY = `confapp.outbox.${confId}.${meId}`;
function loadOutbox() { try { return JSON.parse(localStorage.getItem(OUTBOX_KEY)) || []; } catch { return []; } }
let outbox = loadOutbox();
function saveOutbox() { localStorage.setItem(OUTBOX_KEY, JSON.stringify(outbox)); showOutbox(); }
function waitingPoints() {
  // Points, not queued operations: edits of one point count once, and a point posted and deleted
  // before the server ever acknowledged it is no longer "waiting" for the user (its delete still goes).
  const last = new Map();
  const posted = new Set();
  for (const o of outbox) {
    if (!POINT_OPS.has(o.op)) continue; // votes, notes and appointments are not points
    last.set(o.uuid, o.op);
    if (o.op === "post") posted.add(o.uuid);
  }
  return [...last].filter(([uuid, op]) => !(op === "delete" && posted.has(uuid))).length;
}
function showOutbox() {
  const n = waitingPoints();
  outboxEl.hidden = n === 0;
  outboxEl.textContent = plural(T.waiting_to_send, n);
}
function pendingPost(uuid) { return outbox.find((o) => o.op === "post" && o.uuid === uuid); }

const EVENT_FOR = { post: "bullet.post", edit: "bullet.edit", delete: "bullet.delete", mark: "bullet.mark" };
const POINT_OPS = new Set(["post", "edit", "delete"]);
// Every other phone write goes through the outbox too, as { op: <socket event>, uuid, payload }: its key
// stays on the phone until the server acknowledges it, so a retry is the same write (docs/protocol.md).
function ackOther(op, ack) {
  if (op.op.startsWith("vote.") && live.state) live.state.my_dots = ack.my_dots;
}
let flushing = false;
async function flush() {
  if (flushing || !live.socket.connected) return;
  flushing = true;
  try {
    while (outbox.length) {
      const op = outbox[0];
      if (!op.sent) { op.sent = true; saveOutbox(); } // the server may have it from now on
      let ack;
      try {
        ack = op.payload ? await live.emit(op.op, { ...op.payload, uuid: op.uuid })
          : await live.emit(EVENT_FOR[op.op], { uuid: op.uuid, group_id: op.group_id, text: op.text });
      } catch {
        setTimeout(flush, 3000);
        return;
      }
      if (ack && !ack.ok && ack.error.retry) {
        // Not wrong, only too soon (a write limit, a busy database): keep it and try again.
        rejectedEl.textContent = ack.error.message; // not "Not saved": it will be
        rejectedEl.hidden = false;
        setTimeout(() => { rejectedEl.hidden = true; }, 8000);
        setTimeout(flush, 10000);
        return;
      }
      outbox = loadOutbox().filter((o) => o.id !== op.id);
      if (ack && ack.ok && op.payload) ackOther(op, ack);
      if (ack && ack.ok && ack.bullet && live.state) {
        const i = live.state.bullets.findIndex((b) => b.uuid === ack.bullet.uuid);
        if (i >= 0) live.state.bullets[i] = ack.bullet; else live.state.bullets.push(ack.bullet);
      }
      if (ack && !ack.ok) showRejected(ack.error.message);
      saveOutbox();
      render();
    }
  } finally {
    flushing = false;
  }
}
function enqueue(op) {
  outbox.push({ id: uuid4(), ...op });
  saveOutbox();
  render();
  flush();
}
function showRejected(message) {
  rejectedEl.textContent = fmt(T.rejected, { message });
  rejectedEl.hidden = false;
  setTimeout(() => { rejectedEl.hidden = true; }, 8000);
}

// ---- the server's answers (`seat` in the snapshot: services/groups.py `seat`), looked up, not worked out ----
function activeRound(s) { return s.rounds.find((r) => r.id === s.conference.active_round_id) || null; }
function tableRound(s) { return s.rounds.find((r) => r.id === s.seat.round_id) || null; }
function myGroup(s) { return s.groups.find((g) => g.id === s.seat.group_id) || null; }
function groupBullets(s, group) {
  // Server bullets, overlaid with what still waits in the outbox.
  const list = s.bullets.filter((b) => b.group_id === group.id).map((b) => ({ ...b }));
  for (const op of outbox) {
    if (op.op === "post" && op.group_id === group.id && !list.some((b) => b.uuid === op.uuid))
      list.push({ uuid: op.uuid, text: op.text, pending: true, is_plenary_point: false, group_id: group.id });
    const b = list.find((x) => x.uuid === op.uuid);
    if (!b) continue;
    if (op.op === "edit") { b.text = op.text; b.pending = true; }
    if (op.op === "delete") b.deleted = true;
    if (op.op === "mark") for (const x of list) x.is_plenary_point = x.uuid === op.uuid;
  }
  return list.filter((b) => !b.deleted);
}

// ---- a gentle hint when a point may name a pupil (taushetsplikt): shown, never blocking ----
const CLASS_MENTION = /(^|[^\p{L}\d])(\d{1,2}\s?[a-zæøå](?![\p{L}])|\d{1,2}\.\s?(trinn|klasse|kl)|(trinn|klasse)\s?\d)/iu;
const NAME_INSIDE = /\s\p{Lu}\p{Ll}{2,}/u; // a capitalised word after the first
// "Ola i 5B …": a short capitalised first word (not a definite noun like "Ressursteamet") before a class
const NAME_THEN_CLASS = /^(?!\p{Lu}\p{Ll}*(et|ene)\s)\p{Lu}\p{Ll}{2,9}\s+(i|på|fra|\()\s*\d/u;
const PUPIL_NAMED = /(^|\s)(eleven|gutten|jenta|jenten|sønnen|dattera|datteren)\s+\p{Lu}\p{Ll}+/u;
export function mayNamePupil(text) {
  return (CLASS_MENTION.test(text) && (NAME_INSIDE.test(text) || NAME_THEN_CLASS.test(text))) || PUPIL_NAMED.test(text);
}

// ---- rendering ----
let editing = null; // {uuid, text}
let draft = "";
let reporterChoice = "";
const composer = buildComposer();
const composerSlot = document.getElementById("composer-slot");
adoptEarlyComposer();
placeStatus(!composerSlot.hidden);

function adoptEarlyComposer() {
  // The server drew a plain form so a reporter could type before this script arrived: keep its text,
  // its table and the focus, then put the live composer in its place.
  const early = document.getElementById("early-composer");
  const area = composer.querySelector("textarea");
  if (early) {
    const typed = early.querySelector("textarea");
    const focused = document.activeElement === typed;
    area.value = typed.value; draft = typed.value;
    composer.group = { id: Number(early.dataset.groupId) };
    composerSlot.replaceChildren(composer);
    area.dispatchEvent(new Event("input"));
    if (focused) { area.focus(); area.setSelectionRange(area.value.length, area.value.length); }
  } else composerSlot.append(composer);
}

function buildComposer() {
  // No maxlength: the browser would cut a long paste without a word. The counter says "N / 280",
  // turns red and says why while the text is too long, and Send waits until it fits.
  const hint = el("p", { class: "warning", id: "pupil-hint", hidden: true, text: T.pupil_warning, "aria-live": "polite" });
  const area = el("textarea", { id: "bullet-text", "aria-label": T.write_point, "aria-describedby": "bullet-count too-long",
    placeholder: T.write_point, oninput: () => { draft = area.value; counter(); hint.hidden = !mayNamePupil(area.value); } });
  const count = el("span", { class: "counter", id: "bullet-count" });
  const tooLong = el("p", { class: "error", id: "too-long", hidden: true, role: "alert" });
  const send = el("button", { type: "submit", id: "send-bullet", text: T.send });
  function counter() {
    const n = area.value.trim().length;
    const over = n > MAX;
    count.textContent = fmt(T.chars, { n, max: MAX });
    count.classList.toggle("over", over);
    area.setAttribute("aria-invalid", over ? "true" : "false");
    const reason = over ? fmt(T.too_long, { n, max: MAX }) : "";
    if (tooLong.textContent !== reason) tooLong.textContent = reason;
    tooLong.hidden = !over;
    send.disabled = n === 0 || over;
  }
  const form = el("form", { class: "composer card", id: "composer", onsubmit: (e) => {
    e.preventDefault();
    const text = area.value.trim();
    const group = composer.group;
    if (!text || text.length > MAX || !group) return;
    enqueue({ op: "post", uuid: uuid4(), group_id: group.id, text });
    area.value = ""; draft = ""; counter(); hint.hidden = true; area.focus();
  } }, el("div", { class: "row composer-head" }, el("label", { for: "bullet-text", class: "grow", text: T.write_point }),
    el("span", { class: "composer-status", id: "composer-status" })),
  area, el("div", { class: "row composer-foot" }, count, send), tooLong, hint,
  el("p", { class: "hint", text: T.pupil_hint }));
  counter();
  form.group = null;
  return form;
}

function placeStatus(withComposer) {
  // While the reporter writes, the connection status and the waiting points sit in the writing box
  // (visible above a phone's keyboard); otherwise at the top of the page.
  if (withComposer) {
    const holder = composer.querySelector("#composer-status");
    if (statusEl.parentNode !== holder) holder.append(statusEl);
    if (outboxEl.parentNode !== composer) composer.querySelector(".composer-foot").after(outboxEl);
  } else {
    if (statusEl.parentNode !== statusHome) statusHome.append(statusEl);
    if (outboxEl.previousElementSibling !== outboxHome) outboxHome.after(outboxEl);
  }
}

function people(group, s) {
  return el("ul", { class: "people" }, group.members.map((m) => {
    const tags = [];
    if (m.id === group.leader_id) tags.push(T.leader);
    if (m.id === group.reporter_id) tags.push(T.reporter);
    return el("li", {}, m.id === meId ? `${m.name} (${T.you})` : m.name,
      m.role ? el("span", { class: "role", text: ` · ${m.role}` }) : null,
      tags.length ? el("strong", { text: ` – ${tags.join(", ")}` }) : null);
  }));
}

function reporterPicker(group) {
  const select = el("select", { id: "reporter-select", "aria-label": T.choose_reporter,
    onchange: () => { reporterChoice = select.value; } },
  group.members.map((m) => el("option", { value: String(m.id), text: m.name,
    selected: String(m.id) === (reporterChoice || String(group.reporter_id ?? "")) })));
  const button = el("button", { type: "button", id: "set-reporter", text: T.set_reporter, onclick: () => {
    enqueue({ op: "group.set_reporter", uuid: uuid4(), payload: { group_id: group.id, participant_id: Number(select.value) } });
  } });
  return el("div", { class: "card" }, el("label", { for: "reporter-select", text: T.choose_reporter }),
    el("div", { class: "row" }, el("div", { class: "grow" }, select), button));
}

function bulletItem(b, canWrite, group) {
  const cls = [b.is_plenary_point ? "point" : "", b.pending ? "pending" : ""].join(" ").trim();
  if (canWrite && editing && editing.uuid === b.uuid) {
    const area = el("textarea", { class: "edit-text", "aria-label": T.edit,
      oninput: () => { editing.text = area.value; } });
    area.value = editing.text;
    queueMicrotask(() => area.focus());
    return el("li", { class: cls }, area, el("div", { class: "bullet-actions" },
      el("button", { type: "button", class: "save-edit", text: T.save, onclick: () => {
        const text = area.value.trim();
        if (!text || text.length > MAX) { showRejected(fmt(T.too_long, { n: text.length, max: MAX })); return; }
        const post = pendingPost(b.uuid);
        // Fold into the waiting post only if it never left the phone; once sent, the server may have
        // stored the old text (a retry returns it unchanged), so the edit must follow as its own write.
        if (post && !post.sent) { post.text = text; saveOutbox(); flush(); }
        else enqueue({ op: "edit", uuid: b.uuid, group_id: group.id, text });
        editing = null; render();
      } }),
      el("button", { type: "button", class: "secondary", text: T.cancel, onclick: () => { editing = null; render(); } })));
  }
  const li = el("li", { class: cls, dataset: { uuid: b.uuid } },
    b.is_plenary_point ? el("strong", { text: `${T.plenary_point}: ` }) : null, el("span", { class: "text", text: b.text }));
  if (canWrite) {
    li.append(el("div", { class: "bullet-actions" },
      el("button", { type: "button", class: "secondary edit", text: T.edit,
        onclick: () => { editing = { uuid: b.uuid, text: b.text }; render(); } }),
      el("button", { type: "button", class: "secondary mark",
        text: b.is_plenary_point ? T.unmark : T.mark,
        onclick: () => enqueue({ op: "mark", uuid: b.is_plenary_point ? null : b.uuid, group_id: group.id }) }),
      el("button", { type: "button", class: "secondary delete", text: T.delete, onclick: () => {
        if (!confirm(T.confirm_delete)) return;
        const post = pendingPost(b.uuid);
        if (post && !post.sent) { outbox = outbox.filter((o) => o.uuid !== b.uuid); saveOutbox(); render(); }
        else enqueue({ op: "delete", uuid: b.uuid, group_id: group.id });
      } })));
  }
  return li;
}

function render() {
  const s = live.state;
  showOutbox();
  if (!s) return;
  if (s.conference.deleted) {
    view.replaceChildren(el("p", { class: "card", id: "deleted", role: "alert", text: T.deleted }));
    return;
  }
  const parts = [];
  const active = activeRound(s);
  const tRound = tableRound(s);
  const group = myGroup(s);
  // An open vote is what the room is doing now: it comes first, and "finished" waits until it closes.
  const voting = s.vote && s.vote.state !== "closed";
  if (voting) parts.push(voteView(s));
  if (s.conference.status === "finished" && !voting) parts.push(el("p", { class: "card", id: "finished", text: T.finished }));
  if (group) {
    parts.push(el("section", { class: "card", id: "my-table" },
      el("h2", { class: "table-no", text: fmt(T.your_table, { n: group.number }) }),
      el("div", { class: "muted", text: T.with }), people(group, s)));
    if (s.seat.may_appoint) parts.push(reporterPicker(group));
    if (group.evaluation) parts.push(evaluationView(group.evaluation));
  } else if (tRound && tRound.groups_published && !s.groups.some((g) => g.round_id === tRound.id)) {
    parts.push(el("p", { class: "card", text: T.finding_table }));  // the new snapshot is on its way
  } else if (tRound && tRound.groups_published) {
    parts.push(el("p", { class: "warning", text: T.no_table }));
  } else if (!active && s.conference.status !== "finished" && !voting) {
    parts.push(el("p", { class: "card", text: fmt(T.waiting, { name: s.me.name }) }));
  }
  let showComposer = false;
  if (active && active.kind === "group" && group) {
    const canWrite = s.seat.may_write;
    parts.push(el("section", { id: "round" },
      el("div", { class: "row" }, el("h2", { class: "grow", text: active.title }),
        active.ends_at ? countdownEl(active.ends_at, live, { "aria-label": T.time_left }) : null),
      el("p", { class: "question", id: "question", text: active.question })));
    const list = groupBullets(s, group);
    parts.push(el("h3", { text: T.points }));
    parts.push(list.length ? el("ul", { class: "bullets", id: "my-bullets" }, list.map((b) => bulletItem(b, canWrite, group)))
      : el("p", { class: "muted", id: "my-bullets-empty", text: T.no_points }));
    if (canWrite) { showComposer = true; composer.group = group; }
    else parts.push(el("p", { class: "hint", text: T.not_reporter }));
  }
  if (active && active.kind === "plenary") parts.push(plenaryView(s, active));
  if (s.vote && !voting) parts.push(voteView(s));
  const outcomes = outcomesView(s);
  if (outcomes) parts.push(outcomes);
  view.replaceChildren(...parts);
  // The composer is never rebuilt or moved: typing (and the phone's keyboard) survives every update.
  composerSlot.hidden = !showComposer;
  placeStatus(showComposer);
}

function evaluationView(ev) {
  // An evaluation round (DK2/DK3): the measure this table evaluates, its plan, the coordinator's
  // latest log entries and the guide's three questions.
  const plan = [[T.plan_goal, ev.plan.goal], [T.plan_content, ev.plan.content], [T.plan_coordinator, ev.plan.coordinator],
    [T.plan_participants, ev.plan.participants], [T.plan_timeframe, ev.plan.timeframe]].filter(([, v]) => v);
  return el("section", { class: "card", id: "evaluation" },
    el("h2", { text: `${T.evaluate_measure}: ${ev.title}` }),
    el("p", {}, el("span", { class: "badge", text: T.status[ev.status] || ev.status })),
    el("h3", { text: T.evaluation_questions }),
    el("ol", { id: "evaluation-questions" }, ev.questions.map((q) => el("li", { text: T.questions[q.field] || q.label }))),
    el("details", { id: "evaluation-plan" }, el("summary", { text: T.the_plan }),
      el("dl", {}, plan.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]))),
    el("details", { id: "evaluation-log" }, el("summary", { text: plural(T.log_entries, ev.log_count) }),
      ev.log.length ? el("ul", { class: "people" }, ev.log.map((e) => el("li", { text: `${e.on}: ${e.done}${e.learned ? ` – ${e.learned}` : ""}` })))
        : el("p", { class: "muted", text: T.no_log })));
}

function voteView(s) {
  const vote = s.vote;
  const mine = s.my_dots || {};
  const used = Object.values(mine).reduce((a, b) => a + b, 0);
  const section = el("section", { class: "card", id: "vote" }, el("h2", { text: T.vote }));
  if (vote.state === "closed") {
    const rows = Object.entries(vote.final_tally || {}).sort((a, b) => b[1].dots - a[1].dots);
    section.append(el("p", { class: "hint", text: T.vote_closed }),
      el("ol", {}, rows.map(([, t]) => el("li", { text: `${t.title}: ${plural(T.dots_n, t.dots)}` }))));
    return section;
  }
  section.append(el("p", { id: "dots-left", class: "hint", text: plural(T.dots_left, vote.dots, { n: vote.dots - used, max: vote.dots }) }));
  const cast = (name, payload) => enqueue({ op: name, uuid: uuid4(), payload });
  section.append(el("ul", { class: "bullets vote-list" }, (s.clusters || []).map((c) => {
    const n = mine[String(c.id)] || 0;
    return el("li", { dataset: { clusterId: c.id } }, el("div", { class: "cluster-title", text: c.title }),
      clusterPoints(s, c),
      el("div", { class: "bullet-actions" },
        el("button", { type: "button", class: "secondary retract", "aria-label": `${T.retract}: ${c.title}`, text: "−",
          disabled: n === 0, onclick: () => cast("vote.retract", { cluster_id: c.id }) }),
        el("strong", { class: "my-dots", text: "●".repeat(n) || "0" }),
        el("button", { type: "button", class: "cast", "aria-label": `${T.cast}: ${c.title}`, text: "+",
          disabled: used >= vote.dots, onclick: () => cast("vote.cast", { cluster_id: c.id }) })));
  })));
  return section;
}

// Clusters whose points this phone has opened: kept across re-renders (a dot cast re-draws the list).
const openClusters = new Set();

function clusterPoints(s, c) {
  // The texts are already on the phone: points of finished rounds come with every phone's snapshot,
  // and points still private to another table are left out here as everywhere else.
  const byId = new Map(s.bullets.map((b) => [b.id, b]));
  const texts = c.bullet_ids.map((id) => byId.get(id)).filter(Boolean).map((b) => b.text);
  if (!texts.length) return null;
  const details = el("details", { class: "cluster-points", open: openClusters.has(c.id),
    ontoggle: () => { if (details.open) openClusters.add(c.id); else openClusters.delete(c.id); } },
  el("summary", { text: plural(T.cluster_points, texts.length) }),
  el("ul", { class: "people-points" }, texts.map((t) => el("li", { text: t }))));
  return details;
}

function outcomesView(s) {
  // "What became of our proposals?": initiatives that grew from points written at my tables.
  const myTables = new Set(s.groups.filter((g) => g.members.some((m) => m.id === meId)).map((g) => g.id));
  const mine = new Map(s.bullets.filter((b) => myTables.has(b.group_id)).map((b) => [b.id, b]));
  const grown = (s.initiatives || []).filter((i) => i.source_bullet_ids.some((id) => mine.has(id)));
  if (!grown.length) return null;
  return el("section", { class: "card", id: "outcomes" }, el("h2", { text: T.outcomes }),
    el("p", { class: "hint", text: T.outcomes_hint }),
    el("ul", { class: "bullets" }, grown.map((i) => el("li", { dataset: { initiativeId: i.id } },
      el("strong", { text: i.title }), el("span", { class: "badge", text: ` ${T.status[i.status] || i.status}` }),
      el("ul", { class: "people" }, i.source_bullet_ids.filter((id) => mine.has(id))
        .map((id) => el("li", { text: mine.get(id).text })))))));
}

function plenaryView(s, plenary) {
  const reported = reportedRound(s, plenary);
  const section = el("section", { id: "plenary" }, el("h2", { text: plenary.title }));
  const focus = s.conference.focus_group_number;
  if (reported) {
    const g = s.groups.find((x) => x.round_id === reported.id && x.number === focus);
    if (g) {
      section.append(el("h3", { text: fmt(T.now_reporting, { n: g.number }) }));
      const list = s.bullets.filter((b) => b.group_id === g.id);
      section.append(list.length ? el("ul", { class: "bullets" }, list.map((b) => bulletItem(b, false, g)))
        : el("p", { class: "muted", text: T.no_points }));
    }
  }
  const notes = s.notes.filter((n) => n.round_id === plenary.id);
  if (notes.length) {
    section.append(el("h3", { text: T.notes }), el("ul", { class: "bullets" }, notes.map((n) => el("li", { text: n.text }))));
  }
  if (s.conference.minute_taker_id === meId) {
    const area = el("textarea", { id: "note-text", "aria-label": T.write_note });
    section.append(el("form", { class: "card", onsubmit: (e) => {
      e.preventDefault();
      const text = area.value.trim();
      if (!text) return;
      area.value = ""; // the note waits in the outbox until the server has it
      enqueue({ op: "note.save", uuid: uuid4(), payload: { text, group_number: focus } });
    } }, el("label", { for: "note-text", text: T.write_note }), area, el("button", { type: "submit", text: T.save })));
  }
  return section;
}

const live = startLive({
  auth: { kind: "participant", conference_id: confId },
  resyncSpreadMs: 2000,
  onChange: () => render(),
  onStatus: statusLine(statusEl, T),
  onConnectExtra: () => flush(),
});
live.socket.on("connect_error", (err) => {
  if (err && err.message && /unauthori|rejected/i.test(err.message)) statusEl.textContent = T.removed;
});
window.addEventListener("online", () => {
  if (!live.socket.connected) live.socket.connect(); // don't wait for socket.io's backoff timer
  flush();
});
everySecond(live);
showOutbox();
window.confappPhone = { live, outbox: () => outbox };
