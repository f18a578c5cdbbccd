// The clustering board: cards into clusters by drag, by keyboard or by "Move to…", suggestions, undo,
// search and filters, folding clusters, dot vote, initiatives. Sized for 150–300 points on a laptop.
import { el, fmt, jsonApi, renderGuard, startLive, statusLine, strings } from "../js/live.js";

const root = document.getElementById("board");
const confId = Number(root.dataset.conferenceId);
const apiBase = root.dataset.api;
const T = strings();
const errorEl = document.getElementById("error");
const liveRegion = document.getElementById("board-live");
const popup = document.getElementById("move-popup");
const moveFilter = document.getElementById("move-filter");
const moveOptions = document.getElementById("move-options");
const SUGGEST_AFTER_MS = 700;
const FOLD_KEY = `confapp-board-folded-${confId}`;
let dragging = false;
let suggestions = {};
let suggestionsKey = "";
let checked = new Set();
const filters = { round: "", table: "", text: "", unsortedOnly: false };
let folded = new Set(JSON.parse(localStorage.getItem(FOLD_KEY) || "[]"));
let focusBullet = null; // the card that should have the keyboard focus after the next render
let moving = null; // { bulletId, from, card } while the "Move to…" box is open
let renderPending = false;
// Moves sent but not yet seen in the live state: bullet id -> target cluster id (null: the pile). Drawn as
// done, so a redraw for an earlier event never puts a card back where it came from for a moment.
const pendingMoves = new Map();
const NEW_CLUSTER = -1; // pending target of a card whose cluster is being made: shown nowhere until it exists

const api = jsonApi(apiBase, { errorEl, errorText: T.error });

const move = (bulletId, clusterId) => api("POST", "/board/move", { bullet_id: bulletId, cluster_id: clusterId });

function plural(forms, n) { return fmt(n === 1 ? forms.one : forms.other, { n }); }

function announce(text) {
  // Clear first, so the same message twice in a row is read out twice.
  liveRegion.textContent = "";
  setTimeout(() => { liveRegion.textContent = text; }, 30);
}

function short(text, max = 60) { return text.length > max ? `${text.slice(0, max - 1)}…` : text; }

function saveFolded() { localStorage.setItem(FOLD_KEY, JSON.stringify([...folded])); }

// A point sent from the preparation page has no round or table: its own source, "before the conference".
const BEFORE = "before";

function meta(s, b) {
  if (b.round_id === null) return T.before_conference;
  const group = s.groups.find((g) => g.id === b.group_id);
  const groupRounds = s.rounds.filter((r) => r.kind === "group");
  const n = groupRounds.findIndex((r) => r.id === b.round_id) + 1;
  return [n ? fmt(T.round_short, { n }) : "", group ? fmt(T.table, { n: group.number }) : ""].filter(Boolean).join(" · ");
}

function visibleBullet(s, b) {
  if (filters.round === BEFORE) { if (b.round_id !== null) return false; }
  else if (filters.round && String(b.round_id) !== filters.round) return false;
  if (filters.table) {
    const group = s.groups.find((g) => g.id === b.group_id);
    if (!group || String(group.number) !== filters.table) return false;
  }
  if (filters.text && !b.text.toLocaleLowerCase().includes(filters.text)) return false;
  return true;
}

function card(s, b, clusterId) {
  const hint = clusterId === null && suggestions[b.id] && suggestions[b.id][0];
  const target = hint && s.clusters.find((c) => c.id === hint.cluster_id);
  const parts = [];
  if (clusterId !== null) {
    const box = el("input", { type: "checkbox", class: "split-check", tabindex: "-1", "aria-label": T.split,
      checked: checked.has(b.id), onchange: () => { if (box.checked) checked.add(b.id); else checked.delete(b.id); } });
    parts.push(box);
  }
  parts.push(el("span", { class: "where", text: meta(s, b) }));
  if (target) {
    parts.push(el("button", { type: "button", class: "secondary suggestion accept-suggestion", tabindex: "-1",
      dataset: { cluster: target.id }, title: fmt(T.suggested, { title: target.title }),
      text: `→ ${target.title} ✓`, onclick: () => moveCard(b.id, target.id) }));
  }
  parts.push(el("button", { type: "button", class: "secondary move-button", tabindex: "-1", text: T.move_to,
    onclick: (e) => openMove(e.currentTarget.closest("li")) }));
  return el("li", { dataset: { bulletId: b.id }, class: b.is_plenary_point ? "point" : (b.round_id === null ? "before" : ""), tabindex: "-1" },
    el("div", { class: "text", text: b.text }), el("div", { class: "meta" }, parts));
}

