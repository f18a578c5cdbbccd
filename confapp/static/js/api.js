// Talking to the server over HTTP: the console's JSON calls, and the client UUIDs of phone writes.
import { fmt } from "./i18n.js";

export function uuid4() {
  // crypto.randomUUID needs a secure context; a venue's plain-http LAN address is not one.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
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
