// The facilitator's console: agenda, tables (drag between them), live progress, plenary control.
import {
  countdownEl, el, everySecond, fmt, jsonApi, plural, renderGuard, reportedRound, startLive, statusLine, strings, uuid4,
} from "../js/live.js";

const root = document.getElementById("console");
const confId = Number(root.dataset.conferenceId);
const me = Number(root.dataset.me);
// Set when my rights to this conference ended (a colleague removed me): the page says so and stops.
let accessEnded = false;
const apiBase = root.dataset.api;
const T = strings();
const panel = document.getElementById("panel");
const errorEl = document.getElementById("error");
let selectedId = null;
let dragging = false;
let groupSize = 6;
let strategyChoice = "mixed";
let previewRoundId = null; // a group round whose drafted tables wait for "start with these tables"

const api = jsonApi(apiBase, { errorEl, errorText: T.error });

function stateLabel(r) { return T[r.state]; }
function roundsOf(s, kind) { return s.rounds.filter((r) => r.kind === kind); }
function groupsOf(s, round) { return s.groups.filter((g) => g.round_id === round.id).sort((a, b) => a.number - b.number); }
function bulletsOf(s, group) { return s.bullets.filter((b) => b.group_id === group.id); }

function renderAgenda(s) {
  const list = document.getElementById("agenda");
  list.replaceChildren(...s.rounds.map((r) => el("li", {
    class: [r.state === "active" ? "active" : "", r.id === selectedId ? "selected" : ""].join(" "),
    dataset: { roundId: r.id, position: r.position },
  },
  el("div", { class: "kind", text: `${r.position}. ${r.kind === "group" ? T.group : T.plenary}` }),
  el("div", { class: "row" },
    el("button", { type: "button", class: "secondary grow select-round", text: r.title,
      onclick: () => { selectedId = r.id; render(); } }),
    el("span", { class: `badge ${r.state}`, text: stateLabel(r) })))));
  const warnings = document.getElementById("warnings");
  warnings.replaceChildren(...agendaWarnings.map((w) => el("p", { class: "warning", text: w })));
  document.getElementById("finish").disabled = s.conference.status === "finished";
  document.getElementById("joins-open").checked = s.conference.joins_open;
  for (const id of ["anonymise", "delete-conference"]) document.getElementById(id).hidden = s.conference.status !== "finished";
}

const PARTICIPANT_SEARCH_FROM = 20;

function renderParticipants(s) {
  const joined = s.participants.filter((p) => p.joined && !p.removed);
  const waiting = s.participants.filter((p) => !p.joined && !p.removed);
  document.getElementById("participant-count").textContent =
    fmt(T.joined, { n: joined.length }) + (waiting.length ? ` · ${fmt(T.imported_waiting, { n: waiting.length })}` : "");
  // A hall of 100–300 would make the console thousands of pixels tall: the list scrolls in its own box, and a
  // search field narrows it once it is long.
  const search = document.getElementById("participant-search");
  document.getElementById("participant-search-row").hidden = joined.length < PARTICIPANT_SEARCH_FROM;
  const q = search.value.trim().toLocaleLowerCase();
  const shown = q ? joined.filter((p) => `${p.name} ${p.role || ""}`.toLocaleLowerCase().includes(q)) : joined;
  document.getElementById("participants").replaceChildren(...shown.map((p) => el("li", { dataset: { id: p.id } },
    p.name, p.role ? el("span", { class: "role", text: ` · ${p.role}` }) : null,
    el("button", { type: "button", "aria-label": `${T.remove} ${p.name}`, text: "×",
      class: "icon-button",
      onclick: async () => { if (confirm(fmt(T.confirm_remove, { name: p.name }))) await api("DELETE", `/participants/${p.id}`); } }))));
}

