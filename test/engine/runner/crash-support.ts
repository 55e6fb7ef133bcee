/**
 * Shared pieces of the crash tests: a hook that kills the runner once at a chosen boundary, and
 * the checks every recovered migration must pass (where the VM runs, the instance dirs, which
 * side effects reached the cluster and how often).
 */
import { expect } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import { RunnerCrash, type RunnerHooks, type StepBoundary } from '../../../src/engine/runner/index.js';
import type { LabRunner } from './lab-harness.js';

export type Boundary = Omit<StepBoundary, 'migrationId'>;

export const requester = { id: 'UALICE', via: 'slack' as const };
export const approver = { id: 'UBOB', via: 'slack' as const };

/** The two hosts the crash tests move their VM between. */
export const pingPongHosts = ['node01', 'node02'] as const;

/** A hook that throws RunnerCrash the first time `boundary` is reached and `when` holds there. */
export function crashOnce(
  boundary: Boundary,
  when: (at: StepBoundary) => boolean = () => true,
): { hooks: RunnerHooks; crashed: () => boolean } {
  let crashed = false;
  return {
    crashed: () => crashed,
    hooks: {
      atStepBoundary: (at) => {
        if (crashed || at.step !== boundary.step || at.moment !== boundary.moment || !when(at)) return;
        crashed = true;
        throw new RunnerCrash(at);
      },
    },
  };
}

/** The lab commands so far, one string each, e.g. `nova live-migration <uuid> node02`. */
export function sentCommands(h: LabRunner): string[] {
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
export async function expectPlacement(h: Pick<LabRunner, 'cluster'>, p: Placement): Promise<void> {
  const server = await h.cluster.showServer(p.uuid);
  expect(server).toMatchObject({ host: p.home, status: 'ACTIVE', taskState: null });
  const runningOn: string[] = [];
  for (const host of p.hosts) {
    if ((await h.cluster.domainState(host, p.instanceName)) === 'running') runningOn.push(host);
  }
  expect(runningOn).toEqual([p.home]);
  for (const host of p.hosts) {
    expect(await h.cluster.instanceDirExists(host, p.uuid), `instance dir on ${host}`).toBe(host === p.home);
  }
}

/**
 * Side effects that reached the lab during one test: `nova live-migration` exactly
 * `migrations` times, aborts `aborts` times, and the instance-dir commands as the release allows:
 * at most one mkdir and chown on patched Icehouse (none on Juno and later, where nova makes the
 * dirs), and at most one rm (the source dir after a move, or the destination's after a failure).
 */
export function expectSideEffects(
  h: LabRunner,
  release: NovaRelease,
  uuid: string,
  expected: { migrations: number; aborts: number },
): void {
  const sent = sentCommands(h);
  expect(sent.filter((c) => c.startsWith(`nova live-migration ${uuid}`))).toHaveLength(expected.migrations);
  const aborts = sent.filter(
    (c) => c.startsWith('virsh domjobabort') || c.startsWith('nova live-migration-abort'),
  );
  expect(aborts).toHaveLength(expected.aborts);
  const programs = h.commands().map((argv) => argv[0]);
  const count = (program: string) => programs.filter((p) => p === program).length;
  const creates = release === 'icehouse-patched' ? 1 : 0;
  expect(count('mkdir'), 'mkdir').toBeLessThanOrEqual(creates);
  expect(count('chown'), 'chown').toBeLessThanOrEqual(creates);
  expect(count('rm'), 'rm').toBeLessThanOrEqual(1);
}

/** A fresh runner over the crashed one's data dir, reconciled and run until idle. */
export async function restartAndReconcile(h: LabRunner, migrationId: string) {
  const fresh = await h.restart();
  const report = await fresh.runner.reconcile();
  expect(report.resumed).toEqual([migrationId]);
  await fresh.runner.idle();
  return fresh;
}
