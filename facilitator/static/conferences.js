// The conference list: drawn by the server, and drawn again when one of my conferences is created or
// deleted elsewhere (another tab, the laptop in the hall, a co-facilitator). The notice comes through
// this facilitator's own room (confapp/live/realtime.py `facilitator_room`); it carries no list, so the page
// reloads what the server says.
const socket = io({ auth: { kind: "facilitator" }, transports: ["websocket", "polling"] });
socket.on("home", () => window.location.reload());
window.confappList = { socket };