const summaries = new Map(); // round id -> {key (the tables it judged), text, done (answered)}
function groupsKey(s, round) {
  return JSON.stringify(groupsOf(s, round).map((g) => g.members.map((m) => m.id)));
}
async function refreshSummary(s, round) {
  const key = groupsKey(s, round);
  const known = summaries.get(round.id);
  if (known && known.key === key) return;
  summaries.set(round.id, { key, text: known ? known.text : "", done: false });
  try {
    const out = await api("GET", `/rounds/${round.id}/groups/metrics`);
    if (summaries.get(round.id).key !== key) return; // the tables changed meanwhile: a newer answer comes
    summaries.set(round.id, { key, text: out.summary, done: true });
    const node = document.getElementById("group-summary");
    if (node && selectedId === round.id) { node.textContent = out.summary; node.setAttribute("aria-busy", "false"); }
  } catch { /* shown by api() */ }
}

function roleSelect(s, g, field, label) {
  const select = el("select", { class: `${field}-select`, "aria-label": `${label} ${fmt(T.table, { n: g.number })}`,
    onchange: async () => {
      const pid = select.value ? Number(select.value) : null;
      await api("PUT", `/groups/${g.id}/${field}`, { participant_id: pid });
    } },
  el("option", { value: "", text: T.none }),
  g.members.map((m) => el("option", { value: String(m.id), text: m.name, selected: g[`${field}_id`] === m.id })));
  return el("label", { class: "hint" }, label, select);
}

function tableCard(s, round, g, { editable, showBullets }) {
  const members = el("ul", { class: "member-list", dataset: { table: g.number } }, g.members.map((m) =>
    el("li", { class: [m.id === g.leader_id ? "leader" : "", m.pinned ? "pinned" : ""].join(" ").trim(),
      dataset: { pid: m.id } },
    el("span", {}, m.name, m.id === g.leader_id ? " ★" : "", m.id === g.reporter_id ? " ✎" : ""),
    el("span", { class: "role", text: m.role }),
    editable && round.state === "pending" ? el("button", { type: "button", class: "pin",
      "aria-pressed": m.pinned ? "true" : "false", title: m.pinned ? T.unpin : T.pin,
      "aria-label": `${m.pinned ? T.unpin : T.pin}: ${m.name}`, text: m.pinned ? "⚑" : "⚐",
      onclick: () => api("PUT", `/rounds/${round.id}/groups/pin`, { participant_id: m.id, pinned: !m.pinned }) })
      : null)));
  const bullets = bulletsOf(s, g);
  const card = el("div", { class: "table-card", dataset: { groupId: g.id, number: g.number } },
    el("h3", {}, el("span", { text: fmt(T.table, { n: g.number }) }),
      el("span", { class: "progress", text: plural(T.points, bullets.length) })),
    members,
    round.state !== "done" ? roleSelect(s, g, "leader", T.leader) : null,
    round.state !== "done" ? roleSelect(s, g, "reporter", T.reporter) : null);
  if (showBullets) {
    card.append(bullets.length ? el("ul", { class: "bullets" }, bullets.map((b) =>
      el("li", { class: b.is_plenary_point ? "point" : "", text: b.text })))
      : el("p", { class: "muted", text: T.no_points }));
  }
  if (editable) makeSortable(members, round);
  return card;
}

function makeSortable(list, round) {
  new Sortable(list, {
    group: `round-${round.id}`, animation: 120, forceFallback: true, fallbackTolerance: 3,
    filter: ".pin", preventOnFilter: false,
    onStart: () => { dragging = true; },
    onEnd: async (evt) => {
      dragging = false;
      const pid = Number(evt.item.dataset.pid);
      const table = Number(evt.to.dataset.table);
      if (evt.from === evt.to) { render(); return; }
      try { await api("POST", `/rounds/${round.id}/groups/move`, { participant_id: pid, table }); }
      finally { render(); }
    },
  });
}