function sortable(list) {
  new Sortable(list, {
    group: "board", animation: 120, forceFallback: true, fallbackTolerance: 3,
    filter: "select, button, input, .empty-note", preventOnFilter: false,
    onStart: () => { dragging = true; },
    onEnd: async (evt) => {
      dragging = false;
      const to = evt.to.dataset.cluster;
      if (evt.from === evt.to) { render(); return; }
      // Like the keyboard's move: drawn as done until the live state shows it, so the redraw after the answer
      // (which can come before the move's own event) never puts the card back for a moment.
      const bulletId = Number(evt.item.dataset.bulletId);
      const clusterId = to === "" ? null : Number(to);
      pendingMoves.set(bulletId, clusterId);
      try { await move(bulletId, clusterId); } catch { pendingMoves.delete(bulletId); } finally { render(); }
    },
  });
}

function countText(shown, total) {
  return shown === total ? plural(T.cards, total) : fmt(T.shown_of, { shown, n: total });
}

function clusterCard(s, c, byId) {
  const isFolded = folded.has(c.id);
  const title = el("input", { type: "text", class: "cluster-title grow", value: c.title, title: c.title,
    "aria-label": T.rename, onchange: () => api("PATCH", `/clusters/${c.id}`, { title: title.value }) });
  const shown = c.bullet_ids.map((id) => byId.get(id)).filter((b) => b && visibleBullet(s, b));
  const hideCards = isFolded || filters.unsortedOnly;
  const list = el("ul", { class: "cards", dataset: { cluster: c.id }, "aria-label": c.title },
    hideCards ? [] : shown.map((b) => card(s, b, c.id)));
  sortable(list);
  const others = s.clusters.filter((o) => o.id !== c.id);
  const merge = el("select", { class: "merge-into", "aria-label": T.merge_into, onchange: () => {
    if (merge.value) api("POST", `/clusters/${c.id}/merge`, { into: Number(merge.value) });
  } }, el("option", { value: "", text: T.merge_into }),
  others.map((o) => el("option", { value: String(o.id), text: short(o.title, 40) })));
  const initiative = (s.initiatives || []).find((i) => i.cluster_id === c.id);
  const tally = s.vote ? (s.tally || {})[String(c.id)] || 0 : null;
  const fold = el("button", { type: "button", class: "fold", "aria-expanded": String(!isFolded),
    "aria-label": fmt(isFolded ? T.unfold : T.fold, { title: c.title }), text: isFolded ? "▸" : "▾",
    onclick: () => { if (folded.has(c.id)) folded.delete(c.id); else folded.add(c.id); saveFolded(); render(); } });
  return el("section", { class: `cluster${isFolded ? " folded" : ""}`, dataset: { clusterId: c.id },
    "aria-label": c.title },
  el("div", { class: "cluster-head" }, fold, title,
    el("span", { class: "badge count", text: countText(shown.length, c.bullet_ids.length) }),
    tally !== null ? el("span", { class: "badge active", text: plural(T.votes_n, tally) }) : null),
  list,
  el("div", { class: "cluster-foot" },
    initiative
      ? el("a", { class: "button", href: initiativeUrl(initiative.id), text: T.open_initiative })
      : el("button", { type: "button", class: "make-initiative", text: T.make_initiative, onclick: async () => {
        const out = await api("POST", `/clusters/${c.id}/initiative`);
        window.location.href = initiativeUrl(out.initiative.id);
      } }),
    el("details", {}, el("summary", { text: T.more, "aria-label": `${T.more} ${c.title}` }),
      el("div", { class: "cluster-menu" }, merge,
        el("button", { type: "button", class: "secondary split", text: T.split, onclick: async () => {
          const ids = c.bullet_ids.filter((id) => checked.has(id));
          const name = window.prompt(T.split_title, c.title);
          if (!ids.length || !name) return;
          await api("POST", `/clusters/${c.id}/split`, { bullet_ids: ids, title: name });
          checked = new Set();
        } }),
        el("button", { type: "button", class: "secondary delete-cluster", text: T.delete, onclick: () => {
          if (confirm(T.confirm_delete)) api("DELETE", `/clusters/${c.id}`);
        } })))));
}

