import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultCpuMapDir,
  defaultOutputPath,
  generateCpuMap,
  readLibvirtVersion,
} from '../../scripts/gen-cpu-map.js';
import { cpuMap } from '../../src/cpu/index.js';
import { hasSystemBinary } from '../support/system.js';

const haveCpuMap = existsSync(defaultCpuMapDir) && hasSystemBinary('/usr/bin/virsh');

describe.skipIf(!haveCpuMap)('the committed cpu map', () => {
  it("is exactly what the generator makes from this machine's libvirt cpu_map", () => {
    const generated = generateCpuMap(defaultCpuMapDir, readLibvirtVersion());
    const committed = JSON.parse(readFileSync(defaultOutputPath, 'utf8'));
    expect(generated).toEqual(committed);
  });
});

describe('the cpu map livemig ships', () => {
  it('comes from libvirt 9.0.0 and knows the seed models with their signatures', () => {
    const map = cpuMap();
    expect(map.source.libvirtVersion).toBe('9.0.0');
    const westmere = map.modelsByName.get('Westmere');
    expect(westmere?.vendor).toBe('Intel');
    expect(westmere?.signatures.map((s) => [s.family, s.model])).toContainEqual([6, 44]);
    expect(map.modelsByName.get('SandyBridge')?.featureNames).toContain('avx');
    expect(map.modelsByName.get('EPYC-IBPB')?.removedFeatures).toEqual(['monitor']);
    expect(map.featuresByName.get('invtsc')?.migratable).toBe(false);
    expect(map.aliases.sse4_1).toBe('sse4.1');
  });
});
