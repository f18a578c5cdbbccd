// The reducer: applies one event to a screen's state. It and the event classes in confapp/live/events.py
// must change together (docs/protocol.md, "Server → client: `event`").

// After these a screen takes a new snapshot (docs/protocol.md, "The resync rule", point 4).
export const RESYNC_ON = new Set(["phase.changed", "groups.published", "vote.opened", "vote.closed"]);

export function needsSnapshot(state, ev) {
  // RESYNC_ON for every screen; a phone also when the roles at its own table change: what it may do
  // there (`seat`, services/groups.py) is the server's answer, which this reducer does not work out.
  if (RESYNC_ON.has(ev.type)) return true;
  return ev.type === "group.roles_set" && !!state.seat && ev.data.group_id === state.seat.group_id;
}

function upsert(list, item, key = "id") {
  const i = list.findIndex((x) => x[key] === item[key]);
  if (i >= 0) list[i] = item; else list.push(item);
}

function moveCard(state, m) {
  // Same order as the server: by position, ties by bullet id.
  for (const c of state.clusters) {
    if (c.bullet_ids.includes(m.bullet_id)) {
      c.bullet_ids = c.bullet_ids.filter((id) => id !== m.bullet_id);
      delete c.positions[String(m.bullet_id)];
    }
  }
  const target = state.clusters.find((c) => c.id === m.cluster_id);
  if (!target) return;
  target.positions[String(m.bullet_id)] = m.position;
  target.bullet_ids.push(m.bullet_id);
  target.bullet_ids.sort((a, b) => target.positions[String(a)] - target.positions[String(b)] || a - b);
}

export function applyEvent(state, ev) {
  const d = ev.data;
  switch (ev.type) {
    case "conference.updated":
      state.conference = d.conference; state.rounds = d.rounds; break;
    case "conference.deleted":
      state.conference.deleted = true; break;
    case "access.ended":
      break; // one facilitator's rights ended; their own console says so (console.js), state is unchanged
    case "participant.joined":
    case "participant.released":
      if (state.participants) upsert(state.participants, d.participant); break;
    case "participant.removed":
      if (state.participants) {
        const p = state.participants.find((x) => x.id === d.participant_id);
        if (p) p.removed = true;
      }
      break;
    case "groups.planned":
      state.groups = state.groups.filter((g) => g.round_id !== d.round_id).concat(d.groups); break;
    case "groups.published": {
      // The tables themselves come with the new snapshot this event triggers (RESYNC_ON).
      const r = state.rounds.find((x) => x.id === d.round_id);
      if (r) r.groups_published = true;
      break;
    }
    case "group.member_added": {
      const g = state.groups.find((x) => x.id === d.group_id);
      if (g && !g.members.some((m) => m.id === d.member.id)) g.members.push(d.member);
      break;
    }
    case "group.roles_set": {
      const g = state.groups.find((x) => x.id === d.group_id);
      if (g) { g.leader_id = d.leader_id; g.reporter_id = d.reporter_id; }
      break;
    }
    case "phase.changed":
      state.conference.status = d.status;
      state.conference.active_round_id = d.active_round ? d.active_round.id : null;
      if (d.active_round) upsert(state.rounds, d.active_round);
      break;
    case "bullet.posted":
    case "bullet.edited":
      upsert(state.bullets, d.bullet); break;
    case "bullet.deleted":
      state.bullets = state.bullets.filter((b) => b.id !== d.bullet_id); break;
    case "bullet.plenary_point":
      for (const b of state.bullets) if (b.group_id === d.group_id) b.is_plenary_point = b.id === d.bullet_id;
      break;
    case "plenary.focus":
      state.conference.focus_group_number = d.group_number; break;
    case "projector.paged":
      // A step for the screens showing now (projector.js reads live.lastEvent); nothing in the snapshot.
      break;
    case "note.saved":
      upsert(state.notes, d.note); break;
    case "cluster.saved": {
      if (!state.clusters) break;
      const old = state.clusters.find((c) => c.id === d.cluster.id);
      upsert(state.clusters, old ? { ...d.cluster, bullet_ids: old.bullet_ids, positions: old.positions } : d.cluster);
      state.clusters.sort((a, b) => a.position - b.position || a.id - b.id);
      break;
    }
    case "cluster.deleted":
      if (state.clusters) state.clusters = state.clusters.filter((c) => c.id !== d.cluster_id);
      break;
    case "board.moved":
      if (state.clusters) for (const m of d.moves) moveCard(state, m);
      break;
    case "vote.opened":
    case "vote.closed":
      state.vote = d.vote; break;
    case "vote.tally":
      if (state.vote && state.vote.id === d.vote_id) state.tally = d.totals;
      break;
    case "initiative.saved":
      if (state.initiatives) upsert(state.initiatives, d.initiative);
      break;
    case "measure.saved":
      // Where its tables show it: the plenary's badge, and the evaluation card on the table's phones.
      for (const g of state.groups || []) {
        if (g.measure && g.measure.id === d.measure.id) g.measure = d.measure;
        if (g.evaluation && g.evaluation.id === d.measure.id) {
          g.evaluation.title = d.measure.title; g.evaluation.status = d.measure.status;
        }
      }
      break;
    case "initiative.deleted":
      if (state.initiatives) state.initiatives = state.initiatives.filter((i) => i.id !== d.initiative_id);
      break;
    case "escalation.saved": // the strategy forum's pages read it from the server; nothing live here
      break;
    default:
      console.warn("unknown event type", ev.type);
  }
}