function initiativeUrl(id) { return root.dataset.initiativeUrl.replace(/\/0$/, `/${id}`); }

function renderFilters(s) {
  const round = document.getElementById("filter-round");
  const table = document.getElementById("filter-table");
  if (!round.options.length) {
    round.append(el("option", { value: "", text: T.all_rounds }),
      el("option", { value: BEFORE, text: T.before_conference }),
      ...s.rounds.filter((r) => r.kind === "group").map((r) => el("option", { value: String(r.id), text: r.title })));
    const numbers = [...new Set(s.groups.map((g) => g.number))].sort((a, b) => a - b);
    table.append(el("option", { value: "", text: T.all_tables }),
      ...numbers.map((n) => el("option", { value: String(n), text: fmt(T.table, { n }) })));
    round.addEventListener("change", () => { filters.round = round.value; render(); });
    table.addEventListener("change", () => { filters.table = table.value; render(); });
  }
}

function renderVote(s) {
  const box = document.getElementById("vote");
  const parts = [];
  if (!s.vote || s.vote.state === "closed") {
    const dots = el("input", { type: "number", id: "vote-dots", min: "1", max: "20", value: "3", class: "short" });
    parts.push(el("div", { class: "row" }, el("label", { for: "vote-dots", text: T.dots }), dots,
      el("button", { type: "button", id: "open-vote", text: T.open_vote,
        onclick: () => api("POST", "/votes", { dots: Number(dots.value) }) })));
  }
  if (s.vote) {
    const totals = s.vote.state === "closed"
      ? Object.fromEntries(Object.entries(s.vote.final_tally || {}).map(([id, t]) => [id, t.dots]))
      : s.tally || {};
    parts.push(el("p", { class: "hint", text: s.vote.state === "open" ? T.vote_open : T.vote_closed }));
    parts.push(el("ul", { class: "bars", id: "tally" }, s.clusters.map((c) => ({ c, n: totals[String(c.id)] || 0 }))
      .sort((a, b) => b.n - a.n).map(({ c, n }) => el("li", { dataset: { clusterId: c.id } },
        el("span", { text: c.title }), el("div", { class: "bar", style: null, dataset: { n } }),
        el("strong", { text: String(n) })))));
    if (s.vote.state === "open") parts.push(el("button", { type: "button", id: "close-vote", text: T.close_vote,
      onclick: () => api("POST", "/votes/close") }));
  }
  box.replaceChildren(...parts);
  // Bar widths via CSSOM (allowed by the CSP, unlike style attributes).
  const max = Math.max(1, ...[...box.querySelectorAll(".bar")].map((b) => Number(b.dataset.n)));
  for (const bar of box.querySelectorAll(".bar")) bar.style.width = `${(100 * Number(bar.dataset.n)) / max}%`;
}

// --- keyboard: one card per column is in the tab order (roving tabindex); arrows move between cards ---

function lists() { return [...document.querySelectorAll("#board-work ul.cards")]; }
function cardsOf(list) { return [...list.querySelectorAll(":scope > li[data-bullet-id]")]; }

