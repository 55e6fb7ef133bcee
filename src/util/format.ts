/** Human-readable sizes and durations for check explanations. */

const mebibyte = 1024 ** 2;
const gibibyte = 1024 ** 3;

/** `512 MiB`, `8 GiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= gibibyte) return `${trimZeros((bytes / gibibyte).toFixed(1))} GiB`;
  return `${Math.round(bytes / mebibyte)} MiB`;
}

/** `258 ms`, `9.5 s`, `4 min 10 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${trimZeros(seconds.toFixed(1))} s`;
  const wholeSeconds = Math.round(seconds);
  const minutes = Math.floor(wholeSeconds / 60);
  if (minutes < 60) return `${minutes} min ${wholeSeconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * How long a migration took. When livemig was not running for part of it (killed, then resumed
 * by a later start), the copy's own time and that gap are told apart: the total alone would
 * make a 9 s copy reconciled 45 s later read like a 57 s migration.
 */
export function formatMigrationTime(outcome: {
  durationMs: number;
  copyMs?: number | null;
  unattendedMs?: number;
}): string {
  const total = formatDuration(outcome.durationMs);
  if (outcome.unattendedMs === undefined) return total;
  const copy = outcome.copyMs == null ? '' : `copy ${formatDuration(outcome.copyMs)}, `;
  return `${total} (${copy}${formatDuration(outcome.unattendedMs)} of it with no livemig running, until a restart resumed it)`;
}

function trimZeros(text: string): string {
  return text.replace(/\.0$/, '');
}
