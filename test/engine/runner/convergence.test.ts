import { describe, expect, it } from 'vitest';
import {
  type CopyTrend,
  nonConvergence,
  observedDirtyRate,
  trackCopy,
} from '../../../src/engine/runner/convergence.js';
import type { ProgressSnapshot } from '../../../src/store/types.js';

const MiB = 1024 ** 2;

function sample(
  atSec: number,
  processedMiB: number,
  remainingMiB: number,
  extra: Partial<ProgressSnapshot> = {},
) {
  return {
    at: atSec * 1000,
    memoryProcessedBytes: processedMiB * MiB,
    memoryRemainingBytes: remainingMiB * MiB,
    memoryTotalBytes: 4096 * MiB,
    bandwidthBytesPerSec: 0,
    dirtyRateBytesPerSec: 0,
    iteration: 0,
    expectedDowntimeMs: 0,
    etaMs: null,
    guestPaused: false,
    ...extra,
  } satisfies ProgressSnapshot;
}

function trendOf(samples: ProgressSnapshot[]): CopyTrend {
  let trend: CopyTrend | null = null;
  for (const s of samples) trend = trackCopy(trend, s);
  return trend!;
}

describe('the dirty rate a copy shows', () => {
  it('is libvirt’s own number when domjobinfo reports one (libvirt 1.3.1 and later)', () => {
    const latest = sample(10, 1000, 3000, { dirtyRateBytesPerSec: 40 * MiB, iteration: 1 });
    const trend = trendOf([sample(0, 0, 4096), latest]);
    expect(observedDirtyRate(trend, latest, null)).toEqual({
      bytesPerSec: 40 * MiB,
      at: 10_000,
      source: 'libvirt',
    });
  });

  it('is derived from memory sent and remaining between iteration starts otherwise', () => {
    // 100 MiB/s copied; the second round starts at 40 s with 400 MiB dirtied in those 40 s.
    const samples = [
      sample(0, 0, 4096),
      sample(20, 2000, 2096),
      sample(40, 4096, 400, { iteration: 1 }),
      sample(45, 4596, 0, { iteration: 1 }),
    ];
    const rate = observedDirtyRate(trendOf(samples), samples.at(-1)!, null);
    expect(rate?.source).toBe('copy');
    expect(rate!.bytesPerSec / MiB).toBeCloseTo(10, 5);
  });

  it('has no number from a window too short to mean anything', () => {
    const samples = [sample(0, 0, 4096), sample(10, 1000, 3096)];
    expect(observedDirtyRate(trendOf(samples), samples.at(-1)!, null)).toBeNull();
  });

  it('is at least the copy’s own speed when the copy did not converge', () => {
    // Counters that undercount (pages dirtied again while waiting) would claim 20 MiB/s.
    const samples = [sample(0, 0, 4096), sample(300, 30_000, 2096), sample(600, 60_000, 2096)];
    const trend = trendOf(samples);
    const stalled = nonConvergence(trend, 600_000) ?? 'stalled';
    const rate = observedDirtyRate(trend, samples.at(-1)!, stalled)!;
    expect(rate.bytesPerSec / MiB).toBeCloseTo(100, 5);
    expect(rate.didNotConverge).toBe(stalled);
  });
});