function focusCard(li) {
  if (!li) return;
  for (const other of li.parentElement.querySelectorAll(":scope > li[tabindex='0']")) other.tabIndex = -1;
  li.tabIndex = 0;
  li.focus();
}

function setRoving() {
  for (const list of lists()) {
    const items = cardsOf(list);
    if (items.length && !items.some((li) => li.tabIndex === 0)) items[0].tabIndex = 0;
  }
}

function neighbourColumn(list, step) {
  // The next column that shows cards; a column without cards offers its fold button instead.
  const all = lists();
  for (let i = all.indexOf(list) + step; i >= 0 && i < all.length; i += step) {
    const items = cardsOf(all[i]);
    if (items.length) return items[0];
  }
  return null;
}

function onCardKey(e) {
  const li = e.target.closest("li[data-bullet-id]");
  if (!li || e.target !== li || e.altKey || e.ctrlKey || e.metaKey) return;
  const items = cardsOf(li.parentElement);
  const i = items.indexOf(li);
  const go = (target) => { if (target) { e.preventDefault(); focusCard(target); } };
  switch (e.key) {
    case "ArrowDown": go(items[i + 1]); break;
    case "ArrowUp": go(items[i - 1]); break;
    case "Home": go(items[0]); break;
    case "End": go(items[items.length - 1]); break;
    case "ArrowRight": go(neighbourColumn(li.parentElement, 1)); break;
    case "ArrowLeft": go(neighbourColumn(li.parentElement, -1)); break;
    case "Enter": case "m": case "M": e.preventDefault(); openMove(li); break;
    case "a": case "A": {
      const accept = li.querySelector(".accept-suggestion");
      if (accept) { e.preventDefault(); moveCard(Number(li.dataset.bulletId), Number(accept.dataset.cluster)); }
      break;
    }
    default:
  }
}

// --- "Move to…": a combobox with the clusters; typing filters, arrows choose, Enter drops ---

function clusterOf(s, bulletId) {
  const c = s.clusters.find((x) => x.bullet_ids.includes(bulletId));
  return c ? c.id : null;
}

function effectiveClusters(s) {
  // The live state with this board's pending moves applied; a pending move ends once the state shows it.
  for (const [id, target] of pendingMoves) if (clusterOf(s, id) === target) pendingMoves.delete(id);
  if (!pendingMoves.size) return s.clusters;
  return s.clusters.map((c) => ({ ...c, bullet_ids: c.bullet_ids.filter((id) => !pendingMoves.has(id))
    .concat([...pendingMoves].filter(([, target]) => target === c.id).map(([id]) => id)) }));
}

function moveChoices() {
  const s = { ...live.state, clusters: effectiveClusters(live.state) };
  const from = clusterOf(s, moving.bulletId);
  const q = moveFilter.value.trim().toLocaleLowerCase();
  const placed = new Set(s.clusters.flatMap((c) => c.bullet_ids));
  const out = [];
  if (from !== null) {
    out.push({ id: null, name: T.unclustered, n: s.bullets.filter((b) => !placed.has(b.id)).length });
  }
  for (const c of s.clusters) if (c.id !== from) out.push({ id: c.id, name: c.title, n: c.bullet_ids.length });
  const shown = q ? out.filter((o) => o.name.toLocaleLowerCase().includes(q)) : out;
  if (q && !s.clusters.some((c) => c.title.trim().toLocaleLowerCase() === q)) {
    shown.push({ create: moveFilter.value.trim(), name: fmt(T.new_cluster_with, { title: moveFilter.value.trim() }) });
  }
  return shown;
}

let choices = [];
let active = 0;

