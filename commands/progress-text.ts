/**
 * Text for the runner's progress events, one formatter per kind: plain lines for logs and
 * non-TTY output, and a one-line progress bar for a terminal. The Slack status message uses the
 * same wording.
 */

import type { ProgressEvent } from '../src/engine/runner/index.js';
import { formatBytes, formatDuration, formatMigrationTime } from '../src/util/format.js';

type EventOf<K extends ProgressEvent['kind']> = Extract<ProgressEvent, { kind: K }>;

const formatters: { [K in ProgressEvent['kind']]: (event: EventOf<K>) => string } = {
  phase: (e) => `${e.vm.name}: ${e.to.replaceAll('_', ' ')}`,
  progress: (e) =>
    `${e.vm.name}: ${percent(e)}% ${formatBytes(e.memoryProcessedBytes)} sent, ${formatBytes(e.memoryRemainingBytes)} of ${formatBytes(e.memoryTotalBytes)} left, ${rate(e.bandwidthBytesPerSec)}, ${e.guestPaused ? 'guest paused' : `dirtying ${rate(e.dirtyRateBytesPerSec)}, iteration ${e.iteration}`}, ETA ${eta(e)}`,
  milestone: (e) => `${e.vm.name}: ${e.detail}`,
  queued: (e) => `${e.vm.name}: queued (#${e.position}): ${e.reason}`,
  reboot_warning: (e) => `${e.vm.name}: ${e.message}`,
  finished: (e) =>
    `${e.vm.name}: migrated in ${formatMigrationTime(e)}${e.downtimeMs === null ? '' : `, downtime ${formatDuration(e.downtimeMs)}`}${e.dataSentBytes === null ? '' : `, ${formatBytes(e.dataSentBytes)} sent`}`,
  failed: (e) => `${e.vm.name}: FAILED${e.step ? ` at ${e.step}` : ''}: ${e.message}`,
  cancelled: (e) => `${e.vm.name}: ${e.message}`,
  reboot_started: (e) => `${e.vm.name}: nova reboot --hard sent`,
  reboot_finished: (e) => `${e.vm.name}: ${e.message}`,
};

/** One plain line for `event`. */
export function formatProgressEvent(event: ProgressEvent): string {
  return (formatters[event.kind] as (e: ProgressEvent) => string)(event);
}

/** A progress bar line for a terminal: `[#####-----] 52% 2.1 GiB left · 117 MiB/s · ETA 18 s`. */
export function renderProgressBar(event: EventOf<'progress'>, width = 30): string {
  const filled = Math.round((percent(event) / 100) * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const guest = event.guestPaused
    ? 'GUEST PAUSED'
    : `dirty ${rate(event.dirtyRateBytesPerSec)} · iter ${event.iteration}`;
  return `[${bar}] ${percent(event)}% ${formatBytes(event.memoryRemainingBytes)} left · ${rate(event.bandwidthBytesPerSec)} · ${guest} · ETA ${eta(event)}`;
}

function percent(e: EventOf<'progress'>): number {
  if (e.memoryTotalBytes <= 0) return 0;
  // Floor: 100% only when nothing is left (rounding showed "100% … 20 MiB of 4 GiB left").
  return Math.max(
    0,
    Math.min(100, Math.floor(((e.memoryTotalBytes - e.memoryRemainingBytes) / e.memoryTotalBytes) * 100)),
  );
}

function rate(bytesPerSec: number): string {
  return `${(bytesPerSec / 1024 ** 2).toFixed(0)} MiB/s`;
}

function eta(e: EventOf<'progress'>): string {
  // A paused guest dirties nothing: what is left goes at the link's speed.
  if (e.guestPaused && e.bandwidthBytesPerSec > 0)
    return formatDuration((e.memoryRemainingBytes / e.bandwidthBytesPerSec) * 1000);
  return e.etaMs === null ? 'none (not converging)' : formatDuration(e.etaMs);
}

/** Prints progress events as they come; end() leaves the terminal on a fresh line. */
export type ProgressPrinter = ((event: ProgressEvent) => void) & { end(): void };

/**
 * On a terminal (`isTty`), progress events redraw one bar line in place (carriage return, erase
 * line) and every other event clears the bar and prints its line; elsewhere (a pipe, a log file)
 * every event, progress included, is one plain line.
 */
export function createProgressPrinter(isTty: boolean, out: (text: string) => void): ProgressPrinter {
  let barShown = false;
  const clearBar = () => {
    if (barShown) out('\r\x1b[2K');
    barShown = false;
  };
  const print = (event: ProgressEvent) => {
    clearBar();
    if (event.kind === 'progress' && isTty) {
      out(renderProgressBar(event));
      barShown = true;
      return;
    }
    out(`${formatProgressEvent(event)}\n`);
  };
  return Object.assign(print, { end: clearBar });
}
