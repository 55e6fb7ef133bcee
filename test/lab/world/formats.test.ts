import { describe, expect, it } from 'vitest';
import { parseGuestCpu, parseHostCpu } from '../../../src/cpu/index.js';
import { formatPrettyTable } from '../../../src/lab/world/prettytable.js';
import { worldFixture } from './world-fixture.js';

describe('output formats', () => {
  it('prints tables in prettytable style: widths from content, +---+ borders, one space padding', () => {
    expect(
      formatPrettyTable(
        ['ID', 'Name'],
        [
          ['1', 'dstest'],
          ['22', 'db01'],
        ],
      ),
    ).toBe(
      '+----+--------+\n| ID | Name   |\n+----+--------+\n| 1  | dstest |\n| 22 | db01   |\n+----+--------+\n',
    );
    expect(formatPrettyTable(['ID', 'Name'], [])).toBe(
      '+----+------+\n| ID | Name |\n+----+------+\n+----+------+\n',
    );
  });

  it('nova list has the six columns and shows every seed VM', async () => {
    const lab = worldFixture('icehouse-patched');
    const text = await lab.out('control01', ['nova', 'list']);
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^\| ID +\| Name +\| Status +\| Task State \| Power State \| Networks +\|$/);
    const names = lines.slice(3, -1).map((line) => line.split('|')[2]!.trim());
    expect(names).toEqual(expect.arrayContaining(['dstest', 'db01', 'web01', 'build01', 'jump01']));
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(names.length).toBeLessThanOrEqual(25);
    const dstest = lines.find((line) => line.includes('| dstest '))!;
    expect(dstest).toMatch(
      /\| [0-9a-f-]{36} \| dstest +\| ACTIVE +\| - +\| Running +\| testnet=10\.0\.0\.\d+ +\|/,
    );
  });

  it('nova list --all-tenants adds the Tenant ID column on newer novaclients only', async () => {
    const modern = await worldFixture('kilo-or-later').out('control01', ['nova', 'list', '--all-tenants']);
    expect(modern.split('\n')[1]).toMatch(
      /^\| ID +\| Name +\| Tenant ID +\| Status +\| Task State \| Power State \| Networks +\|$/,
    );
    const old = await worldFixture('icehouse').out('control01', ['nova', 'list', '--all-tenants']);
    expect(old.split('\n')[1]).toMatch(/^\| ID +\| Name +\| Status +\|/);
  });

  it('nova show finds a server by name or uuid and names its host and instance', async () => {
    const lab = worldFixture('icehouse-patched');
    const uuid = await lab.uuidOf('dstest');
    expect(await lab.field(uuid, 'name')).toBe('dstest');
    expect(await lab.field('dstest', 'OS-EXT-SRV-ATTR:host')).toBe('node05');
    expect(await lab.field('dstest', 'OS-EXT-SRV-ATTR:instance_name')).toMatch(
      /^instance-000000[0-9a-f]{2}$/,
    );
    const text = await lab.out('control01', ['nova', 'show', 'dstest']);
    expect(text.split('\n')[1]).toMatch(/^\| Property +\| Value +\|$/);
  });

  it("answers nova's own errors for ambiguous and unknown names", async () => {
    const lab = worldFixture('icehouse-patched');
    const ambiguous = await lab.run('control01', ['nova', 'show', 'scratch']);
    expect(ambiguous).toEqual({
      stdout: '',
      stderr:
        "ERROR (CommandError): Multiple server matches found for 'scratch', use an ID to be more specific.\n",
      code: 1,
    });
    const missing = await lab.run('control01', ['nova', 'show', 'nope']);
    expect(missing.stderr).toBe("ERROR (CommandError): No server with a name or ID of 'nope' exists.\n");
    expect(missing.code).toBe(1);
  });

  it('virsh list --all prints the libvirt table with a trailing blank line', async () => {
    const lab = worldFixture('icehouse-patched');
    const text = await lab.out('node09', ['virsh', 'list', '--all']);
    const lines = text.split('\n');
    expect(lines[0]).toBe(' Id    Name                           State');
    expect(lines[1]).toBe('-'.repeat(52));
    expect(lines.filter((line) => / running$/.test(line)).length).toBe(2);
    expect(lines.some((line) => /^ - {5}instance-[0-9a-f]{8} +shut off$/.test(line))).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
  });

  it('virsh domjobinfo without a job and domstate use virsh layouts', async () => {
    const lab = worldFixture('juno');
    const instance = await lab.field('dstest', 'OS-EXT-SRV-ATTR:instance_name');
    expect(await lab.out('node05', ['virsh', 'domjobinfo', instance])).toBe(
      'Job type:         None        \n',
    );
    expect(await lab.out('node05', ['virsh', 'domstate', instance])).toBe('running\n\n');
    const missing = await lab.run('node05', ['virsh', 'domstate', 'instance-ffffffff']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: failed to get domain 'instance-ffffffff'");
  });

  it('virsh capabilities holds the host uuid, the catalog CPU and migration features', async () => {
    const lab = worldFixture('icehouse-patched');
    const text = await lab.out('node05', ['virsh', 'capabilities']);
    expect(text).toMatch(/^<capabilities>\n\n {2}<host>\n {4}<uuid>[0-9a-f-]{36}<\/uuid>\n {4}<cpu>\n/);
    expect(text).toContain('<migration_features>\n      <live/>');
    expect(text).toContain('<power_management>');
    expect(text).toContain("<cells num='2'>");
    const cpu = parseHostCpu(text);
    expect(cpu.model).toBe('SandyBridge');
    expect(cpu.signature).toEqual({ family: 6, model: 45, stepping: 7 });
    expect(parseHostCpu(await lab.out('node10', ['virsh', 'capabilities'])).model).toBe('Westmere');
  });

  it('dumpxml shows the expanded live CPU of dstest and the host-model persistent one', async () => {
    const lab = worldFixture('icehouse-patched');
    const instance = await lab.field('dstest', 'OS-EXT-SRV-ATTR:instance_name');
    const live = await lab.out('node05', ['virsh', 'dumpxml', instance]);
    expect(live).toContain(
      "<cpu mode='custom' match='exact' check='full'>\n    <model fallback='forbid'>SandyBridge</model>",
    );
    expect(parseGuestCpu(live).model).toBe('SandyBridge');
    const inactive = await lab.out('node05', ['virsh', 'dumpxml', '--inactive', instance]);
    expect(inactive).toContain(
      "<cpu mode='host-model' check='partial'>\n    <model fallback='allow'/>\n  </cpu>",
    );
    expect(live).toMatch(
      /<disk type='network' device='disk'>[\s\S]*<source protocol='rbd' name='volumes\/volume-[0-9a-f-]{36}'>/,
    );
  });

  it('dumpxml shows local and config-drive disks under the instance dir', async () => {
    const lab = worldFixture('juno');
    const build = await lab.uuidOf('build01');
    const buildXml = await lab.out('node02', [
      'virsh',
      'dumpxml',
      await lab.field('build01', 'OS-EXT-SRV-ATTR:instance_name'),
    ]);
    expect(buildXml).toContain(`<disk type='file' device='disk'>`);
    expect(buildXml).toContain(`<source file='/var/lib/nova/instances/${build}/disk'/>`);
    const jump = await lab.uuidOf('jump01');
    const jumpXml = await lab.out('node06', [
      'virsh',
      'dumpxml',
      await lab.field('jump01', 'OS-EXT-SRV-ATTR:instance_name'),
    ]);
    expect(jumpXml).toContain(`<source file='/var/lib/nova/instances/${jump}/disk.config'/>`);
    // Juno writes the guest topology next to the custom model.
    expect(jumpXml).toMatch(
      /<model fallback='forbid'>Westmere<\/model>\n {4}<topology sockets='1' cores='1' threads='1'\/>/,
    );
  });

  it('/proc/cpuinfo describes every logical CPU of the host', async () => {
    const lab = worldFixture('icehouse-patched');
    const sandy = await lab.out('node05', ['cat', '/proc/cpuinfo']);
    expect(sandy.match(/^processor\t: /gm)?.length).toBe(32);
    expect(sandy).toContain('model name\t: Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz');
    expect(sandy).toContain('cpu family\t: 6\nmodel\t\t: 45\n');
    expect(sandy).toContain('stepping\t: 7');
    expect(sandy).toContain('cpuid level\t: 13');
    expect(sandy).toMatch(/^flags\t\t: .* avx .*$/m);
    const westmere = await lab.out('node10', ['cat', '/proc/cpuinfo']);
    expect(westmere).toContain('X5650');
    expect(westmere).toContain('cpuid level\t: 11');
    expect(westmere).not.toMatch(/^flags\t\t: .* avx .*$/m);
    expect(westmere.match(/^processor\t: /gm)?.length).toBe(24);
  });

  it('nova.conf carries the Westmere baseline and the release live_migration_flag', async () => {
    const icehouse = await worldFixture('icehouse').out('node01', ['cat', '/etc/nova/nova.conf']);
    expect(icehouse).toContain('[libvirt]\nvirt_type = kvm\ncpu_mode = custom\ncpu_model = Westmere\n');
    expect(icehouse).toContain('live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER\n');
    const juno = await worldFixture('juno').out('node01', ['cat', '/etc/nova/nova.conf']);
    expect(juno).toContain(
      'live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE\n',
    );
  });

  it('service-list and hypervisor-show report state, status, capacity and cpu_info', async () => {
    const lab = worldFixture('icehouse-patched');
    const services = await lab.out('control01', ['nova', 'service-list']);
    expect(services.split('\n')[1]).toMatch(
      /^\| Binary +\| Host +\| Zone +\| Status +\| State +\| Updated_at +\| Disabled Reason \|$/,
    );
    expect(services).toMatch(
      /\| nova-compute +\| node10 +\| nova +\| enabled +\| up +\| 2025-12-31T23:59:56\.000000 +\| - +\|/,
    );
    const show = await lab.out('control01', ['nova', 'hypervisor-show', 'node05']);
    const row = (name: string): string =>
      show
        .split('\n')
        .find((line) => line.startsWith(`| ${name} `))!
        .split('|')[2]!
        .trim();
    const cpuInfo = JSON.parse(row('cpu_info')) as {
      model: string;
      vendor: string;
      topology: { sockets: number };
    };
    expect(cpuInfo.model).toBe('SandyBridge');
    expect(cpuInfo.topology.sockets).toBe(2);
    expect(row('memory_mb')).toBe('131072');
    expect(row('vcpus')).toBe('32');
    expect(row('state')).toBe('up');
    expect(row('status')).toBe('enabled');
    expect(Number(row('free_ram_mb'))).toBeLessThan(131072);
    // dstest, web04, app03 and dns03.
    expect(row('running_vms')).toBe('4');
  });

  it('hypervisor-list and an empty migration-list are prettytables', async () => {
    const lab = worldFixture('icehouse-patched');
    const hypervisors = await lab.out('control01', ['nova', 'hypervisor-list']);
    expect(hypervisors.split('\n').slice(0, 4)).toEqual([
      '+----+---------------------+',
      '| ID | Hypervisor hostname |',
      '+----+---------------------+',
      '| 1  | node01.example.com  |',
    ]);
    const modern = await worldFixture('kilo-or-later').out('control01', ['nova', 'hypervisor-list']);
    expect(modern.split('\n')[3]).toBe('| 1  | node01.example.com  | up    | enabled |');
    const migrations = await lab.out('control01', ['nova', 'migration-list']);
    const lines = migrations.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^\| Id \| Source Node \| Dest Node \| Source Compute \| Dest Compute \| Dest Host \| Status \|/,
    );
    expect(lines[3]).toBe(lines[0]);
  });

  it('answers the probes every host has: true, hostname, echo', async () => {
    const lab = worldFixture('icehouse-patched');
    expect(await lab.run('node07', ['true'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await lab.out('node07', ['hostname'])).toBe('node07\n');
    expect(await lab.out('control01', ['hostname', '-f'])).toBe('control01.example.com\n');
    expect(await lab.out('node07', ['echo', 'ok'])).toBe('ok\n');
  });

  it('answers like bash for unknown programs and programs the host does not have', async () => {
    const lab = worldFixture('icehouse-patched');
    expect(await lab.run('node01', ['frobnicate', '-x'])).toEqual({
      stdout: '',
      stderr: 'bash: frobnicate: command not found\n',
      code: 127,
    });
    expect((await lab.run('node01', ['nova', 'list'])).code).toBe(127);
    expect((await lab.run('control01', ['virsh', 'list'])).code).toBe(127);
  });

  it('builds N hypervisors of mixed generations with about three VMs each', async () => {
    const lab = worldFixture('kilo-or-later', { hosts: 12 });
    expect(lab.world.hosts.map((host) => host.name)).toEqual([
      'control01',
      ...Array.from({ length: 12 }, (_, index) => `node${String(index + 1).padStart(2, '0')}`),
    ]);
    const list = await lab.out('control01', ['nova', 'list']);
    expect(list.trimEnd().split('\n').length - 4).toBe(36);
    const models = new Set<string>();
    for (const host of lab.world.hosts.slice(1)) {
      models.add(parseHostCpu(await lab.out(host.name, ['virsh', 'capabilities'])).model);
    }
    expect(models.size).toBeGreaterThan(2);
  });
});
