import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultCpuMapDir,
  defaultOutputPath,
  formatCpuMapJson,
  generateCpuMap,
  readLibvirtVersion,
} from '../../scripts/gen-cpu-map.js';
import type { CpuMapData } from '../../src/cpu/cpu-map-data.js';
import { cpuMap } from '../../src/cpu/index.js';
import { hasSystemBinary } from '../support/system.js';

const committedText = readFileSync(defaultOutputPath, 'utf8');
const committed = JSON.parse(committedText) as CpuMapData;

describe.skipIf(!existsSync(defaultCpuMapDir))("the committed cpu map against this machine's libvirt", () => {
  it('holds exactly the vendors, features and models the generator reads from the cpu_map files', () => {
    // The data part needs only the cpu_map files (package libvirt0), not virsh.
    const generated = generateCpuMap(defaultCpuMapDir, {
      libvirtVersion: committed.source.libvirtVersion,
      packageVersion: committed.source.packageVersion,
    });
    expect(formatCpuMapJson(generated)).toBe(committedText);
  });

  it.skipIf(!hasSystemBinary('/usr/bin/virsh'))(
    'is byte for byte what the generator writes, including the libvirt version it came from',
    () => {
      expect(formatCpuMapJson(generateCpuMap(defaultCpuMapDir, readLibvirtVersion()))).toBe(committedText);
    },
  );
});

describe('the cpu map livemig ships', () => {
  it('comes from libvirt 9.0.0 and knows the seed models with their signatures', () => {
    const map = cpuMap();
    expect(map.source.libvirtVersion).toBe('9.0.0');
    expect(committed.source.packageVersion).toMatch(/^libvirt-clients 9\.0\.0/);
    const westmere = map.modelsByName.get('Westmere');
    expect(westmere?.vendor).toBe('Intel');
    expect(westmere?.signatures.map((s) => [s.family, s.model])).toContainEqual([6, 44]);
    expect(map.modelsByName.get('SandyBridge')?.featureNames).toContain('avx');
    expect(map.modelsByName.get('EPYC-IBPB')?.removedFeatures).toEqual(['monitor']);
    expect(map.featuresByName.get('invtsc')?.migratable).toBe(false);
    expect(map.aliases.sse4_1).toBe('sse4.1');
  });
});
