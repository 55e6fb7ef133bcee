import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesCpuXml, hostCpuCatalog } from '../../../src/cpu/index.js';
import { type CliRun, runCli } from '../../support/run-cli.js';

const node05 = hostCpuCatalog['Intel Xeon E5-2670']!;
const node10 = hostCpuCatalog['Intel Xeon X5650']!;
let dir: string;

function run(...argv: string[]): Promise<CliRun> {
  return runCli(argv);
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function capabilities(cpu: typeof node05): string {
  return `<capabilities>\n  <host>\n${capabilitiesCpuXml(cpu, { indent: 4 })}  </host>\n</capabilities>\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'livemig-cli-cpu-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('livemig cpu baseline', () => {
  it('prints the baseline of every host as libvirt XML', async () => {
    const all = file('all-cpus.xml', capabilitiesCpuXml(node05) + capabilitiesCpuXml(node10));
    const { code, stdout } = await run('cpu', 'baseline', all);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^<cpu mode='custom' match='exact'>\n {2}<model fallback='allow'>Westmere<\/model>\n/,
    );
    expect(stdout.endsWith('</cpu>\n\n')).toBe(true);
  });

  it('takes several files and lists model features with --features', async () => {
    const { code, stdout } = await run(
      'cpu',
      'baseline',
      file('node05.xml', capabilities(node05)),
      file('node10.xml', capabilities(node10)),
      '--features',
    );
    expect(code).toBe(0);
    expect(stdout).toContain("  <feature policy='require' name='sse4.2'/>\n");
  });

  it('prints the result value with --json', async () => {
    const { code, stdout } = await run(
      '--json',
      'cpu',
      'baseline',
      file('one.xml', capabilitiesCpuXml(node10)),
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      kind: 'cpu-baseline',
      hostCount: 1,
      baseline: { model: 'Westmere', fallback: 'forbid' },
    });
  });

  it('exits 2 with a clear message for mixed vendors, bad XML or a missing file', async () => {
    const mixed = await run(
      'cpu',
      'baseline',
      file('mixed.xml', capabilitiesCpuXml(node10) + capabilitiesCpuXml(hostCpuCatalog['AMD EPYC 7742']!)),
    );
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('CPU vendors do not match');
    const bad = await run('cpu', 'baseline', file('bad.xml', '<cpu><model>Westmere</cpu>'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^livemig: .*bad\.xml is not well-formed XML/);
    const missing = await run('cpu', 'baseline', join(dir, 'nope.xml'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('nope.xml: ENOENT');
  });
});

describe('livemig cpu compare', () => {
  const dstest = `<domain type='kvm'><name>dstest</name><cpu mode='custom' match='exact' check='full'><model fallback='forbid'>SandyBridge</model><vendor>Intel</vendor></cpu></domain>`;

  it('refuses a SandyBridge guest on a Westmere host, listing what is missing, exit 1', async () => {
    const { code, stdout } = await run(
      'cpu',
      'compare',
      file('dstest.xml', dstest),
      file('node10.xml', capabilities(node10)),
    );
    expect(code).toBe(1);
    expect(stdout).toBe(
      "INCOMPATIBLE: node10 (Westmere) lacks avx, tsc-deadline, x2apic, xsave required by dstest's SandyBridge CPU\n" +
        'missing features: avx tsc-deadline x2apic xsave\n',
    );
  });

  it('accepts it on a SandyBridge host, exit 0, and prints the verdict with --json', async () => {
    const { code, stdout } = await run(
      '--json',
      'cpu',
      'compare',
      file('dstest.xml', dstest),
      file('node05.xml', capabilities(node05)),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: 'cpu-compare',
      guestName: 'dstest',
      hostName: 'node05',
      verdict: { compatible: true },
    });
  });

  it('exits 2 with a clear message for an unknown CPU model or unreadable XML', async () => {
    const unknown = await run(
      'cpu',
      'compare',
      file(
        'future.xml',
        "<domain><name>f</name><cpu mode='custom'><model>Pentium9000</model></cpu></domain>",
      ),
      file('node10.xml', capabilities(node10)),
    );
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain("unknown CPU model 'Pentium9000'");
    const bad = await run('cpu', 'compare', file('dstest.xml', dstest), file('broken.xml', '<capabilities>'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.xml is not well-formed XML/);
  });

  it('compares a persistent host-model guest as its boot host with --boot-host', async () => {
    const guest = file(
      'hm.xml',
      "<domain><name>web</name><cpu mode='host-model' check='partial'><model fallback='allow'/></cpu></domain>",
    );
    const { code, stdout } = await run(
      'cpu',
      'compare',
      guest,
      file('node10.xml', capabilities(node10)),
      '--boot-host',
      file('node05.xml', capabilities(node05)),
    );
    expect(code).toBe(1);
    expect(stdout).toContain('note: host-model guest compared as the CPU of node05 (SandyBridge)');
  });
});
