// The big screen: read-only, large type; in plenary it shows one table's points at a time.
// It never scrolls: the list on screen (points, who sits where, the vote) is fitted by fit.js and, when
// even the smallest legible text does not fit, paged: the pages turn on their own every
// data-page-seconds, and the facilitator steps them from the console (event `projector.paged`).
import { countdownEl, el, everySecond, fmt, plural, reportedRound, startLive, strings } from "../js/live.js";
import { fitBlock, fitOrPage, showPage } from "./fit.js";

const root = document.getElementById("projector");
const T = strings();
const view = document.getElementById("p-view");
const pager = document.getElementById("p-pager");
const PAGE_MS = Math.max(3, Number(root.dataset.pageSeconds) || 15) * 1000;
const MAX_TABS = 9; // more tables than this: a window around the current one (one line at 720p)

// The list on screen and its pages. `key` names what is shown: a new key starts at page 1, a re-render
// of the same thing (a new dot, a new point) keeps the page the hall is reading.
const paging = { key: null, fit: null, page: 0, ranges: [[0, 0]], items: [], container: null, turnAt: 0, stepSeq: 0 };

function paged(container, items, key) {
  // A region that fits or pages `items`; laid out after it is in the document (see render).
  return { region: el("div", { class: "p-fit" }, container), container, items, key };
}

function whoSitsWhere(s, round) {
  const groups = s.groups.filter((g) => g.round_id === round.id).sort((a, b) => a.number - b.number);
  const items = groups.map((g) => el("section", { dataset: { number: g.number } },
    el("h3", { text: round.state === "active"
      ? `${fmt(T.table, { n: g.number })} · ${plural(T.points, s.bullets.filter((b) => b.group_id === g.id).length)}`
      : fmt(T.table, { n: g.number }) }),
    el("ul", { class: "names" }, g.members.map((m) => el("li", { text: m.name })))));
  return paged(el("div", { class: "overview", id: "who-sits-where" }), items, `seating:${round.id}`);
}

function voteChart(s) {
  const totals = s.vote.state === "closed"
    ? Object.fromEntries(Object.entries(s.vote.final_tally || {}).map(([id, t]) => [id, t.dots]))
    : s.tally || {};
  const rows = (s.clusters || []).map((c) => ({ c, n: totals[String(c.id)] || 0 })).sort((a, b) => b.n - a.n);
  const max = Math.max(1, ...rows.map((r) => r.n));
  const items = rows.map(({ c, n }) => {
    const bar = el("div", { class: "bar", dataset: { n } });
    bar.style.width = `${(100 * n) / max}%`;
    return el("li", { dataset: { clusterId: c.id } }, el("span", { text: c.title }), bar, el("strong", { text: String(n) }));
  });
  const list = paged(el("ul", { class: "bars" }), items, `vote:${s.vote.id}`);
  return { section: el("section", { id: "vote-chart" },
    el("h2", { text: s.vote.state === "open" ? T.vote_open : T.vote_result }), list.region), list };
}

function tabs(groups, focus) {
  let shown = groups;
  const i = groups.findIndex((g) => g.number === focus);
  let before = 0;
  let after = 0;
  if (groups.length > MAX_TABS) {
    const start = Math.min(Math.max(0, i - Math.floor(MAX_TABS / 2)), groups.length - MAX_TABS);
    shown = groups.slice(start, start + MAX_TABS);
    before = start;
    after = groups.length - start - MAX_TABS;
  }
  return el("div", { class: "tabs" },
    before ? el("span", { class: "more", text: "…" }) : null,
    shown.map((g) => el("span", { class: g.number === focus ? "current" : "", text: fmt(T.table, { n: g.number }) })),
    after ? el("span", { class: "more", text: "…" }) : null);
}

function plenaryParts(s, active, parts) {
  const reported = reportedRound(s, active);
  parts.push(el("h2", { text: active.title }));
  const notes = s.notes.filter((n) => n.round_id === active.id);
  const noteItem = notes.length ? el("li", { class: "notes-item" }, el("h3", { text: T.notes }),
    el("div", { class: "notes", text: notes.map((n) => n.text).join("\n") })) : null;
  if (!reported) {
    if (noteItem) {
      const list = paged(el("ul", { class: "bullets" }), [noteItem], `notes:${active.id}`);
      parts.push(list.region);
      return list;
    }
    return null;
  }
  parts.push(el("p", { class: "question", text: reported.question }));
  const groups = s.groups.filter((g) => g.round_id === reported.id).sort((a, b) => a.number - b.number);
  const focus = s.conference.focus_group_number;
  parts.push(tabs(groups, focus));
  const g = groups.find((x) => x.number === focus);
  if (!g) {
    if (!noteItem) return null;
    const list = paged(el("ul", { class: "bullets" }), [noteItem], `notes:${active.id}`);
    parts.push(list.region);
    return list;
  }
  const bullets = s.bullets.filter((b) => b.group_id === g.id);
  const items = bullets.map((b) => el("li", { class: b.is_plenary_point ? "point" : "", dataset: { bulletId: b.id } },
    b.is_plenary_point ? el("strong", { text: `${T.plenary_point}: ` }) : null, b.text));
  if (!items.length) items.push(el("li", { class: "muted", text: T.no_points }));
  if (noteItem) items.push(noteItem);
  const list = paged(el("ul", { class: "bullets" }), items, `plenary:${active.id}:${g.number}`);
  list.total = bullets.length; // the points, across pages (the notes item is not one)
  // An evaluation table: the measure it evaluated and where that measure stands now, beside its report.
  const measure = g.measure ? el("p", { class: "table-measure", id: "table-measure" },
    el("strong", { text: `${T.evaluates}: ${g.measure.title}` }), " ",
    el("span", { class: "badge", text: T.status[g.measure.status] || g.measure.status })) : null;
  parts.push(el("section", { class: "group-report", id: "focused-group", dataset: { number: g.number } },
    el("h2", { text: fmt(T.table, { n: g.number }) }), measure, list.region));
  return list;
}