// An evaluation round (DK2/DK3): which of the organisation's measures its tables evaluate, table k the
// k-th. The measures and the service's default choice come from GET …/rounds/{id}/measures, asked again
// whenever the round's chosen measures change (here, in another tab, by a co-facilitator).
const roundMeasures = new Map(); // round id -> {key (the chosen ids it answered), data}
const measureDrafts = new Map(); // round id -> ids ticked here and not saved yet, in table order
function measuresKey(round) { return JSON.stringify(round.measure_ids || []); }
async function refreshRoundMeasures(round) {
  const key = measuresKey(round);
  const known = roundMeasures.get(round.id);
  if (known && (known.key === key || known.loading === key)) return;
  roundMeasures.set(round.id, { ...(known || {}), loading: key });
  try {
    const data = await api("GET", `/rounds/${round.id}/measures`);
    roundMeasures.set(round.id, { key, data });
    render();
  } catch { roundMeasures.delete(round.id); /* shown by api() */ }
}

function measuresControl(s, round) {
  const known = roundMeasures.get(round.id);
  refreshRoundMeasures(round);
  if (!known || !known.data) return null;
  const { data } = known;
  const chosen = data.chosen.map((m) => m.id);
  const box = el("fieldset", { class: "round-measures", id: "round-measures" },
    el("legend", { text: T.evaluate_measures }));
  if (round.state !== "pending") {
    if (!chosen.length) return null;
    box.append(el("ul", { class: "people", id: "round-measures-chosen" }, data.chosen.map((m) =>
      el("li", {}, `${fmt(T.table, { n: m.table })}: ${m.title} `, el("span", { class: "badge", text: m.status_label })))));
    return box;
  }
  // Nothing to evaluate yet (a school's first DK1): the box would only push the tables down.
  if (!data.candidates.length) return null;
  // Ticked: what is unsaved here, else what the round evaluates, else the service's default choice.
  const ticked = measureDrafts.get(round.id) || (chosen.length ? chosen : data.default_ids);
  const tick = (id, on) => {
    const now = ticked.filter((x) => x !== id);
    measureDrafts.set(round.id, on ? [...now, id] : now);
    render();
  };
  const item = (m) => {
    const n = ticked.indexOf(m.id);
    return el("li", {}, el("label", { class: "check" },
      el("input", { type: "checkbox", value: String(m.id), checked: n >= 0, dataset: { measureId: m.id },
        onchange: (e) => tick(m.id, e.target.checked) }),
      el("span", { class: "grow" }, m.title, " ", el("span", { class: "badge", text: m.status_label })),
      n >= 0 ? el("span", { class: "hint", text: fmt(T.table, { n: n + 1 }) }) : null));
  };
  const usual = data.candidates.filter((m) => data.default_ids.includes(m.id) || chosen.includes(m.id));
  const others = data.candidates.filter((m) => !usual.includes(m));
  box.append(el("p", { class: "hint", id: "round-measures-state", text: chosen.length
    ? fmt(T.evaluates_n, { n: chosen.length }) : T.ordinary_round }));
  box.append(el("ul", { class: "measure-choices", id: "measure-choices" }, usual.map(item)));
  if (others.length) {
    box.append(el("details", { id: "other-measures", open: others.some((m) => ticked.includes(m.id)) },
      el("summary", { text: fmt(T.other_measures, { n: others.length }) }),
      el("ul", { class: "measure-choices" }, others.map(item))));
  }
  const unsaved = measureDrafts.has(round.id);
  box.append(el("div", { class: "row" },
    el("button", { type: "button", id: "save-measures", class: unsaved || !chosen.length ? "" : "secondary",
      text: T.save_measures, disabled: !ticked.length,
      onclick: async () => {
        await api("PUT", `/rounds/${round.id}/measures`, { measure_ids: ticked });
        measureDrafts.delete(round.id);
        render();
      } }),
    chosen.length ? el("button", { type: "button", class: "secondary", id: "ordinary-round", text: T.make_ordinary,
      onclick: async () => {
        await api("PUT", `/rounds/${round.id}/measures`, { measure_ids: [] });
        measureDrafts.delete(round.id);
        render();
      } }) : null,
    unsaved ? el("button", { type: "button", class: "secondary", id: "reset-measures", text: T.cancel,
      onclick: () => { measureDrafts.delete(round.id); render(); } }) : null));
  return box;
}

