/** Typo suggestions (`/migrate` subcommands, config keys): the closest known word by edit distance. */

/** Levenshtein distance (insert, delete, substitute: cost 1 each). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word` when it is a plausible typo (at most 2 edits, and fewer than
 * half the word's letters), else null. Ties go to the earlier candidate.
 */
export function closestWord(word: string, candidates: readonly string[]): string | null {
  const typed = word.toLowerCase();
  let best: { word: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    if (best === null || distance < best.distance) best = { word: candidate, distance };
  }
  if (best === null || best.distance > 2 || best.distance * 2 >= Math.max(typed.length, 2)) return null;
  return best.word;
}