function render() {
  const s = live.state;
  if (!s) return;
  if (s.conference.deleted) {
    // Nothing is left to show, and the screen's link now leads nowhere: say so instead of the last page.
    view.replaceChildren(el("p", { class: "question", id: "deleted", role: "alert", text: T.deleted }));
    paging.ranges = [[0, 0]]; paging.container = null; pager.replaceChildren(); // no page turns any more
    root.querySelector(".joinbar").hidden = true; // its code leads nowhere now
    return;
  }
  document.getElementById("p-title").textContent = s.conference.title;
  const active = s.rounds.find((r) => r.id === s.conference.active_round_id);
  const parts = [];
  let list = null;
  if (s.conference.status === "finished") parts.push(el("p", { class: "question", text: T.finished }));
  else if (!active) {
    const next = s.rounds.find((r) => r.kind === "group" && r.state === "pending" && r.groups_published);
    if (next) {
      list = whoSitsWhere(s, next);
      parts.push(el("p", { class: "question", text: s.conference.purpose || T.welcome }),
        el("h2", { text: `${T.who_sits_where} – ${next.title}` }), list.region);
    } else {
      // The purpose alone: up to 4,000 characters, paged by paragraph like any long list.
      const paragraphs = (s.conference.purpose || T.welcome).split(/\n\s*\n|\n/).filter((x) => x.trim());
      list = paged(el("ul", { class: "purpose" }), paragraphs.map((x) => el("li", { text: x })), "purpose");
      parts.push(list.region);
    }
  } else if (active.kind === "group") {
    parts.push(el("div", { class: "row" }, el("h2", { class: "grow", text: active.title }),
      active.ends_at ? countdownEl(active.ends_at, live) : null));
    parts.push(el("p", { class: "question", id: "p-question", text: active.question }));
    list = whoSitsWhere(s, active);
    parts.push(el("h3", { text: T.who_sits_where }), list.region);
  } else {
    list = plenaryParts(s, active, parts);
  }
  if (s.vote && (!active || active.kind !== "group")) {
    const chart = voteChart(s);
    parts.splice(0, parts.length, chart.section);
    list = chart.list;
  }
  view.replaceChildren(...parts);
  for (const block of view.querySelectorAll(".question")) fitBlock(block);
  layout(list);
}

function layout(list) {
  // Fit (or page) the list now that it is in the document, keeping the page when the content is the same.
  if (!list) {
    Object.assign(paging, { key: null, fit: null, page: 0, ranges: [[0, 0]], items: [], container: null });
    drawPager();
    return;
  }
  const same = list.key === paging.key && list.items.length === paging.items.length;
  const { fit, pages: ranges } = fitOrPage(list.region, list.container, list.items, same ? paging.fit : null);
  if (list.key !== paging.key) {
    paging.page = 0;
    paging.turnAt = Date.now() + PAGE_MS;
  }
  Object.assign(paging, { key: list.key, fit, ranges, items: list.items, container: list.container });
  paging.page = Math.min(paging.page, ranges.length - 1);
  list.container.dataset.total = String(list.total ?? list.items.length);
  turnTo(paging.page);
}

function turnTo(page) {
  const n = paging.ranges.length;
  paging.page = ((page % n) + n) % n;
  if (paging.container) {
    showPage(paging.container, paging.items, paging.ranges[paging.page]);
    paging.container.dataset.page = String(paging.page + 1);
    paging.container.dataset.pages = String(n);
  }
  drawPager();
}

function drawPager() {
  const n = paging.ranges.length;
  if (n < 2) { pager.replaceChildren(); return; }
  pager.replaceChildren(el("span", { class: "count", text: `${paging.page + 1}/${n}` }),
    el("span", { class: "dots", "aria-hidden": "true" },
      paging.ranges.map((_, i) => el("i", { class: i === paging.page ? "on" : "" }))));
}

function onChange() {
  render();
  // A step from the console: relative, because only this screen knows how many pages it has.
  const ev = live.lastEvent;
  if (ev && ev.type === "projector.paged" && ev.seq > paging.stepSeq) {
    paging.stepSeq = ev.seq;
    paging.turnAt = Date.now() + PAGE_MS;
    turnTo(paging.page + ev.data.delta);
  }
}

const live = startLive({ auth: { kind: "projector", key: root.dataset.key }, onChange });
everySecond(live, () => {
  if (paging.ranges.length > 1 && Date.now() >= paging.turnAt) {
    paging.turnAt = Date.now() + PAGE_MS;
    turnTo(paging.page + 1);
  }
});
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => { paging.fit = null; render(); }, 150); // a new size: search the fit again
});
window.confappProjector = { live };