function groupPanel(s, round) {
  const groups = groupsOf(s, round);
  let preview = null; // the start preview, shown right under the engine's summary of the proposed tables
  const parts = [el("h2", { text: `${round.position}. ${round.title}` }),
    el("p", { class: "question", id: "panel-question" }, el("strong", { text: `${T.question}: ` }), round.question)];
  if (round.state === "active" && round.ends_at) {
    parts.push(el("p", { class: "row" }, countdownEl(round.ends_at, live),
    el("button", { type: "button", class: "secondary", id: "extend", text: T.extend,
      onclick: () => api("POST", `/rounds/${round.id}/extend`, { minutes: 5 }) })));
  }
  if (round.state === "pending") {
    const size = el("input", { type: "number", id: "group-size", min: "2", max: "20", value: String(groupSize),
      class: "short", oninput: () => { groupSize = Number(size.value) || 6; } });
    const strategy = el("select", { id: "strategy", "aria-label": T.strategy,
      onchange: () => { strategyChoice = strategy.value; } },
    Object.entries(T.strategies).map(([value, label]) => el("option", { value, text: label,
      selected: value === strategyChoice })));
    parts.push(el("div", { class: "row" },
      el("label", { for: "strategy", text: T.strategy }), strategy,
      el("label", { for: "group-size", text: T.group_size }), size,
      el("button", { type: "button", id: "propose", class: groups.length ? "secondary" : "",
        text: groups.length ? T.repropose : T.propose,
        onclick: () => api("POST", `/rounds/${round.id}/groups/propose`, { group_size: groupSize, strategy: strategyChoice }) }),
      groups.length && !round.groups_published ? el("button", { type: "button", class: "secondary", id: "publish",
        text: T.publish, onclick: async () => showSeated((await api("POST", `/rounds/${round.id}/groups/publish`)).seated) })
        : null,
      previewRoundId === round.id ? null : el("button", { type: "button", id: "start-round", text: T.start_round,
        onclick: () => startGroupRound(round, groups) })));
    parts.push(measuresControl(s, round));
    if (previewRoundId === round.id && groups.length) {
      preview = (el("div", { class: "card preview", id: "start-preview", role: "region", "aria-label": T.preview_title },
        el("h3", { text: T.preview_title }),
        el("p", { text: T.preview_hint }),
        el("div", { class: "row" },
          el("button", { type: "button", id: "confirm-start", text: T.confirm_start,
            onclick: async () => { previewRoundId = null; await startRound(round); } }),
          el("button", { type: "button", class: "secondary", id: "cancel-start", text: T.cancel,
            onclick: () => { previewRoundId = null; render(); } }))));
    }
  }

  if (round.state !== "pending") parts.push(measuresControl(s, round));
  if (!groups.length) { parts.push(el("p", { class: "muted", text: T.no_groups })); return parts; }
  // Repeated pairs, sizes and roles are the grouping engine's judgement (GET …/groups/metrics), not
  // worked out here: until its answer for these tables arrives, the last one stays, marked busy.
  const engine = summaries.get(round.id);
  const current = engine && engine.key === groupsKey(s, round) && engine.done;
  parts.push(el("p", { class: "summary", id: "group-summary", "aria-busy": current ? "false" : "true",
    text: engine ? engine.text : "" }));
  refreshSummary(s, round);
  if (preview) parts.push(preview);
  if (round.state === "pending") {
    parts.push(el("p", { class: "hint", text: round.groups_published ? T.published : T.not_published }));
    parts.push(el("p", { class: "hint", text: T.drag_hint }));
  }
  parts.push(el("p", {}, el("a", { class: "button secondary", id: "table-cards", target: "_blank",
    href: root.dataset.cardsUrl.replace("/rounds/0/", `/rounds/${round.id}/`), text: T.cards })));
  const seated = new Set(groups.flatMap((g) => g.members.map((m) => m.id)));
  const unseated = s.participants.filter((p) => p.joined && !p.removed && !seated.has(p.id));
  const editable = round.state !== "done";
  const grid = el("div", { class: "tables", id: "tables" }, groups.map((g) =>
    tableCard(s, round, g, { editable, showBullets: round.state !== "pending" })));
  if (editable) {
    const extra = el("ul", { class: "member-list", dataset: { table: groups.length + 1 } }, unseated.map((p) =>
      el("li", { dataset: { pid: p.id } }, el("span", { text: p.name }), el("span", { class: "role", text: p.role }))));
    grid.append(el("div", { class: "table-card", id: "unseated" }, el("h3", { text: T.unseated }), extra));
    makeSortable(extra, round);
  }
  parts.push(grid);
  return parts;
}

