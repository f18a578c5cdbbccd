// The clustering board: cards into clusters (drag or "Move to…"), suggestions, undo, dot vote, initiatives.
import { el, fmt, jsonApi, renderGuard, startLive, strings } from "../js/live.js";

const root = document.getElementById("board");
const confId = Number(root.dataset.conferenceId);
const apiBase = root.dataset.api;
const T = strings();
const errorEl = document.getElementById("error");
let dragging = false;
let suggestions = {};
let suggestionsKey = "";
let checked = new Set();
const filters = { round: "", table: "" };

const api = jsonApi(apiBase, { errorEl, errorText: T.error });

const move = (bulletId, clusterId) => api("POST", "/board/move", { bullet_id: bulletId, cluster_id: clusterId });

function meta(s, b) {
  const round = s.rounds.find((r) => r.id === b.round_id);
  const group = s.groups.find((g) => g.id === b.group_id);
  return `${round ? round.title : ""} · ${group ? fmt(T.table, { n: group.number }) : ""}`;
}

function visibleBullet(s, b) {
  if (filters.round && String(b.round_id) !== filters.round) return false;
  if (filters.table) {
    const group = s.groups.find((g) => g.id === b.group_id);
    if (!group || String(group.number) !== filters.table) return false;
  }
  return true;
}

function card(s, b, clusterId) {
  const others = s.clusters.filter((c) => c.id !== clusterId);
  const moveTo = el("select", { class: "move-to", "aria-label": T.move_to, onchange: () => {
    if (moveTo.value !== "") move(Number(b.id), moveTo.value === "none" ? null : Number(moveTo.value));
  } }, el("option", { value: "", text: T.move_to }),
  clusterId !== null ? el("option", { value: "none", text: T.unclustered }) : null,
  others.map((c) => el("option", { value: String(c.id), text: c.title })));
  const actions = [moveTo];
  const hint = clusterId === null && suggestions[b.id] && suggestions[b.id][0];
  const target = hint && s.clusters.find((c) => c.id === hint.cluster_id);
  if (target) {
    actions.unshift(el("button", { type: "button", class: "secondary suggestion accept-suggestion",
      dataset: { cluster: target.id }, title: fmt(T.suggested, { title: target.title }),
      text: `→ ${target.title} ✓`, onclick: () => move(Number(b.id), target.id) }));
  }
  if (clusterId !== null) {
    const box = el("input", { type: "checkbox", class: "split-check", "aria-label": T.split,
      checked: checked.has(b.id), onchange: () => { if (box.checked) checked.add(b.id); else checked.delete(b.id); } });
    actions.unshift(box);
  }
  return el("li", { dataset: { bulletId: b.id }, class: b.is_plenary_point ? "point" : "" },
    el("div", { class: "text", text: b.text }), el("div", { class: "meta", text: meta(s, b) }),
    el("div", { class: "card-actions" }, actions));
}

function sortable(list) {
  new Sortable(list, {
    group: "board", animation: 120, forceFallback: true, fallbackTolerance: 3,
    filter: "select, button, input", preventOnFilter: false,
    onStart: () => { dragging = true; },
    onEnd: async (evt) => {
      dragging = false;
      const to = evt.to.dataset.cluster;
      if (evt.from === evt.to) { render(); return; }
      try { await move(Number(evt.item.dataset.bulletId), to === "" ? null : Number(to)); } finally { render(); }
    },
  });
}

