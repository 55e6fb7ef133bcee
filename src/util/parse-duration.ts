/** Durations as people type them on a command line: `45s`, `2m`, `1m30s`, `500ms`, `1h`. */

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const wholePattern = /^(?:\d+(?:\.\d+)?(?:ms|s|min|m|h))+$/;
const partPattern = /(\d+(?:\.\d+)?)(ms|s|min|m|h)/g;

/**
 * The duration in milliseconds, or null when the text is not a duration with units (a bare
 * number is refused: `60` could mean seconds or milliseconds, and a wrong guess here is a pause).
 */
export function parseDurationMs(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (!wholePattern.test(trimmed)) return null;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(partPattern)) total += Number(amount) * unitMs[unit!]!;
  return total > 0 ? Math.round(total) : null;
}