function plenaryPanel(s, round) {
  const reported = reportedRound(s, round);
  const parts = [el("h2", { text: `${round.position}. ${round.title}` })];
  if (round.state === "pending") {
    parts.push(el("p", {}, el("button", { type: "button", id: "start-plenary", text: T.start_plenary,
      onclick: () => startRound(round) })));
  }
  if (!reported) return parts;
  parts.push(el("p", { class: "muted", text: fmt(T.reports_on, { title: reported.title }) }));
  const groups = groupsOf(s, reported);
  const focus = s.conference.focus_group_number;
  if (round.state === "active") {
    const numbers = groups.map((g) => g.number);
    const i = numbers.indexOf(focus);
    parts.push(el("div", { class: "row", id: "focus-controls" },
      el("button", { type: "button", class: "secondary", id: "prev-table", text: T.prev, disabled: i <= 0,
        onclick: () => api("PUT", "/focus", { group_number: numbers[i - 1] }) }),
      groups.map((g) => el("button", { type: "button", class: g.number === focus ? "" : "secondary",
        dataset: { focus: g.number }, text: fmt(T.table, { n: g.number }),
        onclick: () => api("PUT", "/focus", { group_number: g.number }) })),
      el("button", { type: "button", class: "secondary", id: "next-table", text: T.next, disabled: i < 0 || i >= numbers.length - 1,
        onclick: () => api("PUT", "/focus", { group_number: numbers[i + 1] }) })));
  }
  const focused = groups.find((g) => g.number === focus);
  if (focused) parts.push(tableCard(s, reported, focused, { editable: false, showBullets: true }));
  const notes = s.notes.filter((n) => n.round_id === round.id);
  parts.push(el("h3", { text: T.notes }), el("ul", { class: "bullets", id: "notes" }, notes.map((n) =>
    el("li", {}, n.group_number ? el("strong", { text: `${fmt(T.table, { n: n.group_number })}: ` }) : null, n.text))));
  if (round.state === "active") {
    const area = el("textarea", { id: "note-text", "aria-label": T.write_note });
    const about = el("select", { id: "note-table", "aria-label": T.about_table },
      el("option", { value: "", text: T.whole_plenary }),
      groups.map((g) => el("option", { value: String(g.number), text: fmt(T.table, { n: g.number }), selected: g.number === focus })));
    parts.push(el("form", { class: "card", id: "note-form", onsubmit: async (e) => {
      e.preventDefault();
      const text = area.value.trim();
      if (!text) return;
      await api("POST", "/notes", { uuid: uuid4(), text, group_number: about.value ? Number(about.value) : null });
      area.value = "";
    } }, el("label", { for: "note-text", text: T.write_note }), area,
    el("div", { class: "row" }, about, el("button", { type: "submit", id: "save-note", text: T.save_note }))));
    const mt = el("select", { id: "minute-taker", "aria-label": T.minute_taker, onchange: () =>
      api("PUT", "/minute-taker", { participant_id: mt.value ? Number(mt.value) : null }) },
    el("option", { value: "", text: T.none }),
    s.participants.filter((p) => p.joined && !p.removed).map((p) => el("option", { value: String(p.id), text: p.name,
      selected: s.conference.minute_taker_id === p.id })));
    parts.push(el("label", { class: "hint" }, T.minute_taker, mt));
  }
  return parts;
}

