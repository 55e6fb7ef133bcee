import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebootCommand } from '../../../commands/reboot.js';
import { terminalCaller } from '../../../commands/types.js';
import type { ProgressEvent } from '../../../src/engine/runner/index.js';
import { type LabRunner, startLabRunner } from './lab-harness.js';

const requester = { id: 'UALICE', via: 'slack' as const, name: 'alice' };
const approver = { id: 'UBOB', via: 'slack' as const, name: 'bob' };
const dir = (uuid: string) => `/var/lib/nova/instances/${uuid}`;

describe('the seed scenario on patched Icehouse, over SSH to the lab', () => {
  let h: LabRunner;
  beforeAll(async () => {
    h = await startLabRunner('icehouse-patched');
    await h.runner.reconcile();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('blocks dstest -> node10 for its SandyBridge CPU and warns that it needs a hard reboot', async () => {
    const events: ProgressEvent[] = [];
    const unsubscribe = h.runner.subscribe((e) => events.push(e));
    const request = await h.runner.createRequest({ vm: 'dstest', destination: 'node10', requester });
    unsubscribe();
    expect(request.state).toBe('blocked');
    expect(request.checks?.verdict).toBe('block');
    const cpu = request.checks?.checks.find((c) => c.id === 'guest-cpu');
    expect(cpu).toMatchObject({ status: 'block', explanation: expect.stringContaining('avx') });
    expect(request.checks?.needsHardReboot).toBe(true);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'reboot_warning', message: expect.stringContaining('HARD reboot') }),
    ]);
  });

  it('hard-reboots dstest through nova and confirms its live CPU is now Westmere', async () => {
    h.lab.commandLog.clear();
    const result = await rebootCommand.run(
      { vm: 'dstest', yes: true, force: false },
      h.services,
      terminalCaller('alice'),
    );
    if (result.outcome !== 'rebooted') throw new Error(result.message);
    expect(result.reboot).toMatchObject({
      cpuBefore: 'SandyBridge',
      cpuAfter: 'Westmere',
      configuredCpu: 'Westmere',
    });
    expect(h.commands('control01')).toContainEqual(['nova', 'reboot', '--hard', result.reboot.vm.uuid]);
    expect(h.store.listAudit((e) => e.kind.startsWith('reboot_')).map((e) => e.kind)).toEqual([
      'reboot_requested',
      'reboot_approved',
      'reboot_started',
      'reboot_rebooted',
    ]);
  });

  it('then migrates dstest node05 -> node10: dir created and chowned, one nova live-migration, source dir removed', async () => {
    h.lab.commandLog.clear();
    const events: ProgressEvent[] = [];
    h.runner.subscribe((e) => events.push(e));
    const request = await h.runner.createRequest({ vm: 'dstest', destination: 'node10', requester });
    expect(request.state).toBe('awaiting_approval');
    const uuid = request.vm.uuid;

    const own = await h.runner.approve(request.id, requester, { actorIsApprover: true });
    expect(own).toMatchObject({ outcome: 'refused', code: 'own_request' });
    const approval = await h.runner.approve(request.id, approver, { actorIsApprover: true });
    expect(approval.outcome).toBe('approved');
    if (approval.outcome !== 'approved') return;
    const done = await h.runner.waitForMigration(approval.migrationId);

    expect(done.state).toBe('succeeded');
    expect(done.result?.durationMs).toBeGreaterThan(0);
    const sideEffects = h
      .commands()
      .filter(([program, sub]) => ['mkdir', 'chown', 'rm'].includes(program!) || sub === 'live-migration')
      .map((argv) => argv.join(' '));
    expect(sideEffects).toEqual([
      `mkdir -p ${dir(uuid)}`,
      `chown nova:nova ${dir(uuid)}`,
      `nova live-migration ${uuid} node10`,
      `rm -rf ${dir(uuid)}`,
    ]);
    const hostOf = (argv: string) => h.lab.commandLog.entries().find((e) => e.argv?.join(' ') === argv)?.host;
    expect(hostOf(`mkdir -p ${dir(uuid)}`)).toBe('node10');
    expect(hostOf(`rm -rf ${dir(uuid)}`)).toBe('node05');

    const server = await h.cluster.showServer(uuid);
    expect(server).toMatchObject({ host: 'node10', status: 'ACTIVE' });
    expect(await h.cluster.domainState('node10', server.instanceName!)).toBe('running');
    expect(await h.cluster.domainState('node05', server.instanceName!)).toBe('absent');
    expect(await h.cluster.instanceDirExists('node10', uuid)).toBe(true);
    expect(await h.cluster.instanceDirExists('node05', uuid)).toBe(false);

    const kinds = events.filter((e) => e.migrationId === approval.migrationId);
    expect(
      kinds.filter((e) => e.kind === 'milestone').map((e) => e.kind === 'milestone' && e.milestone),
    ).toEqual(['approved', 'dir_prepared', 'migration_started', 'switched_over', 'verified', 'cleaned_up']);
    const progress = kinds.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ memoryTotalBytes: 4 * 2 ** 30 });
    expect(kinds.at(-1)).toMatchObject({ kind: 'finished' });

    const journal = done.journal.map((e) => `${e.step}:${e.phase}`);
    expect(journal.indexOf('create_instance_dir:started')).toBeLessThan(
      journal.indexOf('create_instance_dir:done'),
    );
    expect(journal.indexOf('live_migrate:started')).toBeLessThan(journal.indexOf('live_migrate:done'));
    expect(h.store.getRequest(request.id)?.decisions).toEqual([
      expect.objectContaining({ kind: 'approved', actor: approver }),
    ]);
  });

  it('sends a VM name with shell metacharacters to nova as one argument, never to a shell', async () => {
    h.lab.commandLog.clear();
    const name = "x'; rm -rf / #$(reboot)";
    await expect(
      h.runner.createRequest({ vm: name, destination: 'node10', requester }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const entries = h.lab.commandLog.entries();
    expect(entries.map((e) => e.argv)).toEqual([['nova', 'show', name]]);
    expect(entries.every((e) => e.argv !== null)).toBe(true);
  });

  it('blocks a request when the destination does not answer during the pre-flight', async () => {
    await h.lab.faults.apply({ kind: 'down', host: 'node09' });
    try {
      const request = await h.runner.createRequest({ vm: 'web01', destination: 'node09', requester });
      expect(request.state).toBe('blocked');
      const blocking = request.checks?.checks.filter((c) => c.status === 'block') ?? [];
      expect(blocking.map((c) => `${c.title}: ${c.explanation}`).join('\n')).toMatch(/node09/);
    } finally {
      await h.lab.faults.apply({ kind: 'clear', host: 'node09' });
    }
  });
});
