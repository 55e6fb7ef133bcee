import { describe, expect, it } from 'vitest';
import {
  baselineCpus,
  expandBaseline,
  formatBaselineXml,
  type HostCpu,
  hostCpuCatalog,
} from '../../src/cpu/index.js';
import { livemigErrorOf } from '../support/livemig-error.js';

const e52670 = hostCpuCatalog['Intel Xeon E5-2670']!;
const x5650 = hostCpuCatalog['Intel Xeon X5650']!;
const epyc7742 = hostCpuCatalog['AMD EPYC 7742']!;

describe('baselineCpus', () => {
  it("gives Westmere for the seed's SandyBridge + Westmere hosts, keeping their common extras", () => {
    const baseline = baselineCpus([e52670, x5650]);
    expect(baseline.model).toBe('Westmere');
    expect(baseline.vendor).toBe('Intel');
    expect(baseline.fallback).toBe('allow');
    expect(baseline.features.every((f) => f.policy === 'require')).toBe(true);
    expect(baseline.features.map((f) => f.name)).toContain('pdpe1gb');
    expect(formatBaselineXml(baseline)).toMatch(
      /^<cpu mode='custom' match='exact'>\n {2}<model fallback='allow'>Westmere<\/model>\n {2}<vendor>Intel<\/vendor>\n {2}<feature policy='require' name='vme'\/>\n/,
    );
  });

  it('keeps a single host as it is, with fallback forbid', () => {
    const baseline = baselineCpus([e52670]);
    expect(baseline).toMatchObject({ model: 'SandyBridge', fallback: 'forbid' });
    expect(baseline.features.map((f) => f.name)).toEqual(e52670.features);
  });

  it('lists every model feature sorted with --features', () => {
    const expanded = baselineCpus([e52670, x5650], { features: true });
    const names = expanded.features.map((f) => f.name);
    expect(names).toContain('sse4.2');
    expect(names).toEqual([...names].sort());
    expect(expandBaseline(baselineCpus([e52670, x5650]))).toEqual(expanded);
  });

  it('drops non-migratable features such as invtsc with --migratable', () => {
    expect(baselineCpus([e52670, x5650]).features.map((f) => f.name)).toContain('invtsc');
    expect(baselineCpus([e52670, x5650], { migratable: true }).features.map((f) => f.name)).not.toContain(
      'invtsc',
    );
  });

  it('omits the vendor when any host CPU omits it, as libvirt does', () => {
    const { vendor: _vendor, ...noVendor } = x5650;
    expect(baselineCpus([e52670, noVendor]).vendor).toBeUndefined();
  });

  it('refuses Intel and AMD hosts together, naming the hosts and vendors', () => {
    const error = livemigErrorOf(() =>
      baselineCpus([e52670, x5650, epyc7742], {}, ['node05', 'node10', 'amd01']),
    );
    expect(error.code).toBe('cpu_incompatible_set');
    expect(error.message).toBe(
      'CPU vendors do not match: node05 is Intel, amd01 is AMD; no CPU model can run on both',
    );
  });

  it('refuses other architectures and mixed architectures', () => {
    const arm: HostCpu = { arch: 'aarch64', model: 'cortex-a72', features: [] };
    expect(livemigErrorOf(() => baselineCpus([e52670, arm], {}, ['node05', 'arm01'])).message).toBe(
      'arm01 has architecture aarch64; livemig computes baselines of x86 CPUs only',
    );
    expect(livemigErrorOf(() => baselineCpus([e52670, { ...x5650, arch: 'i686' }])).code).toBe(
      'cpu_incompatible_set',
    );
  });

  it('rejects unknown models and features like libvirt, and an empty host list', () => {
    expect(
      livemigErrorOf(() => baselineCpus([{ ...x5650, model: 'Westmere-NG' }], {}, ['node10'])).message,
    ).toBe("node10: unknown CPU model 'Westmere-NG' (not in libvirt 9.0.0's x86 cpu_map)");
    expect(livemigErrorOf(() => baselineCpus([{ ...x5650, features: ['sse3'] }])).code).toBe('parse_failed');
    expect(livemigErrorOf(() => baselineCpus([])).code).toBe('usage');
  });
});