function drawChoices() {
  moveOptions.replaceChildren(...choices.map((o, i) => el("li", {
    role: "option", id: `move-option-${i}`, "aria-selected": String(i === active), title: o.name,
    class: o.create ? "create" : "", dataset: { cluster: o.id === null ? "" : String(o.id ?? "") },
    onmousedown: (e) => e.preventDefault(), onclick: () => { active = i; chooseMove(); },
  }, el("span", { class: "name", text: o.name }), o.n !== undefined ? el("span", { class: "n", text: String(o.n) }) : null)));
  if (!choices.length) {
    moveOptions.append(el("li", { class: "empty-note", role: "option", "aria-disabled": "true", text: T.no_match }));
  }
  moveFilter.setAttribute("aria-activedescendant", choices.length ? `move-option-${active}` : "");
  const current = document.getElementById(`move-option-${active}`);
  if (current) current.scrollIntoView({ block: "nearest" });
}

function refreshChoices() {
  // The clusters changed while the box is open (another board, or a cluster just made): redraw the
  // options and keep the one the user is on.
  const key = (o) => (o ? `${o.id ?? ""}|${o.create ?? ""}` : "");
  const current = key(choices[active]);
  choices = moveChoices();
  active = Math.max(0, choices.findIndex((o) => key(o) === current));
  drawChoices();
}

function openMove(li) {
  if (!li || !live.state) return;
  const bulletId = Number(li.dataset.bulletId);
  moving = { bulletId, card: li };
  moveFilter.value = "";
  moveFilter.setAttribute("aria-label", fmt(T.move_card, { text: short(live.state.bullets.find((b) => b.id === bulletId)?.text || "") }));
  choices = moveChoices();
  // Start on the suggested cluster, if there is one: Enter then accepts the suggestion.
  const hint = suggestions[bulletId] && suggestions[bulletId][0];
  active = Math.max(0, hint ? choices.findIndex((o) => o.id === hint.cluster_id) : 0);
  drawChoices();
  popup.hidden = false;
  const r = li.getBoundingClientRect();
  const w = popup.offsetWidth;
  const h = popup.offsetHeight;
  popup.style.left = `${Math.max(4, Math.min(r.left, window.innerWidth - w - 4))}px`;
  popup.style.top = `${r.bottom + h + 4 < window.innerHeight ? r.bottom + 2 : Math.max(4, r.top - h - 2)}px`;
  moveFilter.focus();
}

function closeMove(refocus) {
  const was = moving;
  popup.hidden = true;
  moving = null;
  if (refocus && was) {
    const li = document.querySelector(`#board-work li[data-bullet-id='${was.bulletId}']`);
    if (li) focusCard(li);
  }
  if (renderPending) { renderPending = false; render(); }
}

async function chooseMove() {
  const choice = choices[active];
  if (!choice || !moving) return;
  const { bulletId } = moving;
  closeMove(false);
  if (choice.create !== undefined) {
    pendingMoves.set(bulletId, NEW_CLUSTER);
    handOnFocus(bulletId);
    try {
      const c = await api("POST", "/clusters", { title: choice.create, bullet_ids: [bulletId] });
      pendingMoves.set(bulletId, c.id);
      announce(fmt(T.moved, { title: c.title, text: short(cardText(bulletId)) }));
    } catch { pendingMoves.delete(bulletId); }
    scheduleRender();
    return;
  }
  moveCard(bulletId, choice.id);
}

function cardText(bulletId) { return (live.state.bullets.find((b) => b.id === bulletId) || { text: "" }).text; }

function handOnFocus(bulletId) {
  // The card leaves its column: the keyboard focus goes to its neighbour, and the card leaves the DOM at once
  // (the server's event redraws the board a moment later).
  const li = document.querySelector(`#board-work li[data-bullet-id='${bulletId}']`);
  if (!li) return;
  const next = li.nextElementSibling?.matches("li[data-bullet-id]") ? li.nextElementSibling
    : li.previousElementSibling?.matches("li[data-bullet-id]") ? li.previousElementSibling : null;
  const hadFocus = li.contains(document.activeElement) || !popup.hidden || document.activeElement === moveFilter
    || document.activeElement === document.body;
  li.remove();
  if (next && hadFocus) { focusCard(next); focusBullet = Number(next.dataset.bulletId); }
}

