// Durations and CRL freshness as people read them (the dashboard's table and the CRL charts).

const DAY = 86_400;

/** How fresh a CRL is: expired (error), less than a day left (warning), or fine. */
export function crlFreshness(secondsLeft: number | null): 'error' | 'warning' | 'ok' {
  if (secondsLeft === null) return 'error';
  return secondsLeft <= 0 ? 'error' : secondsLeft < DAY ? 'warning' : 'ok';
}

/** A duration for people: "3 d 4 h", "5 h 12 min", "expired 2 h ago". */
export function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'no CRL published';
  const s = Math.abs(seconds);
  const d = Math.floor(s / DAY);
  const h = Math.floor((s % DAY) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const text = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
  return seconds <= 0 ? `expired ${text} ago` : text;
}
