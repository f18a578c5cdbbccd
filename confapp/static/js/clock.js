// Time on the server's clock (a screen's `live.now()`): the agenda item's countdown.

export function countdown(endsAtIso, now) {
  if (!endsAtIso) return "";
  const left = Math.round((Date.parse(endsAtIso) - now) / 1000);
  const s = Math.max(0, left);
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return left < 0 ? `0:00` : text;
}
