import { describe, expect, it } from 'vitest';
import { worldFixture } from './world-fixture.js';

describe('instance directories', () => {
  it('every VM has its instance dir on its host, owned by nova', async () => {
    const lab = worldFixture('icehouse-patched');
    const uuid = await lab.uuidOf('dstest');
    expect(await lab.out('node05', ['ls', '-ld', `/var/lib/nova/instances/${uuid}`])).toMatch(
      new RegExp(`^drwxr-xr-x 2 nova nova 4096 Oct {2}\\d \\d\\d:\\d\\d /var/lib/nova/instances/${uuid}\\n$`),
    );
    expect((await lab.run('node10', ['test', '-d', `/var/lib/nova/instances/${uuid}`])).code).toBe(1);
    const neighbours = await Promise.all(['web04', 'app03', 'dns03'].map((name) => lab.uuidOf(name)));
    expect(await lab.out('node05', ['ls', '/var/lib/nova/instances'])).toBe(
      `${[uuid, ...neighbours, '_base', 'locks'].sort().join('\n')}\n`,
    );
  });

  it('mkdir makes root-owned dirs, chown hands them to nova, rm -rf removes them', async () => {
    const lab = worldFixture('icehouse-patched');
    const dir = '/var/lib/nova/instances/0b9a4c3e-1111-4222-8333-944455556666';
    expect(await lab.run('node10', ['mkdir', '-p', dir])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await lab.out('node10', ['ls', '-ld', dir])).toBe(
      `drwxr-xr-x 2 root root 4096 Jan  1 00:00 ${dir}\n`,
    );
    await lab.out('node10', ['chown', 'nova:nova', dir]);
    expect(await lab.out('node10', ['ls', '-ld', dir])).toBe(
      `drwxr-xr-x 2 nova nova 4096 Jan  1 00:00 ${dir}\n`,
    );
    expect((await lab.run('node10', ['mkdir', dir])).stderr).toBe(
      `mkdir: cannot create directory '${dir}': File exists\n`,
    );
    await lab.out('node10', ['rm', '-rf', dir]);
    expect(await lab.run('node10', ['ls', '-ld', dir])).toEqual({
      stdout: '',
      stderr: `ls: cannot access '${dir}': No such file or directory\n`,
      code: 2,
    });
    expect((await lab.run('node10', ['rm', '-rf', dir])).code).toBe(0);
  });

  it('refuses paths outside /var/lib/nova/instances like a locked-down host', async () => {
    const lab = worldFixture('icehouse-patched');
    expect(await lab.run('node01', ['mkdir', '-p', '/etc/evil'])).toEqual({
      stdout: '',
      stderr: "mkdir: cannot create directory '/etc/evil': Permission denied\n",
      code: 1,
    });
    expect((await lab.run('node01', ['rm', '-rf', '/'])).stderr).toBe(
      "rm: cannot remove '/': Permission denied\n",
    );
    expect((await lab.run('node01', ['rm', '-rf', '/var/lib/nova/instances/../../..'])).code).toBe(1);
    expect((await lab.run('node01', ['chown', 'nova:nova', '/etc'])).stderr).toBe(
      "chown: changing ownership of '/etc': Operation not permitted\n",
    );
    expect((await lab.run('node01', ['ls', '-ld', '/root'])).stderr).toBe(
      "ls: cannot access '/root': Permission denied\n",
    );
    expect((await lab.run('node01', ['rm', '-rf', '/var/lib/nova/instances'])).stderr).toBe(
      "rm: cannot remove '/var/lib/nova/instances': Device or resource busy\n",
    );
    expect((await lab.run('node01', ['cat', '/etc/shadow'])).code).toBe(1);
  });

  it('without sudo the nova dirs, nova.conf and the log are off limits', async () => {
    const lab = worldFixture('icehouse-patched');
    const dir = '/var/lib/nova/instances/0b9a4c3e-1111-4222-8333-944455556666';
    expect((await lab.run('node01', ['mkdir', '-p', dir], { sudo: false })).stderr).toContain(
      'Permission denied',
    );
    expect((await lab.run('node01', ['cat', '/etc/nova/nova.conf'], { sudo: false })).stderr).toBe(
      'cat: /etc/nova/nova.conf: Permission denied\n',
    );
    expect(
      (await lab.run('node01', ['tail', '-n', '5', '/var/log/nova/nova-compute.log'], { sudo: false })).code,
    ).toBe(1);
  });

  it('tail returns the last N lines of nova-compute.log', async () => {
    const lab = worldFixture('kilo-or-later');
    expect(await lab.out('node03', ['tail', '-n', '5', '/var/log/nova/nova-compute.log'])).toBe('');
    await lab.out('control01', ['nova', 'live-migration', 'db01', 'node04']);
    lab.advance(400);
    const two = await lab.out('node03', ['tail', '-n', '2', '/var/log/nova/nova-compute.log']);
    expect(two.trimEnd().split('\n')).toHaveLength(2);
    expect(two).toMatch(/^2026-01-01 00:0\d:\d\d\.\d{3} \d+ INFO nova\.virt\.libvirt\.driver \[req-/);
  });
});
