// Building and guarding the DOM, and the bits of page furniture every screen shares.
import { countdown } from "./clock.js";

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

export function statusLine(node, T) {
  // The "online"/"offline" line every screen shows: an `onStatus` for startLive.
  return (st) => {
    node.textContent = st === "online" ? T.online : T.offline;
    node.classList.toggle("offline", st !== "online");
  };
}

export function countdownEl(endsAt, live, attrs = {}) {
  // The agenda item's time left; `everySecond` moves it on.
  return el("span", { class: "countdown", id: "countdown", ...attrs, dataset: { endsAt },
    text: countdown(endsAt, live.now()) });
}

export function everySecond(live, more = () => {}) {
  // Moves the #countdown on by the server's clock once a second (and whatever else a screen ticks).
  return setInterval(() => {
    const c = document.getElementById("countdown");
    if (c) c.textContent = countdown(c.dataset.endsAt, live.now());
    more();
  }, 1000);
}
