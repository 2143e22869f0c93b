// "Did you mean": the known name closest to a misspelt one, by edit distance.

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate closest to `name` (case-insensitive), if it is close enough to be a typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: [string, number] | undefined;
  for (const known of candidates) {
    const d = distance(name.toLowerCase(), known.toLowerCase());
    if (!best || d < best[1]) best = [known, d];
  }
  return best && best[1] <= Math.max(2, Math.floor(name.length / 4)) ? best[0] : undefined;
}