function clusterCard(s, c, byId) {
  const title = el("input", { type: "text", class: "cluster-title", value: c.title, "aria-label": T.rename,
    onchange: () => api("PATCH", `/clusters/${c.id}`, { title: title.value }) });
  const list = el("ul", { class: "cards", dataset: { cluster: c.id } },
    c.bullet_ids.map((id) => byId.get(id)).filter((b) => b && visibleBullet(s, b)).map((b) => card(s, b, c.id)));
  sortable(list);
  const merge = el("select", { class: "merge-into", "aria-label": T.merge_into, onchange: () => {
    if (merge.value) api("POST", `/clusters/${c.id}/merge`, { into: Number(merge.value) });
  } }, el("option", { value: "", text: T.merge_into }),
  s.clusters.filter((o) => o.id !== c.id).map((o) => el("option", { value: String(o.id), text: o.title })));
  const initiative = (s.initiatives || []).find((i) => i.cluster_id === c.id);
  const tally = s.vote ? (s.tally || {})[String(c.id)] || 0 : null;
  return el("section", { class: "cluster", dataset: { clusterId: c.id } },
    el("div", { class: "row" }, el("div", { class: "grow" }, title),
      el("span", { class: "badge", text: fmt(T.cards, { n: c.bullet_ids.length }) }),
      tally !== null ? el("span", { class: "badge active", text: fmt(T.votes_n, { n: tally }) }) : null),
    list,
    el("div", { class: "row" },
      initiative
        ? el("a", { class: "button", href: initiativeUrl(initiative.id), text: T.open_initiative })
        : el("button", { type: "button", class: "make-initiative", text: T.make_initiative, onclick: async () => {
          const out = await api("POST", `/clusters/${c.id}/initiative`);
          window.location.href = initiativeUrl(out.initiative.id);
        } }),
      merge,
      el("button", { type: "button", class: "secondary split", text: T.split, onclick: async () => {
        const ids = c.bullet_ids.filter((id) => checked.has(id));
        const name = window.prompt(T.split_title, c.title);
        if (!ids.length || !name) return;
        await api("POST", `/clusters/${c.id}/split`, { bullet_ids: ids, title: name });
        checked = new Set();
      } }),
      el("button", { type: "button", class: "secondary delete-cluster", text: T.delete, onclick: () => {
        if (confirm(T.confirm_delete)) api("DELETE", `/clusters/${c.id}`);
      } })));
}

function initiativeUrl(id) { return root.dataset.initiativeUrl.replace(/\/0$/, `/${id}`); }

function renderFilters(s) {
  const round = document.getElementById("filter-round");
  const table = document.getElementById("filter-table");
  if (!round.options.length) {
    round.append(el("option", { value: "", text: T.all_rounds }),
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
    const max = Math.max(1, ...Object.values(totals));
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
  for (const bar of box.querySelectorAll(".bar")) {
    const max = Math.max(1, ...[...box.querySelectorAll(".bar")].map((b) => Number(b.dataset.n)));
    bar.style.width = `${(100 * Number(bar.dataset.n)) / max}%`;
  }
}

const busy = renderGuard(() => render());

function render() {
  const s = live.state;
  if (!s || dragging || busy()) return;
  renderFilters(s);
  const byId = new Map(s.bullets.map((b) => [b.id, b]));
  const placed = new Set(s.clusters.flatMap((c) => c.bullet_ids));
  const loose = s.bullets.filter((b) => !placed.has(b.id));
  const list = document.getElementById("unclustered");
  list.replaceChildren(...loose.filter((b) => visibleBullet(s, b)).map((b) => card(s, b, null)));
  document.getElementById("unclustered-count").textContent = String(loose.length);
  document.getElementById("clusters").replaceChildren(...s.clusters.map((c) => clusterCard(s, c, byId)));
  renderVote(s);
  document.getElementById("initiatives").replaceChildren(...(s.initiatives || []).map((i) =>
    el("li", {}, el("a", { href: initiativeUrl(i.id), text: i.title }))));
  if (!(s.initiatives || []).length) document.getElementById("initiatives").append(el("li", { class: "muted", text: T.no_initiatives }));
  refreshSuggestions(s, loose);
}

async function refreshSuggestions(s, loose) {
  const key = JSON.stringify([loose.map((b) => b.id), s.clusters.map((c) => c.bullet_ids)]);
  if (key === suggestionsKey) return;
  suggestionsKey = key;
  if (!s.clusters.length || !loose.length) { suggestions = {}; return; }
  try {
    suggestions = await api("GET", "/board/suggestions");
    if (key === suggestionsKey) render();
  } catch { /* shown by api() */ }
}

sortable(document.getElementById("unclustered"));
document.getElementById("propose-clusters").addEventListener("click", () => api("POST", "/board/propose"));
document.getElementById("undo").addEventListener("click", async () => {
  const out = await api("POST", "/board/undo");
  if (!out.undone) { errorEl.textContent = T.nothing_to_undo; errorEl.hidden = false; }
});
document.getElementById("new-cluster-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = document.getElementById("new-cluster-title");
  if (!input.value.trim()) return;
  await api("POST", "/clusters", { title: input.value });
  input.value = "";
});

const live = startLive({
  auth: { kind: "facilitator", conference_id: confId },
  onChange: () => render(),
  onStatus: (st) => {
    const node = document.getElementById("status");
    node.textContent = st === "online" ? T.online : T.offline;
    node.classList.toggle("offline", st !== "online");
  },
});
window.confappBoard = { live };
