import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { baselineCpus, capabilitiesCpuXml, formatBaselineXml, hostCpuCatalog } from '../../src/cpu/index.js';
import { LivemigError } from '../../src/errors.js';
import { livemigErrorOf } from '../support/livemig-error.js';
import { hasSystemBinary } from '../support/system.js';
import { type BaselineCase, caseFileXml, generateBaselineCases } from './support/baseline-cases.js';
import { runVirshBaselines } from './support/virsh.js';

const caseCount = 520;

describe.skipIf(!hasSystemBinary('/usr/bin/virsh'))('baselineCpus against real virsh cpu-baseline', () => {
  let dir: string;
  let cases: BaselineCase[];
  let virshOutputs: string[];
  let virshMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'livemig-cpu-'));
    cases = generateBaselineCases(caseCount);
    const commands = cases.map((c) => {
      const file = join(dir, `case-${c.id}.xml`);
      writeFileSync(file, caseFileXml(c));
      return { file, features: c.expand };
    });
    const started = performance.now();
    virshOutputs = await runVirshBaselines(commands);
    virshMs = performance.now() - started;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`prints byte for byte what virsh prints for ${caseCount} random same-vendor host sets`, () => {
    const sameVendor = cases.filter((c) => !c.mixedVendors);
    expect(sameVendor.length).toBeGreaterThanOrEqual(500);
    expect(sameVendor.filter((c) => c.expand).length).toBeGreaterThanOrEqual(100);
    expect(
      sameVendor.filter((c) => c.cpus.some((cpu) => cpu.vendor === undefined)).length,
    ).toBeGreaterThanOrEqual(20);
    const mismatches = sameVendor
      .map((c) => ({
        id: c.id,
        models: c.cpus.map((cpu) => cpu.model),
        expand: c.expand,
        virsh: virshOutputs[c.id]!,
        ours: `${formatBaselineXml(baselineCpus(c.cpus, { features: c.expand }))}\n`,
      }))
      .filter((m) => m.virsh !== m.ours);
    expect(mismatches).toEqual([]);
    // 500+ baselines through batched virsh stay well under a minute.
    expect(virshMs).toBeLessThan(30_000);
  });

  it('livemig cpu baseline [--features] prints what virsh prints from the very same files', async () => {
    const mismatches: { id: number; virsh: string; cli: string }[] = [];
    for (const c of cases.filter((c) => !c.mixedVendors)) {
      const out: string[] = [];
      const file = join(dir, `case-${c.id}.xml`);
      const argv = ['cpu', 'baseline', file, ...(c.expand ? ['--features'] : [])];
      const code = await main(argv, { stdout: (t) => out.push(t), stderr: () => {}, env: {}, isTty: false });
      const cli = out.join('');
      if (code !== 0 || cli !== virshOutputs[c.id])
        mismatches.push({ id: c.id, virsh: virshOutputs[c.id]!, cli });
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses every mixed-vendor set that virsh refuses', () => {
    const mixed = cases.filter((c) => c.mixedVendors);
    expect(mixed.length).toBeGreaterThanOrEqual(10);
    for (const c of mixed) {
      expect(virshOutputs[c.id]!.trim()).toBe('');
      expect(() => baselineCpus(c.cpus)).toThrow(LivemigError);
      expect(livemigErrorOf(() => baselineCpus(c.cpus)).message).toMatch(/^CPU vendors do not match: /);
    }
  });

  it("computes Westmere for the seed's E5-2670 + X5650 capabilities, as virsh does", async () => {
    const seed = [hostCpuCatalog['Intel Xeon E5-2670']!, hostCpuCatalog['Intel Xeon X5650']!];
    const file = join(dir, 'all-cpus.xml');
    writeFileSync(file, seed.map((cpu) => capabilitiesDocument(cpu)).join('\n'));
    const [virsh] = await runVirshBaselines([{ file, features: false }]);
    expect(baselineCpus(seed).model).toBe('Westmere');
    expect(virsh).toContain("<model fallback='allow'>Westmere</model>");

    const out: string[] = [];
    const code = await main(['cpu', 'baseline', file], {
      stdout: (t) => out.push(t),
      stderr: () => {},
      env: {},
      isTty: false,
    });
    expect(code).toBe(0);
    expect(out.join('')).toBe(virsh);
  });

  it('names each catalog CPU as its own baseline does (a single host keeps its model and extras)', async () => {
    const entries = Object.entries(hostCpuCatalog);
    const commands = entries.map(([name, cpu], i) => {
      const file = join(dir, `catalog-${i}.xml`);
      writeFileSync(file, capabilitiesCpuXml(cpu));
      return { file, features: false, name };
    });
    const outputs = await runVirshBaselines(commands);
    entries.forEach(([name, cpu], i) => {
      const virsh = outputs[i]!;
      expect(virsh, name).toContain(`<model fallback='forbid'>${cpu.model}</model>`);
      expect(`${formatBaselineXml(baselineCpus([cpu]))}\n`, name).toBe(virsh);
    });
  });
});

function capabilitiesDocument(cpu: Parameters<typeof capabilitiesCpuXml>[0]): string {
  return `<capabilities>\n\n  <host>\n    <uuid>00000000-0000-0000-0000-000000000000</uuid>\n${capabilitiesCpuXml(cpu, { indent: 4 })}    <power_management/>\n  </host>\n\n</capabilities>\n`;
}
