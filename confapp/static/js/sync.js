// The live connection: connect, sync from the last seq, apply events in order, repair gaps.
// Protocol: docs/protocol.md ("The resync rule", "Gaps").
import { RESYNC_ON, applyEvent, needsSnapshot } from "./reducer.js";

export function classify(seq, ev) {
  // The order rule (docs/protocol.md, "Gaps"): a live event carries `prev`, the seq of the event this
  // screen's audience was sent before it. "old": applied already (or older than the snapshot); "gap":
  // an event for this screen between `seq` and this one is missing; "apply": the next one in order.
  if (ev.seq <= seq) return "old";
  if (ev.prev !== undefined && ev.prev > seq) return "gap";
  return "apply";
}

export function startLive({ auth, onChange, onStatus = () => {}, onConnectExtra = () => {}, resyncSpreadMs = 0 }) {
  // resyncSpreadMs: phones wait a random moment before the new snapshot a RESYNC_ON event asks for, so
  // a hall of phones does not ask the server in the same millisecond (the reducer has already applied
  // what the event itself says). A snapshot only one table needs (`needsSnapshot`) is asked for at once.
  const socket = io({ auth, transports: ["websocket", "polling"], reconnectionDelayMax: 4000 });
  const live = { socket, state: null, serverOffset: 0, syncing: false, again: null, queued: [] };

  function changed() { if (live.state) onChange(live.state, live); }

  function handle(ev) {
    if (!live.state) { live.queued.push(ev); return; }
    const next = classify(live.state.seq, ev);
    if (next === "old") return;
    if (next === "gap") {
      // Something this screen should have seen came in between (lost on the way): fetch it first.
      // `seq` stays where it is, and this event waits in the queue, so nothing is skipped or dropped.
      live.queued.push(ev);
      live.resync(false);
      return;
    }
    applyEvent(live.state, ev);
    live.state.seq = ev.seq;
    live.lastType = ev.type;
    live.lastEvent = ev; // commands to a screen (projector.paged) are read from here, not from state
    const hallWide = RESYNC_ON.has(ev.type);
    if (needsSnapshot(live.state, ev)) {
      if (hallWide && resyncSpreadMs > 0) { changed(); setTimeout(() => live.resync(true), Math.random() * resyncSpreadMs); }
      else live.resync(true);
      return;
    }
    changed();
  }

  function receive(ev) { if (live.syncing) live.queued.push(ev); else handle(ev); }

  live.resync = function resync(full = false) {
    if (live.syncing) { live.again = live.again || { full: false }; live.again.full ||= full; return; }
    live.syncing = true;
    const since = full || !live.state ? null : live.state.seq;
    socket.timeout(10000).emit("sync", { since }, (err, ack) => {
      live.syncing = false;
      if (err || !ack || !ack.ok) { setTimeout(() => socket.connected && live.resync(full), 2000); return; }
      if (ack.snapshot) {
        live.state = ack.snapshot;
        live.serverOffset = Date.parse(ack.snapshot.server_now) - Date.now();
      } else if (live.state) {
        let again = false;
        for (const ev of ack.events) {
          if (ev.seq > live.state.seq) { applyEvent(live.state, ev); live.state.seq = ev.seq; }
          if (needsSnapshot(live.state, ev)) again = true;
        }
        live.state.seq = Math.max(live.state.seq, ack.seq);
        if (again) live.again = { full: true };
      }
      if (live.again) {
        // Asked for again while this answer was under way: the queue waits for the next one; none is lost.
        const { full: nextFull } = live.again; live.again = null;
        live.resync(nextFull);
        return;
      }
      const queued = live.queued.sort((a, b) => a.seq - b.seq); live.queued = [];
      for (const ev of queued) receive(ev);
      changed();
    });
  };

  socket.on("connect", () => { onStatus("online"); live.resync(false); onConnectExtra(live); });
  socket.on("disconnect", () => onStatus("offline"));
  socket.on("connect_error", () => onStatus("offline"));
  socket.on("event", receive);

  live.emit = function emit(name, data, timeoutMs = 8000) {
    return new Promise((resolve, reject) => {
      if (!socket.connected) { reject(new Error("offline")); return; }
      socket.timeout(timeoutMs).emit(name, data, (err, ack) => (err ? reject(err) : resolve(ack)));
    });
  };
  live.now = () => Date.now() + live.serverOffset;
  return live;
}
