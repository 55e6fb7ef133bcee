import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictPrecopy } from '../../src/engine/precopy.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('predictPrecopy', () => {
  it('moves 8 GiB over 10 GbE with a 200 MB/s writer in ~9 s and a ~258 ms pause', () => {
    const prediction = predictPrecopy({
      memoryBytes: 8 * GiB,
      bandwidthBytesPerSec: 1.1e9,
      dirtyBytesPerSec: 200e6,
      maxDowntimeMs: 300,
    });
    expect(prediction.converges).toBe(true);
    expect(prediction.iterations).toBe(3);
    expect(prediction.totalMs! / 1000).toBeCloseTo(9.5, 0);
    expect(prediction.downtimeMs).toBeCloseTo(258, -1);
    expect(prediction.rho).toBeCloseTo(0.18, 2);
    expect(prediction.reason).toBe('converges after 3 rounds with a 258 ms pause');
  });

  it('never converges when the guest dirties 122 MiB/s against 102 MiB/s (rho 1.2)', () => {
    const prediction = predictPrecopy({
      memoryBytes: 32 * GiB,
      bandwidthBytesPerSec: 102 * MiB,
      dirtyBytesPerSec: 122 * MiB,
      maxDowntimeMs: 500,
      completionTimeoutSecPerGiB: 800,
    });
    expect(prediction.converges).toBe(false);
    expect(prediction.outcome).toBe('dirty-rate-too-high');
    expect(prediction.rho).toBeCloseTo(1.2, 1);
    expect(prediction.reason).toBe(
      'never converges: the guest dirties 122 MiB/s, the link moves 102 MiB/s (rho 1.20)',
    );
    // nova gives up after 800 s per GiB; forcing completion pauses the guest for all of RAM.
    expect(prediction.totalMs).toBe(32 * 800 * 1000);
    expect(prediction.downtimeMs / 1000).toBeCloseTo((32 * 1024) / 102, 0);
  });

  it('has no end at all without a completion timeout when it cannot converge', () => {
    const prediction = predictPrecopy({
      memoryBytes: 4 * GiB,
      bandwidthBytesPerSec: 117 * MiB,
      dirtyBytesPerSec: 200 * MiB,
      maxDowntimeMs: 500,
    });
    expect(prediction).toMatchObject({ converges: false, totalMs: null, dataSentBytes: null });
  });

  it('reports the completion timeout when a converging copy would outlast it', () => {
    // rho 0.99 on 1 GbE: it would converge, after ~560 rounds and almost four hours.
    const prediction = predictPrecopy({
      memoryBytes: 16 * GiB,
      bandwidthBytesPerSec: 117 * MiB,
      dirtyBytesPerSec: 0.99 * 117 * MiB,
      maxDowntimeMs: 500,
      completionTimeoutSecPerGiB: 800,
    });
    expect(prediction.outcome).toBe('completion-timeout');
    expect(prediction.reason).toMatch(/^does not converge before the completion timeout of 12800 s/);
  });

  it('converges slowly but surely at rho 0.9 where a small round cap would give up', () => {
    const prediction = predictPrecopy({
      memoryBytes: 8 * GiB,
      bandwidthBytesPerSec: 117 * MiB,
      dirtyBytesPerSec: 0.9 * 117 * MiB,
      maxDowntimeMs: 500,
      completionTimeoutSecPerGiB: 800,
    });
    expect(prediction.converges).toBe(true);
    expect(prediction.iterations).toBeGreaterThan(30);
    expect(prediction.downtimeMs).toBeLessThanOrEqual(500);
  });

  it('copies an idle guest over 1 GbE in M/R plus nothing', () => {
    const prediction = predictPrecopy({
      memoryBytes: 2 * GiB,
      bandwidthBytesPerSec: 117 * MiB,
      dirtyBytesPerSec: 0,
      maxDowntimeMs: 500,
    });
    expect(prediction.converges).toBe(true);
    expect(prediction.iterations).toBe(2);
    expect(prediction.downtimeMs).toBe(0);
    expect(prediction.totalMs! / 1000).toBeCloseTo(2048 / 117, 3);
    expect(prediction.dataSentBytes).toBe(2 * GiB);
  });

  describe('properties', () => {
    const scenario = fc.record({
      memoryMiB: fc.integer({ min: 256, max: 256 * 1024 }),
      bandwidthMiBps: fc.integer({ min: 10, max: 5000 }),
      dirtyPermille: fc.integer({ min: 0, max: 1500 }),
      maxDowntimeMs: fc.integer({ min: 50, max: 2000 }),
    });
    const inputOf = (s: {
      memoryMiB: number;
      bandwidthMiBps: number;
      dirtyPermille: number;
      maxDowntimeMs: number;
    }) => ({
      memoryBytes: s.memoryMiB * MiB,
      bandwidthBytesPerSec: s.bandwidthMiBps * MiB,
      dirtyBytesPerSec: (s.dirtyPermille / 1000) * s.bandwidthMiBps * MiB,
      maxDowntimeMs: s.maxDowntimeMs,
      completionTimeoutSecPerGiB: 800,
    });

    it('never predicts a shorter copy or pause for a guest that dirties memory faster', () => {
      fc.assert(
        fc.property(scenario, fc.integer({ min: 1, max: 500 }), (s, extraPermille) => {
          const slower = predictPrecopy(inputOf(s));
          const faster = predictPrecopy(inputOf({ ...s, dirtyPermille: s.dirtyPermille + extraPermille }));
          if (!slower.converges) expect(faster.converges).toBe(false);
          if (slower.converges && faster.converges) {
            expect(faster.totalMs!).toBeGreaterThanOrEqual(slower.totalMs! - 1e-6);
            expect(faster.dataSentBytes!).toBeGreaterThanOrEqual(slower.dataSentBytes! - 1);
          }
        }),
      );
    });

    it('converges in one round when all of RAM fits the downtime limit and rho < 1', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const input = inputOf({ ...s, dirtyPermille: s.dirtyPermille % 1000 });
          const memoryBytes = Math.floor((input.bandwidthBytesPerSec * input.maxDowntimeMs) / 1000);
          const prediction = predictPrecopy({ ...input, memoryBytes });
          expect(prediction).toMatchObject({ converges: true, iterations: 1 });
          expect(prediction.downtimeMs).toBeLessThanOrEqual(input.maxDowntimeMs);
        }),
      );
    });

    it('never converges at rho >= 1 unless all of RAM fits the pause', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const input = inputOf({ ...s, dirtyPermille: 1000 + (s.dirtyPermille % 500) });
          const prediction = predictPrecopy(input);
          const fitsPause = (input.memoryBytes / input.bandwidthBytesPerSec) * 1000 <= input.maxDowntimeMs;
          expect(prediction.converges).toBe(fitsPause);
        }),
      );
    });

    it('keeps every converging pause within the downtime limit', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const prediction = predictPrecopy(inputOf(s));
          if (prediction.converges) expect(prediction.downtimeMs).toBeLessThanOrEqual(s.maxDowntimeMs);
        }),
      );
    });
  });
});
