import { describe, expect, it } from 'vitest';
import { parseDurationMs } from '../../src/util/parse-duration.js';

describe('parseDurationMs', () => {
  it('reads durations as people type them', () => {
    expect(parseDurationMs('45s')).toBe(45_000);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('2min')).toBe(120_000);
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('1.5s')).toBe(1_500);
  });

  it('refuses bare numbers, zero and garbage', () => {
    for (const text of ['60', '0s', 'soon', '-5s', '5x', '', 's']) expect(parseDurationMs(text)).toBeNull();
  });
});
