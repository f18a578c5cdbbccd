// The live layer for every screen, as one import. Each concern is a module of its own:
// sync.js (connection, order, gaps), reducer.js (applying events), dom.js, api.js, i18n.js, clock.js, agenda.js.
// Protocol: docs/protocol.md.
export { RESYNC_ON, applyEvent, needsSnapshot } from "./reducer.js";
export { classify, startLive } from "./sync.js";
export { countdownEl, el, everySecond, renderGuard, statusLine } from "./dom.js";
export { jsonApi, uuid4 } from "./api.js";
export { fmt, plural, strings } from "./i18n.js";
export { countdown } from "./clock.js";
export { reportedRound } from "./agenda.js";
