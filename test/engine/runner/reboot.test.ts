/**
 * Hard-reboot requests against a scripted cluster: nova takes a while to bring the VM back, so
 * livemig must wait for ACTIVE before it reads the new live CPU, and say so when the CPU is not the
 * configured one; a reboot that would change nothing is refused, and one that a restart
 * interrupted is reported, never sent again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server } from '../../../src/cluster/types.js';
import type { MigrationCluster } from '../../../src/engine/cluster-port.js';
import { EventHub, type RunnerContext, systemActor } from '../../../src/engine/runner/context.js';
import { createRebootRequest, reconcileReboots, runReboot } from '../../../src/engine/runner/reboot.js';
import { Store } from '../../../src/store/index.js';
import { SimClock } from '../../../src/util/clock.js';

const uuid = '5c59410d-b0eb-416d-8113-66ea6e235bef';
const pollMs = 2000;
const operator = { id: 'alice', via: 'cli' as const };

function server(status: string, taskState: string | null): Server {
  return {
    uuid,
    name: 'dstest',
    status,
    taskState,
    powerState: status === 'ACTIVE' ? 1 : 0,
    vmState: status === 'ERROR' ? 'error' : 'active',
    host: 'node05',
    hypervisorHostname: 'node05',
    instanceName: 'instance-0000002a',
    flavor: { id: '3', name: 'm1.medium', ramMiB: 4096, vcpus: 2, diskGiB: 40 },
    configDrive: false,
    attachedVolumeIds: [],
    created: null,
    updated: null,
    tenantId: null,
    properties: {},
  };
}

/** nova answers `states` to each show after the reboot (the last one repeats); the CPU changes at the reboot. */
function scriptedCluster(states: Server[], configured: string, liveBefore = 'SandyBridge') {
  const log: string[] = [];
  let rebooted = false;
  let shows = 0;
  const cluster: Partial<MigrationCluster> = {
    async showServer() {
      log.push('show');
      if (!rebooted) return server('ACTIVE', null);
      return states[Math.min(shows++, states.length - 1)]!;
    },
    async rebootHard() {
      log.push('reboot');
      rebooted = true;
    },
    async liveCpuModel() {
      log.push('live-cpu');
      return rebooted ? 'Westmere' : liveBefore;
    },
    async configuredCpuModel() {
      return configured;
    },
  };
  return { cluster: cluster as MigrationCluster, log };
}

/** Records the request as the operator asks for it, then runs the reboot its approval starts. */
async function rebootThrough(ctx: RunnerContext) {
  const created = await createRebootRequest(ctx, { vm: 'dstest', requester: operator });
  if (created.outcome !== 'created') throw new Error(created.message);
  expect(created.request).toMatchObject({ kind: 'reboot', state: 'awaiting_approval', source: 'node05' });
  return runReboot(ctx, created.request.id, operator);
}

describe('hard-reboot requests', () => {
  let dir: string;
  let store: Store;
  const clock = new SimClock();
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livemig-reboot-'));
    store = await Store.open({ dataDir: dir, clock, archiveAfterDays: 30 });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const contextFor = (cluster: MigrationCluster): RunnerContext =>
    ({
      store,
      cluster,
      clock,
      hub: new EventHub(),
      system: systemActor,
      settings: {
        limits: { migrationPollIntervalMs: pollMs },
        approval: { expiryMinutes: 60, twoPersonRule: true },
      },
    }) as unknown as RunnerContext;

  it('waits until nova shows the VM ACTIVE with no task before it reads the new live CPU', async () => {
    const { cluster, log } = scriptedCluster(
      [
        server('HARD_REBOOT', 'rebooting_hard'),
        server('HARD_REBOOT', 'reboot_started_hard'),
        server('ACTIVE', null),
      ],
      'Westmere',
    );
    const started = clock.now();
    const outcome = await rebootThrough(contextFor(cluster));
    expect(outcome).toMatchObject({ result: 'rebooted', cpuBefore: 'SandyBridge', cpuAfter: 'Westmere' });
    expect(log).toEqual(['show', 'live-cpu', 'reboot', 'show', 'show', 'show', 'live-cpu']);
    expect(clock.now() - started).toBe(2 * pollMs);
    expect(store.listAudit().map((e) => e.kind)).toEqual([
      'reboot_requested',
      'reboot_started',
      'reboot_rebooted',
    ]);
  });

  it('reports a live CPU other than the configured cpu_model as cpu_mismatch', async () => {
    const { cluster } = scriptedCluster([server('ACTIVE', null)], 'Haswell');
    const outcome = await rebootThrough(contextFor(cluster));
    expect(outcome.result).toBe('cpu_mismatch');
    expect(outcome.message).toContain('not the configured Haswell');
  });

  it('reports failed, without waiting out the timeout, when the VM ends in ERROR instead of coming back', async () => {
    const { cluster, log } = scriptedCluster([server('ERROR', null)], 'Westmere');
    const outcome = await rebootThrough(contextFor(cluster));
    expect(outcome).toMatchObject({ result: 'failed', cpuAfter: null });
    expect(outcome.message).toBe('dstest is ERROR (no task) after the hard reboot');
    expect(log.filter((entry) => entry === 'live-cpu')).toHaveLength(1);
  });

  it('gives up with timeout after 10 minutes when nova never finishes the reboot', async () => {
    const { cluster } = scriptedCluster([server('HARD_REBOOT', 'rebooting_hard')], 'Westmere');
    const started = clock.now();
    const outcome = await rebootThrough(contextFor(cluster));
    expect(outcome).toMatchObject({ result: 'timeout', cpuAfter: null });
    expect(outcome.message).toBe('dstest is HARD_REBOOT (rebooting_hard) after the hard reboot');
    expect(clock.now() - started).toBeGreaterThan(10 * 60_000);
    expect(store.listAudit().map((e) => e.kind)).toEqual([
      'reboot_requested',
      'reboot_started',
      'reboot_timeout',
    ]);
  });

  it('refuses a reboot of a VM that already runs the configured cpu_model, and records nothing', async () => {
    const { cluster, log } = scriptedCluster([server('ACTIVE', null)], 'Westmere', 'Westmere');
    const created = await createRebootRequest(contextFor(cluster), { vm: 'dstest', requester: operator });
    expect(created).toMatchObject({
      outcome: 'not_needed',
      message:
        'no longer needed: dstest already runs Westmere on node05, the cpu_model its nova.conf configures',
    });
    expect(log).not.toContain('reboot');
    expect(store.listRequests()).toEqual([]);
  });

  it('after a restart, reports a reboot that was sent but not followed to its end, and sends nothing', async () => {
    const { cluster, log } = scriptedCluster([server('ACTIVE', null)], 'Westmere');
    const ctx = contextFor(cluster);
    const created = await createRebootRequest(ctx, { vm: 'dstest', requester: operator });
    if (created.outcome !== 'created') throw new Error('expected a request');
    // As a killed process leaves it: approved, the start journaled, no outcome.
    await store.updateRequest(created.request.id, (current, at) => ({
      next: { ...current, state: 'approved', reboot: { ...current.reboot!, startedAt: at } },
      value: undefined,
    }));
    await cluster.rebootHard(created.request.vm.uuid);
    log.length = 0;
    const [reported] = await reconcileReboots(ctx);
    expect(reported?.reboot?.outcome).toMatchObject({
      result: 'rebooted',
      cpuAfter: 'Westmere',
      host: 'node05',
    });
    expect(reported?.reboot?.outcome?.message).toContain('livemig stopped while dstest was rebooting');
    expect(log).not.toContain('reboot');
  });
});