async function moveCard(bulletId, clusterId) {
  const s = live.state;
  const target = s.clusters.find((c) => c.id === clusterId);
  pendingMoves.set(bulletId, clusterId);
  handOnFocus(bulletId);
  try {
    await move(bulletId, clusterId);
    announce(fmt(target ? T.moved : T.moved_back, { title: target ? target.title : "", text: short(cardText(bulletId)) }));
  } catch { pendingMoves.delete(bulletId); render(); }
}

moveFilter.addEventListener("input", () => { choices = moveChoices(); active = 0; drawChoices(); });
moveFilter.addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown") { e.preventDefault(); active = (active + 1) % Math.max(1, choices.length); drawChoices(); }
  else if (e.key === "ArrowUp") { e.preventDefault(); active = (active - 1 + choices.length) % Math.max(1, choices.length); drawChoices(); }
  else if (e.key === "Home" && !moveFilter.value) { e.preventDefault(); active = 0; drawChoices(); }
  else if (e.key === "End" && !moveFilter.value) { e.preventDefault(); active = Math.max(0, choices.length - 1); drawChoices(); }
  else if (e.key === "Enter") { e.preventDefault(); chooseMove(); }
  else if (e.key === "Escape") { e.preventDefault(); closeMove(true); }
  else if (e.key === "Tab") closeMove(false);
});
moveFilter.addEventListener("blur", () => { setTimeout(() => { if (!popup.contains(document.activeElement)) closeMove(false); }, 0); });

// --- render ---

const busy = renderGuard(() => render());

let frame = 0;

function scheduleRender() {
  // Several events in one burst (a move, its suggestion refresh, another board's moves) draw once.
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
}

let accessEnded = false; // the board was replaced by the notice: a render still scheduled has nothing to draw
function render() {
  const state = live.state;
  if (!state || accessEnded || dragging || busy()) return;
  const s = { ...state, clusters: effectiveClusters(state) };
  if (moving) { renderPending = true; refreshChoices(); return; }
  if (document.activeElement?.matches?.(".cluster-title, .merge-into")) { renderPending = true; return; }
  const focused = document.activeElement?.closest?.("#board-work li[data-bullet-id]");
  const keep = focusBullet ?? (focused ? Number(focused.dataset.bulletId) : null);
  focusBullet = null;
  renderFilters(s);
  const byId = new Map(s.bullets.map((b) => [b.id, b]));
  const placed = new Set(s.clusters.flatMap((c) => c.bullet_ids));
  const loose = s.bullets.filter((b) => !placed.has(b.id) && pendingMoves.get(b.id) !== NEW_CLUSTER);
  const shownLoose = loose.filter((b) => visibleBullet(s, b));
  const list = document.getElementById("unclustered");
  list.replaceChildren(...shownLoose.map((b) => card(s, b, null)));
  if (!loose.length && s.bullets.length) list.append(el("li", { class: "empty-note", text: T.all_sorted }));
  // An empty pile gives its width to the clusters.
  document.getElementById("board-work").classList.toggle("pile-empty", !loose.length && s.bullets.length > 0);
  document.getElementById("unclustered-count").textContent =
    shownLoose.length === loose.length ? String(loose.length) : fmt(T.shown_of, { shown: shownLoose.length, n: loose.length });
  document.getElementById("progress").textContent =
    fmt(T.progress, { sorted: s.bullets.length - loose.length, n: s.bullets.length });
  document.getElementById("clusters").replaceChildren(...s.clusters.map((c) => clusterCard(s, c, byId)));
  setRoving();
  if (keep !== null) {
    const li = document.querySelector(`#board-work li[data-bullet-id='${keep}']`);
    if (li && (focused || document.activeElement === document.body)) focusCard(li);
  }
  renderVote(s);
  document.getElementById("initiatives").replaceChildren(...(s.initiatives || []).map((i) =>
    el("li", {}, el("a", { href: initiativeUrl(i.id), text: i.title }))));
  if (!(s.initiatives || []).length) document.getElementById("initiatives").append(el("li", { class: "muted", text: T.no_initiatives }));
  refreshSuggestions(s, loose);
}

