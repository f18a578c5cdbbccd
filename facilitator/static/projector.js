// The big screen: read-only, large type; in plenary it shows one table's points at a time.
import { countdown, el, fmt, startLive, strings } from "../js/live.js";

const root = document.getElementById("projector");
const T = strings();
const view = document.getElementById("p-view");

function reportedRound(s, plenary) {
  const earlier = s.rounds.filter((r) => r.kind === "group" && r.position < plenary.position);
  return earlier.length ? earlier[earlier.length - 1] : null;
}

function whoSitsWhere(s, round) {
  const groups = s.groups.filter((g) => g.round_id === round.id).sort((a, b) => a.number - b.number);
  return el("div", { class: "overview", id: "who-sits-where" }, groups.map((g) => el("section", { dataset: { number: g.number } },
    el("h3", { text: round.state === "active"
      ? `${fmt(T.table, { n: g.number })} · ${fmt(T.points, { n: s.bullets.filter((b) => b.group_id === g.id).length })}`
      : fmt(T.table, { n: g.number }) }),
    el("p", { text: g.members.map((m) => m.name).join(", ") }))));
}

function voteChart(s) {
  const totals = s.vote.state === "closed"
    ? Object.fromEntries(Object.entries(s.vote.final_tally || {}).map(([id, t]) => [id, t.dots]))
    : s.tally || {};
  const rows = (s.clusters || []).map((c) => ({ c, n: totals[String(c.id)] || 0 })).sort((a, b) => b.n - a.n);
  return el("section", { id: "vote-chart" }, el("h2", { text: s.vote.state === "open" ? T.vote_open : T.vote_result }),
    el("ul", { class: "bars" }, rows.map(({ c, n }) => el("li", { dataset: { clusterId: c.id } },
      el("span", { text: c.title }), el("div", { class: "bar", dataset: { n } }), el("strong", { text: String(n) })))));
}

function render() {
  const s = live.state;
  if (!s) return;
  document.getElementById("p-title").textContent = s.conference.title;
  const active = s.rounds.find((r) => r.id === s.conference.active_round_id);
  const parts = [];
  if (s.conference.status === "finished") parts.push(el("p", { class: "question", text: T.finished }));
  else if (!active) {
    parts.push(el("p", { class: "question", text: s.conference.purpose || T.welcome }));
    const next = s.rounds.find((r) => r.kind === "group" && r.state === "pending" && r.groups_published);
    if (next) parts.push(el("h2", { text: `${T.who_sits_where} – ${next.title}` }), whoSitsWhere(s, next));
  } else if (active.kind === "group") {
    parts.push(el("div", { class: "row" }, el("h2", { class: "grow", text: active.title }),
      active.ends_at ? el("span", { class: "countdown", id: "countdown", dataset: { endsAt: active.ends_at },
        text: countdown(active.ends_at, live.now()) }) : null));
    parts.push(el("p", { class: "question", id: "p-question", text: active.question }));
    parts.push(el("h3", { text: T.who_sits_where }), whoSitsWhere(s, active));
  } else {
    const reported = reportedRound(s, active);
    parts.push(el("h2", { text: active.title }));
    if (reported) {
      parts.push(el("p", { class: "question", text: reported.question }));
      const groups = s.groups.filter((g) => g.round_id === reported.id).sort((a, b) => a.number - b.number);
      const focus = s.conference.focus_group_number;
      parts.push(el("div", { class: "tabs" }, groups.map((g) => el("span", {
        class: g.number === focus ? "current" : "", text: fmt(T.table, { n: g.number }) }))));
      const g = groups.find((x) => x.number === focus);
      if (g) {
        const bullets = s.bullets.filter((b) => b.group_id === g.id);
        parts.push(el("section", { class: "group-report", id: "focused-group", dataset: { number: g.number } },
          el("h2", { text: fmt(T.table, { n: g.number }) }),
          bullets.length ? el("ul", { class: "bullets" }, bullets.map((b) => el("li", { class: b.is_plenary_point ? "point" : "" },
            b.is_plenary_point ? el("strong", { text: `${T.plenary_point}: ` }) : null, b.text)))
            : el("p", { class: "muted", text: T.no_points })));
      }
    }
    const notes = s.notes.filter((n) => n.round_id === active.id);
    if (notes.length) parts.push(el("h3", { text: T.notes }), el("div", { class: "notes", text: notes.map((n) => n.text).join("\n") }));
  }
  if (s.vote && (!active || active.kind !== "group")) parts.splice(0, parts.length, voteChart(s));
  view.replaceChildren(...parts);
  for (const bar of view.querySelectorAll(".bar")) {
    const max = Math.max(1, ...[...view.querySelectorAll(".bar")].map((b) => Number(b.dataset.n)));
    bar.style.width = `${(100 * Number(bar.dataset.n)) / max}%`;
  }
}

const live = startLive({ auth: { kind: "projector", key: root.dataset.key }, onChange: render });
setInterval(() => {
  const c = document.getElementById("countdown");
  if (c) c.textContent = countdown(c.dataset.endsAt, live.now());
}, 1000);
window.confappProjector = { live };
