import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterServicesOver } from '../../../src/compose.js';
import { readSecrets } from '../../../src/config/load-config.js';
import { gatherDrainFacts, planDrain } from '../../../src/engine/drain/index.js';
import { runPreflight } from '../../../src/engine/preflight/index.js';
import { type Lab, startLab } from '../../../src/lab/index.js';
import { createSshExecutor } from '../../../src/ssh/executor.js';
import type { RemoteExecutor } from '../../../src/ssh/types.js';
import { SimClock } from '../../../src/util/clock.js';

describe('planning a drain of node05 on the seed lab over real SSH', () => {
  let lab: Lab;
  let executor: RemoteExecutor;
  const clock = new SimClock(Date.UTC(2026, 0, 1));

  beforeAll(async () => {
    lab = await startLab({ clock });
    executor = createSshExecutor(lab.config, readSecrets({}));
  });
  afterAll(async () => {
    await executor?.close();
    await lab?.stop();
  });

  it('puts every movable VM on a host the check accepts and leaves dstest with "hard reboot first"', async () => {
    const context = clusterServicesOver(lab.config, executor, clock);
    const facts = await gatherDrainFacts(context, { sources: ['node05'] });
    expect(facts.vms.map((vm) => vm.server.name).sort()).toEqual(['app03', 'dns03', 'dstest', 'web04']);
    const plan = planDrain(facts, { limits: lab.config.limits });

    expect(plan.unmovable).toEqual([
      expect.objectContaining({
        vm: expect.objectContaining({ name: 'dstest' }),
        source: 'node05',
        reason: 'needs-hard-reboot',
        explanation: expect.stringContaining('hard reboot first'),
        fix: expect.stringMatching(/^nova reboot --hard [0-9a-f-]{36}, then plan the drain again\.$/),
      }),
    ]);
    expect(plan.assignments.map((move) => move.vm.name).sort()).toEqual(['app03', 'dns03', 'web04']);
    for (const move of plan.assignments) {
      expect(move.source).toBe('node05');
      expect(move.destination).not.toBe('node05');
      // The same pre-flight `livemig check` runs, gathered afresh for this one pair, lets it go.
      const check = await runPreflight(context, { vm: move.vm.uuid, destination: move.destination });
      expect(check.verdict, `${move.vm.name} → ${move.destination}`).not.toBe('block');
      expect(move.durationMs).toBeGreaterThan(0);
      expect(move.pauseMs).toBeLessThanOrEqual(lab.config.limits.downtimeBudgetMs);
    }
    // One migration at a time out of node05 (maxMigrationsPerSourceHost 1): back to back.
    const byStart = [...plan.assignments].sort((a, b) => a.startMs - b.startMs);
    expect(byStart.map((move) => move.order)).toEqual([1, 2, 3]);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i]!.startMs).toBe(byStart[i - 1]!.finishMs);
    expect(plan.predictedMakespanMs).toBe(byStart.at(-1)!.finishMs);
    expect(plan.predictedMakespanMs).toBeGreaterThanOrEqual(plan.lowerBoundMs);
    expect(plan.lowerBound.busiestLink).toBe('node05');
    // Spread: three VMs, three different hosts.
    expect(new Set(plan.assignments.map((move) => move.destination)).size).toBe(3);
  });

  it('asks each host its questions once, never once per VM and destination', async () => {
    lab.commandLog.clear();
    await gatherDrainFacts(clusterServicesOver(lab.config, executor, clock), { sources: ['node05'] });
    const programs = (host: string) =>
      lab.commandLog
        .entries(host)
        .map((entry) => entry.argv!.slice(0, 2).join(' '))
        .sort();
    // A candidate: its CPU, nova.conf, its domains and ONE ls -ld of the four VMs' directories.
    expect(programs('node10')).toEqual([
      'cat /etc/nova/nova.conf',
      'ls -ld',
      'virsh capabilities',
      'virsh list',
    ]);
    const ls = lab.commandLog.entries('node10').find((entry) => entry.argv![0] === 'ls')!;
    expect(ls.argv!.filter((word) => word.startsWith('/var/lib/nova/instances/'))).toHaveLength(4);
    // The source: the same, plus each VM's live XML and dirty-rate attempt (libvirt 1.3.1 has none).
    const source = programs('node05');
    expect(source.filter((line) => line === 'virsh dumpxml')).toHaveLength(4);
    expect(source.filter((line) => line === 'virsh capabilities')).toHaveLength(1);
    // The controller: service-list, hypervisor-list, list --host, one show per VM, one
    // hypervisor-show per host.
    const controller = programs('control01');
    expect(controller.filter((line) => line === 'nova show')).toHaveLength(4);
    expect(controller.filter((line) => line === 'nova hypervisor-show')).toHaveLength(10);
    expect(controller.filter((line) => line === 'nova list')).toHaveLength(1);
  });

  it('refuses a source or a --to host that is not in the inventory, naming it', async () => {
    const context = clusterServicesOver(lab.config, executor, clock);
    await expect(gatherDrainFacts(context, { sources: ['node42'] })).rejects.toMatchObject({
      code: 'usage',
      message: 'drain: node42 is not in the inventory',
    });
    await expect(
      gatherDrainFacts(context, { sources: ['node05'], allowedDestinations: ['node06', 'web01'] }),
    ).rejects.toMatchObject({ code: 'usage', message: '--to: web01 is not in the inventory' });
  });

  it('honours --to and leaves out a disabled destination', async () => {
    const context = clusterServicesOver(lab.config, executor, clock);
    await executor.run('control01', {
      program: 'nova',
      args: ['service-disable', '--reason', 'firmware', 'node07', 'nova-compute'],
    });
    try {
      const facts = await gatherDrainFacts(context, {
        sources: ['node05'],
        allowedDestinations: ['node06', 'node07'],
      });
      const plan = planDrain(facts, { allowedDestinations: ['node06', 'node07'], limits: lab.config.limits });
      expect(plan.candidates).toEqual(['node06', 'node07']);
      expect(plan.assignments.map((move) => move.destination)).toEqual(['node06', 'node06', 'node06']);
    } finally {
      await executor.run('control01', {
        program: 'nova',
        args: ['service-enable', 'node07', 'nova-compute'],
      });
    }
  });
});
