import { describe, expect, it } from 'vitest';
import {
  createProgressPrinter,
  formatProgressEvent,
  renderProgressBar,
} from '../../commands/progress-text.js';
import type { ProgressEvent } from '../../src/engine/runner/index.js';

const base = { migrationId: 'mig-1', requestId: 'req-1', vm: { uuid: 'u', name: 'dstest' }, at: 0 };
const gib = 2 ** 30;
const progress: Extract<ProgressEvent, { kind: 'progress' }> = {
  ...base,
  kind: 'progress',
  memoryProcessedBytes: 2.5 * gib,
  memoryRemainingBytes: 1 * gib,
  memoryTotalBytes: 4 * gib,
  bandwidthBytesPerSec: 117 * 2 ** 20,
  dirtyRateBytesPerSec: 8 * 2 ** 20,
  iteration: 2,
  expectedDowntimeMs: 300,
  etaMs: 9_400,
};

describe('progress text', () => {
  it('draws a bar with percent done, what is left, rates, iteration and ETA', () => {
    expect(renderProgressBar(progress, 20)).toBe(
      '[###############-----] 75% 1 GiB left · 117 MiB/s · dirty 8 MiB/s · iter 2 · ETA 9.4 s',
    );
  });

  it('never says 100% while memory is left', () => {
    const almost = { ...progress, memoryRemainingBytes: 20 * 2 ** 20, memoryProcessedBytes: 4 * gib };
    expect(formatProgressEvent(almost)).toMatch(/^dstest: 99% 4 GiB sent, 20 MiB of 4 GiB left/);
    expect(renderProgressBar(almost, 20)).toMatch(/\] 99% 20 MiB left/);
  });

  it('says "guest paused" instead of a dirty rate while libvirt has the guest paused', () => {
    const paused = { ...progress, guestPaused: true, dirtyRateBytesPerSec: 0, etaMs: null };
    expect(formatProgressEvent(paused)).toBe(
      'dstest: 75% 2.5 GiB sent, 1 GiB of 4 GiB left, 117 MiB/s, guest paused, ETA 8.8 s',
    );
    expect(renderProgressBar(paused, 20)).toBe(
      '[###############-----] 75% 1 GiB left · 117 MiB/s · GUEST PAUSED · ETA 8.8 s',
    );
    expect(formatProgressEvent({ ...progress, guestPaused: false })).toContain('dirtying 8 MiB/s');
  });

  it('says when the copy is not converging instead of an ETA', () => {
    expect(formatProgressEvent({ ...progress, etaMs: null })).toMatch(/ETA none \(not converging\)$/);
  });

  it('summarises the end: duration, downtime and data sent; a failure names its step', () => {
    expect(
      formatProgressEvent({
        ...base,
        kind: 'finished',
        durationMs: 41_000,
        downtimeMs: 250,
        dataSentBytes: 4.2 * gib,
      }),
    ).toBe('dstest: migrated in 41 s, downtime 250 ms, 4.2 GiB sent');
    expect(
      formatProgressEvent({
        ...base,
        kind: 'failed',
        message: 'nova said no',
        step: 'live_migrate',
        logExcerpt: null,
      }),
    ).toBe('dstest: FAILED at live_migrate: nova said no');
  });
});

describe('createProgressPrinter', () => {
  const phase: ProgressEvent = { ...base, kind: 'phase', from: 'preparing', to: 'migrating' };
  const later = { ...progress, memoryRemainingBytes: 0.5 * gib };
  const printed = (isTty: boolean, events: ProgressEvent[]) => {
    const chunks: string[] = [];
    const printer = createProgressPrinter(isTty, (text) => chunks.push(text));
    for (const event of events) printer(event);
    printer.end();
    return chunks;
  };

  it('redraws one bar line in place on a terminal and clears it before the next plain line', () => {
    expect(printed(true, [phase, progress, later, phase])).toEqual([
      'dstest: migrating\n',
      renderProgressBar(progress),
      '\r\x1b[2K',
      renderProgressBar(later),
      '\r\x1b[2K',
      'dstest: migrating\n',
    ]);
  });

  it('leaves no half-drawn bar behind when the run ends during the copy', () => {
    expect(printed(true, [progress]).at(-1)).toBe('\r\x1b[2K');
  });

  it('prints every event, progress included, as its own line when not on a terminal', () => {
    const chunks = printed(false, [phase, progress, later]);
    expect(chunks).toEqual([
      'dstest: migrating\n',
      `${formatProgressEvent(progress)}\n`,
      `${formatProgressEvent(later)}\n`,
    ]);
    expect(chunks.join('')).not.toMatch(/\r|\x1b|\[#/);
  });
});
