import { describe, expect, it } from 'vitest';
import { worldFixture } from './world-fixture.js';

/** The `<cpu>` element of a capabilities document. */
function hostCpuElement(capabilities: string): string {
  return /<cpu>[\s\S]*?<\/cpu>/.exec(capabilities)![0];
}

describe('virsh cpu-baseline and cpu-compare', () => {
  it('baselines the seed hosts (SandyBridge + Westmere) to Westmere, as the runbook found', async () => {
    const lab = worldFixture('icehouse-patched');
    const cpus = [];
    for (const host of ['node01', 'node05', 'node06', 'node10']) {
      cpus.push(hostCpuElement(await lab.out(host, ['virsh', 'capabilities'])));
    }
    const text = await lab.out('node01', ['virsh', 'cpu-baseline', '/dev/stdin'], { stdin: cpus.join('\n') });
    expect(text).toMatch(
      /^<cpu mode='custom' match='exact'>\n {2}<model fallback='allow'>Westmere<\/model>\n {2}<vendor>Intel<\/vendor>\n/,
    );
    expect(text.endsWith('</cpu>\n\n')).toBe(true);
    const features = await lab.out('node01', ['virsh', 'cpu-baseline', '--features', '/dev/stdin'], {
      stdin: cpus.join('\n'),
    });
    expect(features).toContain("<feature policy='require' name='sse4.2'/>");
  });

  it('also accepts whole capabilities documents', async () => {
    const lab = worldFixture('icehouse-patched');
    const docs =
      (await lab.out('node02', ['virsh', 'capabilities'])) +
      (await lab.out('node07', ['virsh', 'capabilities']));
    expect(await lab.out('node02', ['virsh', 'cpu-baseline', '/dev/stdin'], { stdin: docs })).toContain(
      '>Westmere</model>',
    );
  });

  it('reports unreadable files and bad XML like virsh', async () => {
    const lab = worldFixture('icehouse-patched');
    const missing = await lab.run('node01', ['virsh', 'cpu-baseline', '/root/all-cpus.xml']);
    expect(missing).toEqual({
      stdout: '',
      stderr: "error: Failed to open file '/root/all-cpus.xml': No such file or directory\n",
      code: 1,
    });
    const bad = await lab.run('node01', ['virsh', 'cpu-baseline', '/dev/stdin'], { stdin: '<cpu><model>' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: /);
  });

  it("cpu-compare: dstest's live CPU is incompatible with node10, Westmere fits both", async () => {
    const lab = worldFixture('icehouse-patched');
    const instance = await lab.field('dstest', 'OS-EXT-SRV-ATTR:instance_name');
    const dstest = await lab.out('node05', ['virsh', 'dumpxml', instance]);
    const refused = await lab.run('node10', ['virsh', 'cpu-compare', '/dev/stdin'], { stdin: dstest });
    expect(refused).toEqual({
      stdout: 'CPU described in /dev/stdin is incompatible with host CPU\n\n',
      stderr: '',
      code: 1,
    });
    const westmere = "<cpu mode='custom' match='exact'><model>Westmere</model></cpu>";
    expect(await lab.out('node10', ['virsh', 'cpu-compare', '/dev/stdin'], { stdin: westmere })).toBe(
      'Host CPU is a superset of CPU described in /dev/stdin\n\n',
    );
    const own = hostCpuElement(await lab.out('node10', ['virsh', 'capabilities']));
    expect(await lab.out('node10', ['virsh', 'cpu-compare', '/dev/stdin'], { stdin: own })).toBe(
      'CPU described in /dev/stdin is identical to host CPU\n\n',
    );
  });

  it('needs root for the libvirt socket', async () => {
    const lab = worldFixture('icehouse-patched');
    const reply = await lab.run('node01', ['virsh', 'list'], { sudo: false });
    expect(reply.code).toBe(1);
    expect(reply.stderr).toContain('error: failed to connect to the hypervisor');
  });
});