// Starting a group round whose tables the phones have not seen: first the proposal, then "start".
async function startGroupRound(round, groups) {
  if (round.groups_published) { await startRound(round); return; }
  if (!groups.length) await api("POST", `/rounds/${round.id}/groups/propose`, { group_size: groupSize, strategy: strategyChoice });
  previewRoundId = round.id;
  render();
  const box = document.getElementById("start-preview");
  if (box) box.scrollIntoView({ block: "nearest" });
}

async function startRound(round) {
  const out = await api("POST", `/rounds/${round.id}/start`);
  showSeated(out.seated);
  refreshUndo();
}

function showSeated(seated) {
  // "Kari ble satt ved bord 3": late arrivals placed as the tables were announced.
  const notice = document.getElementById("notice");
  if (!seated || !seated.length) { notice.hidden = true; return; }
  notice.replaceChildren(...seated.map((x) => el("p", { class: "seated", text: x.message })));
  notice.hidden = false;
}

// Undo of the last phase change: the server says whether and for how long (30 s, nothing written since).
let undoDeadline = 0;
let undoText = "";
async function refreshUndo() {
  try {
    const out = await api("GET", "/phase/undo");
    undoDeadline = out.available ? Date.now() + out.seconds_left * 1000 : 0;
    const started = out.round_id && live.state ? live.state.rounds.find((r) => r.id === out.round_id) : null;
    undoText = started ? fmt(T.undo_started, { title: started.title }) : T.undo_finished;
    undoTick();
  } catch { /* shown by api() */ }
}
function undoTick() {
  const bar = document.getElementById("undo-bar");
  if (!bar) return; // the page was replaced (the conference is gone)
  const left = Math.ceil((undoDeadline - Date.now()) / 1000);
  if (left <= 0) { bar.hidden = true; return; }
  document.getElementById("undo-text").textContent = undoText;
  document.getElementById("undo-phase").textContent = fmt(T.undo, { s: left });
  bar.hidden = false;
}
document.getElementById("undo-phase").addEventListener("click", async () => {
  undoDeadline = 0;
  undoTick();
  try { await api("POST", "/phase/undo"); } finally { refreshUndo(); }
});

const busy = renderGuard(() => render());

function render() {
  const s = live.state;
  if (accessEnded) {
    const title = s ? s.conference.title : document.getElementById("conf-title").textContent;
    root.replaceChildren(el("section", { class: "card" }, el("h1", { text: title }),
      el("p", { id: "access-ended", role: "alert", text: T.access_ended })));
    return;
  }
  if (s && s.conference.deleted) {
    root.replaceChildren(el("p", { class: "card", id: "deleted", role: "alert", text: T.deleted }));
    return;
  }
  if (!s || dragging || busy()) return;
  if (selectedId === null || !s.rounds.some((r) => r.id === selectedId)) {
    const active = s.rounds.find((r) => r.state === "active");
    const next = s.rounds.find((r) => r.state === "pending");
    selectedId = (active || next || s.rounds[0] || {}).id ?? null;
  }
  renderAgenda(s);
  renderParticipants(s);
  const round = s.rounds.find((r) => r.id === selectedId);
  const parts = [];
  if (s.conference.status === "finished") parts.push(el("p", { class: "card", text: T.finished }));
  if (!round) parts.push(el("p", { class: "muted", text: T.nothing_selected }));
  else parts.push(...(round.kind === "group" ? groupPanel(s, round) : plenaryPanel(s, round)));
  panel.replaceChildren(...parts.filter(Boolean));
}

// Agenda warnings are in the reader's language, so they come from the API, refreshed when the agenda changes.
let agendaWarnings = [];
let warningsSeq = -1;
async function refreshWarnings(s) {
  if (s.seq === warningsSeq) return;
  warningsSeq = s.seq;
  try { agendaWarnings = (await api("GET", "")).warnings; render(); } catch { /* shown by api() */ }
}