let suggestTimer = null;

function refreshSuggestions(s, loose) {
  // Asked for once the board has been still for a moment, not after every card: while someone sorts
  // quickly, a suggestion for a card that just moved would be stale before it arrived anyway.
  const key = JSON.stringify([loose.map((b) => b.id), s.clusters.map((c) => c.bullet_ids)]);
  if (key === suggestionsKey) return;
  suggestionsKey = key;
  clearTimeout(suggestTimer);
  if (!s.clusters.length || !loose.length) { suggestions = {}; return; }
  suggestTimer = setTimeout(async () => {
    try {
      const out = await api("GET", "/board/suggestions");
      if (key === suggestionsKey) { suggestions = out; render(); }
    } catch { /* shown by api() */ }
  }, SUGGEST_AFTER_MS);
}

function fitWorkspace() {
  // The workspace fills the window below the page header, so each column scrolls on its own.
  const work = document.getElementById("board-work");
  const top = work.getBoundingClientRect().top + window.scrollY;
  work.style.height = `${Math.max(360, window.innerHeight - top - 8)}px`;
}

// --- wiring ---

sortable(document.getElementById("unclustered"));
document.getElementById("board-work").addEventListener("keydown", onCardKey);
document.getElementById("board-work").addEventListener("focusin", (e) => {
  const li = e.target.closest?.("li[data-bullet-id]");
  if (li && e.target === li) focusCard(li);
});
document.getElementById("board-work").addEventListener("focusout", (e) => {
  if (e.target.matches?.(".cluster-title, .merge-into") && renderPending) {
    renderPending = false; setTimeout(render, 0);
  }
});
const search = document.getElementById("board-search");
search.addEventListener("input", () => { filters.text = search.value.trim().toLocaleLowerCase(); render(); });
search.addEventListener("keydown", (e) => { if (e.key === "Escape") { search.value = ""; filters.text = ""; render(); } });
document.getElementById("filter-unsorted").addEventListener("change", (e) => { filters.unsortedOnly = e.target.checked; render(); });
document.getElementById("collapse-all").addEventListener("click", () => {
  folded = new Set((live.state?.clusters || []).map((c) => c.id)); saveFolded(); render();
});
document.getElementById("expand-all").addEventListener("click", () => { folded = new Set(); saveFolded(); render(); });
document.addEventListener("keydown", (e) => {
  if (e.key === "/" && !e.target.closest("input, textarea, select, [contenteditable]")) { e.preventDefault(); search.focus(); }
});
document.getElementById("propose-clusters").addEventListener("click", () => api("POST", "/board/propose"));
document.getElementById("undo").addEventListener("click", async () => {
  const out = await api("POST", "/board/undo");
  if (!out.undone) { errorEl.textContent = T.nothing_to_undo; errorEl.hidden = false; }
});
document.getElementById("new-cluster-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = document.getElementById("new-cluster-title");
  const title = input.value;
  if (!title.trim()) return;
  input.value = ""; // at once: a quick typist's next name must not land in this one
  try {
    const c = await api("POST", "/clusters", { title });
    announce(fmt(T.created, { title: c.title }));
  } catch { if (!input.value) input.value = title; }
});
window.addEventListener("resize", fitWorkspace);
fitWorkspace();

const live = startLive({
  auth: { kind: "facilitator", conference_id: confId },
  onChange: () => scheduleRender(),
  onStatus: statusLine(document.getElementById("status"), T),
});
// The server closes the board's connection only when this person may no longer run the conference (a
// colleague removed them): say so instead of going stale.
live.socket.on("disconnect", (reason) => {
  if (reason === "io server disconnect") {
    accessEnded = true;
    const title = document.querySelector("h1") ? document.querySelector("h1").textContent : "";
    root.replaceChildren(el("section", { class: "card" }, el("h1", { text: title }),
      el("p", { id: "access-ended", role: "alert", text: T.access_ended })));
  }
});
window.confappBoard = { live };
