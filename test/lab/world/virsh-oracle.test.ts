import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSystemBinary } from '../../support/system.js';
import { worldFixture } from './world-fixture.js';

const VIRSH = '/usr/bin/virsh';

describe.skipIf(!hasSystemBinary(VIRSH))('the lab against real virsh (test:///default, offline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'livemig-world-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Real virsh's answer for the same input file. */
  function realVirsh(args: string[], input: string): string {
    const file = join(dir, 'cpus.xml');
    writeFileSync(file, input);
    return execFileSync(VIRSH, ['-c', 'test:///default', ...args, file], { encoding: 'utf8' }).replaceAll(
      file,
      '/dev/stdin',
    );
  }

  const cases: [string, string[]][] = [
    ['the seed pair', ['node05', 'node10']],
    [
      'every seed hypervisor',
      ['node01', 'node02', 'node03', 'node04', 'node05', 'node06', 'node07', 'node08', 'node09', 'node10'],
    ],
  ];
  for (const [name, hosts] of cases) {
    for (const flags of [[], ['--features']]) {
      it(`${['cpu-baseline', ...flags].join(' ')} of ${name} is byte for byte what libvirt prints`, async () => {
        const lab = worldFixture('icehouse-patched');
        let input = '';
        for (const host of hosts)
          input += /<cpu>[\s\S]*?<\/cpu>/.exec(await lab.out(host, ['virsh', 'capabilities']))![0];
        const ours = await lab.out('node01', ['virsh', 'cpu-baseline', ...flags, '/dev/stdin'], {
          stdin: input,
        });
        expect(ours).toBe(realVirsh(['cpu-baseline', ...flags], input));
      });
    }
  }

  // libvirt refuses to baseline CPUs of two vendors, so a generated fleet is compared per vendor.
  it.each(['Intel', 'AMD'])(
    'cpu-baseline of the %s hosts of a generated fleet matches libvirt',
    async (vendor) => {
      const lab = worldFixture('kilo-or-later', { hosts: 40, seed: 7 });
      let input = '';
      for (const host of lab.world.hosts.slice(1)) {
        const capabilities = await lab.out(host.name, ['virsh', 'capabilities']);
        if (capabilities.includes(`<vendor>${vendor}</vendor>`))
          input += /<cpu>[\s\S]*?<\/cpu>/.exec(capabilities)![0];
      }
      expect(input.match(/<cpu>/g)?.length).toBeGreaterThan(2);
      for (const flags of [[], ['--features']]) {
        const ours = await lab.out('node01', ['virsh', 'cpu-baseline', ...flags, '/dev/stdin'], {
          stdin: input,
        });
        expect(ours).toBe(realVirsh(['cpu-baseline', ...flags], input));
      }
    },
  );
});
