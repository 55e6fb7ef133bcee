/**
 * CPU engine benchmarks: the baseline of a 1000-hypervisor fleet (catalog CPUs of one vendor with
 * varied extra features, as `livemig baseline` sees a real cluster), with and without
 * `--features`, and comparing one guest against every host. Median of several runs after a warm-up.
 */
import {
  baselineCpus,
  compareCpu,
  type HostCpu,
  hostCpuCatalog,
  parseGuestCpu,
} from '../../src/cpu/index.js';
import type { BenchRow } from './types.js';
import { percentile } from './types.js';

const runs = 15;

function fleet(size: number): HostCpu[] {
  const intel = Object.values(hostCpuCatalog).filter((cpu) => cpu.vendor === 'Intel');
  return Array.from({ length: size }, (_, i) => {
    const base = intel[i % intel.length]!;
    // Every 7th host misses one extra flag, as hosts with different BIOS settings do.
    return {
      ...base,
      features: base.features.filter((_, f) => i % 7 !== 0 || f !== i % base.features.length),
    };
  });
}

function medianMs(task: () => unknown): number {
  task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    task();
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

/** Runs the CPU benchmarks; see the file comment. */
export async function run(): Promise<BenchRow[]> {
  const hosts = fleet(1000);
  const baselineMs = medianMs(() => baselineCpus(hosts));
  const expandedMs = medianMs(() => baselineCpus(hosts, { features: true }));
  const guest = parseGuestCpu("<cpu mode='custom' match='exact'><model>SandyBridge</model></cpu>");
  const compareMs = medianMs(() => hosts.map((host) => compareCpu(guest, host)));
  return [
    {
      name: 'baseline of 1000 host CPUs (median)',
      value: round(baselineMs),
      unit: 'ms',
      target: '< 50 ms',
      ok: baselineMs < 50,
    },
    {
      name: 'baseline --features of 1000 host CPUs (median)',
      value: round(expandedMs),
      unit: 'ms',
      target: '< 50 ms',
      ok: expandedMs < 50,
    },
    { name: 'compare one guest with 1000 hosts (median)', value: round(compareMs), unit: 'ms' },
  ];
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