let lastActive = null;
let undoChecked = false;
const live = startLive({
  auth: { kind: "facilitator", conference_id: confId },
  onChange: (s) => {
    if (live.lastType === "access.ended" && live.lastEvent.data.facilitator_id === me) { endAccess(); return; }
    // A deleted conference has nothing left to ask the server about: show that it is gone, and stop.
    if (s.conference.deleted) { undoDeadline = 0; undoTick(); render(); return; }
    // A measure's status moved on: the evaluation round's list shows the new one (asked again, shown meanwhile).
    if (live.lastType === "measure.saved") for (const known of roundMeasures.values()) known.key = null;
    // Follow the running item when it changes.
    if (s.conference.active_round_id !== lastActive) { lastActive = s.conference.active_round_id; if (lastActive) selectedId = lastActive; }
    render();
    if (warningsSeq < 0 || live.lastType === "conference.updated") refreshWarnings(s);
    // A phase change (here or in another tab) opens the undo; anything written since may close it.
    if (live.lastType === "phase.changed" || undoDeadline > Date.now() || !undoChecked) {
      undoChecked = true;
      refreshUndo();
    }
  },
  onStatus: statusLine(document.getElementById("status"), T),
});
// The server closes a console's connection only when the person may no longer run the conference (their
// `access.ended` event comes first; a reconnect would be refused): say so instead of going stale.
function endAccess() { accessEnded = true; undoDeadline = 0; undoTick(); render(); }
live.socket.on("disconnect", (reason) => { if (reason === "io server disconnect") endAccess(); });
// The projector pages a list too long for its screen on its own; these step it (projector.js).
document.getElementById("projector-prev-page").addEventListener("click", () => api("POST", "/projector/page", { delta: -1 }));
document.getElementById("projector-next-page").addEventListener("click", () => api("POST", "/projector/page", { delta: 1 }));
document.getElementById("joins-open").addEventListener("change", (e) => api("PATCH", "", { joins_open: e.target.checked }));
// Anonymise and delete cannot be undone: the facilitator types the conference title first.
const typed = document.getElementById("typed-confirm");
const typedInput = document.getElementById("typed-confirm-input");
const typedGo = document.getElementById("typed-confirm-go");
let typedAction = null;
function expectedTitle() { return (live.state ? live.state.conference.title : document.getElementById("conf-title").textContent).trim(); }
function typedMatches() { return typedInput.value.trim().toLocaleLowerCase() === expectedTitle().toLocaleLowerCase(); }
function openTyped(action) {
  typedAction = action;
  document.getElementById("typed-confirm-what").textContent = action === "delete" ? T.confirm_delete_conference : T.confirm_anonymise;
  document.getElementById("typed-confirm-label").textContent = fmt(T.type_title, { title: expectedTitle() });
  typedGo.textContent = action === "delete" ? T.delete_for_good : T.anonymise_for_good;
  typedInput.value = "";
  typedGo.disabled = true;
  typed.hidden = false;
  typedInput.focus();
}
typedInput.addEventListener("input", () => { typedGo.disabled = !typedMatches(); });
document.getElementById("typed-confirm-cancel").addEventListener("click", () => { typed.hidden = true; typedAction = null; });
typed.addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!typedMatches()) return;
  if (typedAction === "anonymise") { await api("POST", "/anonymise"); window.location.reload(); }
  else if (typedAction === "delete") { await api("DELETE", ""); window.location.href = "/"; }
});
document.getElementById("anonymise").addEventListener("click", () => openTyped("anonymise"));
document.getElementById("delete-conference").addEventListener("click", () => openTyped("delete"));
document.getElementById("finish").addEventListener("click", async () => {
  if (confirm(T.confirm_finish)) { await api("POST", "/finish"); refreshUndo(); }
});
everySecond(live, undoTick);
window.confappConsole = { live };

document.getElementById("participant-search").addEventListener("input", () => { if (live.state) renderParticipants(live.state); });
