/**
 * What every recovered or finished migration must show, shared by the lab and kill -9 tests: where
 * the VM runs, the instance dirs, and which side effects reached the cluster and how often.
 */
import { expect } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import type { MigrationCluster } from '../../../src/engine/runner/index.js';

export const requester = { id: 'UALICE', via: 'slack' as const };
export const approver = { id: 'UBOB', via: 'slack' as const };

/** The lab commands so far, one string each, e.g. `nova live-migration <uuid> node02`. */
export function sentCommands(h: { commands(): string[][] }): string[] {
  return h.commands().map((argv) => argv.join(' '));
}

export interface Placement {
  uuid: string;
  instanceName: string;
  hosts: readonly string[];
  /** Where the VM must be: ACTIVE by nova, running by libvirt there and nowhere else. */
  home: string;
}

/** The VM is ACTIVE on `home` by nova, running there (and only there) by libvirt; the dirs match. */
export async function expectPlacement(k: { cluster: MigrationCluster }, p: Placement): Promise<void> {
  const server = await k.cluster.showServer(p.uuid);
  expect(server).toMatchObject({ host: p.home, status: 'ACTIVE', taskState: null });
  const runningOn: string[] = [];
  for (const host of p.hosts) {
    if ((await k.cluster.domainState(host, p.instanceName)) === 'running') runningOn.push(host);
  }
  expect(runningOn).toEqual([p.home]);
  for (const host of p.hosts) {
    expect(await k.cluster.instanceDirExists(host, p.uuid), `instance dir on ${host}`).toBe(host === p.home);
  }
}

/**
 * Side effects that reached the lab (`sent`, one string per command, from `KillLab.commands()`):
 * `nova live-migration` exactly `migrations` times, aborts `aborts` times, and the instance-dir
 * commands as the release allows: at most one mkdir and chown on patched Icehouse (none on Juno and
 * later, where nova makes the dirs), and at most one rm (the source dir after a move, or the
 * destination's after a failure).
 */
export function expectSideEffects(
  sent: string[],
  release: NovaRelease,
  uuid: string,
  expected: { migrations: number; aborts: number },
): void {
  expect(sent.filter((c) => c.startsWith(`nova live-migration ${uuid}`))).toHaveLength(expected.migrations);
  const aborts = sent.filter(
    (c) => c.startsWith('virsh domjobabort') || c.startsWith('nova live-migration-abort'),
  );
  expect(aborts).toHaveLength(expected.aborts);
  const count = (program: string) => sent.filter((c) => c.split(' ')[0] === program).length;
  const creates = release === 'icehouse-patched' ? 1 : 0;
  expect(count('mkdir'), 'mkdir').toBeLessThanOrEqual(creates);
  expect(count('chown'), 'chown').toBeLessThanOrEqual(creates);
  expect(count('rm'), 'rm').toBeLessThanOrEqual(1);
}
