// Reading the agenda in a snapshot, the same way on every screen. The rules are the server's
// (`Round.reports_on`): a screen looks their answers up, it does not work them out.

export function reportedRound(s, plenary) {
  // The group round a plenary reports on, as the server says (`reports_on`).
  return s.rounds.find((r) => r.id === plenary.reports_on) || null;
}
