// The initiative form: saves with the version it started from; shows others' saves live.
import { el, fmt, startLive, statusLine, strings } from "../js/live.js";

const root = document.getElementById("initiative-page");
const form = document.getElementById("initiative-form");
const T = strings();
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const id = Number(root.dataset.initiativeId);
let version = Number(root.dataset.version);
let dirty = false;
let saving = false; // our own save's event may arrive before its response: not "someone else"
const BOOLS = ["coordinator_is_grade_team_leader"];
const CHECKS = ["multi_professional", "lasting", "all_pupils"]; // tri-state: null is "not assessed"
const TEXTS = ["title", "goal", "content", "coordinator", "main_arena_other", "participants", "timeframe"];
const RADIOS = ["main_arena", "pyramid_level"];

function values() {
  const out = {};
  for (const name of TEXTS) out[name] = form.elements[name].value;
  for (const name of BOOLS) out[name] = form.elements[name].checked;
  for (const name of CHECKS) out[name] = { yes: true, no: false }[form.elements[name].value] ?? null;
  for (const name of RADIOS) out[name] = (form.querySelector(`input[name="${name}"]:checked`) || { value: "" }).value;
  return out;
}

function fill(initiative) {
  for (const name of TEXTS) form.elements[name].value = initiative[name];
  for (const name of BOOLS) form.elements[name].checked = initiative[name];
  for (const name of CHECKS) form.elements[name].value = initiative[name] === null ? "" : initiative[name] ? "yes" : "no";
  for (const name of RADIOS) for (const r of form.querySelectorAll(`input[name="${name}"]`)) r.checked = r.value === initiative[name];
  version = initiative.version;
  dirty = false;
}

function showWarnings(list) {
  document.getElementById("warnings").replaceChildren(...list.map((w) => el("p", { class: "warning", text: w })));
}

async function request(method, body) {
  const res = await fetch(root.dataset.api, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { res, data: await res.json().catch(() => ({})) };
}

async function save(e) {
  e.preventDefault();
  const errorEl = document.getElementById("error");
  const saved = document.getElementById("saved");
  saved.textContent = T.saving;
  saving = true;
  const { res, data } = await request("PATCH", { version, ...values() }).finally(() => { saving = false; });
  if (res.ok) {
    fill(data.initiative);
    showWarnings(data.warnings);
    errorEl.hidden = true;
    document.getElementById("notice").hidden = true;
    saved.textContent = T.saved;
    return;
  }
  saved.textContent = "";
  errorEl.textContent = fmt(T.error, { message: (data.error && data.error.message) || res.statusText });
  errorEl.hidden = false;
  if (res.status === 409) {
    const latest = await request("GET");
    if (latest.res.ok) { fill(latest.data.initiative); showWarnings(latest.data.warnings); }
  }
}

form.addEventListener("submit", save);
form.addEventListener("input", () => { dirty = true; document.getElementById("saved").textContent = ""; });

startLive({
  auth: { kind: "facilitator", conference_id: Number(root.dataset.conferenceId) },
  onChange: async (s) => {
    const latest = (s.initiatives || []).find((i) => i.id === id);
    if (saving || !latest || latest.version <= version) return;
    const notice = document.getElementById("notice");
    if (dirty) { notice.textContent = T.changed_elsewhere; notice.hidden = false; return; }
    fill(latest);
    const fresh = await request("GET");
    if (fresh.res.ok) showWarnings(fresh.data.warnings);
  },
  onStatus: statusLine(document.getElementById("status"), T),
});
request("GET").then(({ res, data }) => { if (res.ok) showWarnings(data.warnings); });
