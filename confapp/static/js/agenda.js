// Reading the agenda in a snapshot, the same way on every screen.

export function reportedRound(s, plenary) {
  // The group round a plenary reports on: the last one before it on the agenda.
  const earlier = s.rounds.filter((r) => r.kind === "group" && r.position < plenary.position);
  return earlier.length ? earlier[earlier.length - 1] : null;
}
