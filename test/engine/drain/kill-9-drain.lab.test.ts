/**
 * kill -9 of a real `livemig drain node05 --yes` at points of the drain, then the same command run
 * again: it carries the drain on from where it was. Afterwards every movable VM of node05 was
 * moved exactly once (one `nova live-migration` each, counted in the lab's command log), each VM
 * runs on exactly one host, node05 is disabled, and the drain's record tells the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrainResult } from '../../../commands/drain.js';
import { type Arrival, type KillLab, startKillLab } from '../runner/kill-harness.js';

const movable = ['app03', 'dns03', 'web04'];

interface KillPoint {
  name: string;
  when: (a: Arrival, drainMigrations: number) => boolean;
  fault: 'hang' | 'slow';
}

const liveMigration = (a: Arrival) => a.command.startsWith('nova live-migration ');

const killPoints: KillPoint[] = [
  {
    name: 'nova-compute disabled on node05, no move started yet',
    when: (a) => a.command.startsWith('nova service-disable'),
    fault: 'slow',
  },
  {
    name: 'the first move’s copy accepted by nova',
    when: (a, n) => liveMigration(a) && n === 1,
    fault: 'slow',
  },
  {
    name: 'the second move about to be sent to nova',
    when: (a, n) => liveMigration(a) && n === 2,
    fault: 'hang',
  },
  {
    name: 'the second move’s pre-flight under way',
    when: (a, n) =>
      n === 1 && a.migration?.state === 'succeeded' && a.command.startsWith('virsh capabilities'),
    fault: 'slow',
  },
];

describe('kill -9 of `livemig drain node05` and the same command again', () => {
  let k: KillLab;
  beforeAll(async () => {
    k = await startKillLab('kilo-or-later');
  });
  afterAll(async () => {
    await k?.stop();
  });

  const drainMigrations = () => k.storeFile().migrations.filter((m) => movable.includes(m.vm.name)).length;
  const hostOf = async (vm: string) => (await k.cluster.showServer(vm)).host;

  for (const point of killPoints) {
    it(`killed at "${point.name}": carried on, each VM moved once`, async () => {
      k.lab.commandLog.clear();
      const before = drainMigrations();
      const { child } = await k.spawnUntilHeld(['drain', 'node05', '--yes', '--json'], {
        when: (a) => point.when(a, drainMigrations() - before),
        fault: point.fault,
      });
      await k.kill(child);
      const killed = k
        .storeFile()
        .drains.filter((d) => d.kind === 'drain')
        .at(-1)!;
      try {
        await carriedOn(killed.id);
      } finally {
        // Put the VMs back (and node05 in service) for the next kill point.
        const back = k.spawn(['undrain', 'node05', '--return', '--yes']);
        expect(await back.exited, back.stdout() + back.stderr()).toBe(0);
      }
      for (const vm of movable) expect(await hostOf(vm)).toBe('node05');
    }, 300_000);
  }

  async function carriedOn(drainId: string): Promise<void> {
    const again = k.spawn(['drain', 'node05', '--yes', '--json']);
    const code = await again.exited;
    const result = JSON.parse(again.stdout()) as DrainResult;
    expect(result.drain!.id).toBe(drainId);
    // dstest stays (hard reboot first), so node05 is not empty: exit 1.
    expect(code).toBe(1);
    expect(result.outcome).toBe('not_empty');
    expect(result.drain!.state).toBe('finished');
    expect(result.drain!.moves.map((m) => [m.vm.name, m.state]).sort()).toEqual(
      movable.map((vm) => [vm, 'succeeded']),
    );
    // Exactly one `nova live-migration` per VM across both processes.
    const sent = k.commands('control01').filter((c) => c.startsWith('nova live-migration '));
    const uuids = await Promise.all(movable.map(async (vm) => (await k.cluster.showServer(vm)).uuid));
    for (const uuid of uuids) expect(sent.filter((c) => c.includes(uuid))).toHaveLength(1);
    // Each VM runs where the record says, and libvirt has it nowhere else.
    for (const move of result.drain!.moves) {
      const server = await k.cluster.showServer(move.vm.name);
      expect(server.host).toBe(move.destination);
      expect(await k.cluster.domainState(move.destination, server.instanceName!)).toBe('running');
      expect(await k.cluster.domainState('node05', server.instanceName!)).toBe('absent');
    }
    const node05 = (await k.cluster.computeServices()).find((s) => s.host === 'node05')!;
    expect(node05.status).toBe('disabled');
  }
});
