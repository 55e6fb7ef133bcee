import { describe, expect, it } from 'vitest';
import { type HostProbe, slowHosts } from '../../../src/engine/fleet/probe-hosts.js';

const answered = (host: string, elapsedMs: number): HostProbe<string> => ({
  host,
  ok: true,
  value: host,
  elapsedMs,
});

describe('slow hosts', () => {
  it('names a host far slower than the median one', () => {
    const probes = [
      answered('node01', 200),
      answered('node02', 250),
      answered('node03', 9_000),
      answered('node04', 300),
    ];
    expect(slowHosts(probes)).toEqual([{ host: 'node03', elapsedMs: 9_000, medianMs: 250 }]);
  });

  it('names nobody when every host is slow alike (a busy client, not a slow host)', () => {
    const probes = ['node01', 'node02', 'node03'].map((host, i) => answered(host, 4_000 + i * 500));
    expect(slowHosts(probes)).toEqual([]);
  });

  it('names nobody for a fast fleet with ordinary spread, and leaves failed hosts to "unreachable"', () => {
    const probes: HostProbe<string>[] = [
      answered('node01', 20),
      answered('node02', 150),
      { host: 'node03', ok: false, error: 'timed out', elapsedMs: 60_000 },
    ];
    expect(slowHosts(probes)).toEqual([]);
  });
});
