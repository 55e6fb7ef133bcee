/**
 * Hosts that stop answering during a migration: a migration whose outcome livemig cannot read is
 * not failed. livemig keeps asking (with backoff), rolls nothing back meanwhile, and once nova and
 * libvirt answer again reports what happened. Faults come from the lab's fault command
 * (lab.faults.apply is what `livemig lab fault` sends over the control socket).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../../src/config/schema.js';
import type { CommandLogEntry, LabFault } from '../../../src/lab/index.js';
import { type LabRunner, type LabRunnerOptions, startLabRunner } from './lab-harness.js';
import { approver, expectPlacement, requester } from './outcome-checks.js';

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(release: NovaRelease, options: LabRunnerOptions = {}): Promise<LabRunner> {
  h = await startLabRunner(release, options);
  return h;
}

/** Requests and approves `vm` → `destination`; applies `fault` once the copy passed `percent`. */
async function migrateWithFault(
  lab: LabRunner,
  vm: string,
  destination: string,
  fault: LabFault,
  percent: number,
): Promise<{ migrationId: string; faultApplied: Promise<void> }> {
  let applied: (() => void) | undefined;
  const faultApplied = new Promise<void>((resolve) => {
    applied = resolve;
  });
  let done = false;
  const unsubscribe = lab.runner.subscribe((e) => {
    if (done || e.kind !== 'progress' || e.memoryTotalBytes <= 0) return;
    if ((e.memoryTotalBytes - e.memoryRemainingBytes) / e.memoryTotalBytes < percent / 100) return;
    done = true;
    unsubscribe();
    void lab.lab.faults.apply(fault).then(applied);
  });
  const request = await lab.runner.createRequest({ vm, destination, requester });
  const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
  return { migrationId: approval.migrationId, faultApplied };
}

/**
 * Clears every fault `ms` of lab time after the runner said it lost contact. (A SimClock jumps to
 * the next sleeper while real SSH I/O is in flight, so the clear waits for the runner's own word.)
 */
function clearAfterContactLost(lab: LabRunner, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const unsubscribe = lab.runner.subscribe((e) => {
      if (e.kind !== 'milestone' || e.milestone !== 'contact_lost') return;
      unsubscribe();
      void lab.clock
        .sleep(ms)
        .then(() => lab.lab.faults.apply({ kind: 'clear' }))
        .then(resolve);
    });
  });
}

/**
 * Hangs `host` when a command matching `when` reaches it (before it runs), and clears the hang once
 * `attempts` commands reached the hung host. Nothing sleeps on the lab clock meanwhile, so the lab
 * time between two of those commands is the time livemig itself waited: a timeout stacked on
 * another shows as two commands at the same lab time, a retry after backoff as a gap.
 */
function hangFor(
  lab: LabRunner,
  host: string,
  when: (argv: readonly string[]) => boolean,
  attempts: number,
): { whileHung: CommandLogEntry[]; cleared: Promise<void> } {
  const whileHung: CommandLogEntry[] = [];
  let hung = false;
  let clear!: () => void;
  const cleared = new Promise<void>((resolve) => {
    clear = resolve;
  });
  const log = lab.lab.commandLog;
  const record = log.record.bind(log);
  log.record = (entry) => {
    record(entry);
    if (entry.host !== host) return;
    if (!hung && !when(entry.argv ?? [])) return;
    // Synchronous up to its first await: the hang is in place before this command runs.
    if (!hung) void lab.lab.faults.apply({ kind: 'hang', host });
    hung = true;
    whileHung.push(entry);
    if (whileHung.length < attempts) return;
    log.record = record;
    void lab.lab.faults.apply({ kind: 'clear' }).then(clear);
  };
  return { whileHung, cleared };
}

/** Requests and approves `vm` → `destination`, and waits until livemig stops driving it. */
async function migrateToEnd(lab: LabRunner, vm: string, destination: string) {
  const request = await lab.runner.createRequest({ vm, destination, requester });
  const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
  return lab.runner.waitForMigration(approval.migrationId);
}

/** Lab-time gaps between the commands that reached a hung host. */
function gapsMs(entries: readonly CommandLogEntry[]): number[] {
  return entries.slice(1).map((entry, i) => entry.atMs - entries[i]!.atMs);
}

describe('a hung host costs one timeout per attempt, not one per question', () => {
  it('hung as nova switches: the finished job info, the verification and the log tail are not stacked on it', async () => {
    const lab = await start('juno', { limits: { sshCommandTimeoutMs: 500, sshConnectTimeoutMs: 500 } });
    const poll = 2_000;
    const before = await lab.cluster.showServer('cache01');
    // `virsh domjobinfo --completed` on the destination: nova reported the VM there.
    const { whileHung, cleared } = hangFor(lab, 'node07', (argv) => argv.includes('--completed'), 3);
    const done = await migrateToEnd(lab, 'cache01', 'node07');
    await cleared;

    expect(done.state, done.error?.message).toBe('succeeded');
    // One question per attempt, each after livemig's backoff: never two timeouts back to back.
    expect(whileHung).toHaveLength(3);
    for (const gap of gapsMs(whileHung)) expect(gap).toBeGreaterThanOrEqual(poll);
    expect(whileHung.map((e) => e.argv?.[0])).not.toContain('tail');
    expect(done.journal.find((e) => e.step === 'contact')?.detail).toMatch(
      /node07 did not finish within 500 ms/,
    );
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: ['node08', 'node07'],
      home: 'node07',
    });
  });

  it('hung under the instance dir mkdir: the failure waits for node01 (one question per attempt, no log tail from it), then rolls back and says so', async () => {
    const lab = await start('icehouse-patched', {
      limits: { sshCommandTimeoutMs: 500, sshConnectTimeoutMs: 500 },
    });
    const poll = 2_000;
    const before = await lab.cluster.showServer('web02');
    const { whileHung, cleared } = hangFor(lab, 'node01', (argv) => argv[0] === 'mkdir', 3);
    const done = await migrateToEnd(lab, 'web02', 'node01');
    await cleared;

    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(
      /^Migration of web02 from node02 to node01 failed at create_instance_dir: mkdir on node01 did not finish within 500 ms; the channel was closed\n[^\n]*check it before retrying\. web02 is ACTIVE on node02 by nova; libvirt: running on node02, absent on node01\./,
    );
    expect(whileHung).toHaveLength(3);
    for (const gap of gapsMs(whileHung)) expect(gap).toBeGreaterThanOrEqual(poll);
    expect(whileHung.map((e) => e.argv?.[0])).not.toContain('tail');
    // The logs come from both hosts once node01 answers again.
    expect(done.error?.logExcerpt).toContain('--- node01: nova-compute.log ---');
    expect(done.error?.logExcerpt).not.toContain('could not read');
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: ['node02', 'node01'],
      home: 'node02',
    });
  });

  it('hung when the checks run again before the first side effect: one timeout, then the failure, nothing asked of it twice', async () => {
    const timeoutMs = 500;
    const lab = await start('juno', {
      limits: { sshCommandTimeoutMs: timeoutMs, sshConnectTimeoutMs: timeoutMs },
    });
    const before = await lab.cluster.showServer('web02');
    const request = await lab.runner.createRequest({ vm: 'web02', destination: 'node01', requester });
    // From the approval on, node01 answers nothing: the recheck asks it its questions at once.
    const { whileHung } = hangFor(lab, 'node01', () => true, Number.POSITIVE_INFINITY);
    const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
    const done = await lab.runner.waitForMigration(approval.migrationId);
    await lab.lab.faults.apply({ kind: 'clear' });

    expect(done.state).toBe('failed');
    expect(done.error?.step).toBe('recheck');
    expect(done.error?.message).toMatch(/node01/);
    // node01 got the recheck's questions (asked at once) and nothing after them: locating the VM
    // for the failure message did not ask it again (another timeout), nor did a log tail.
    const asked = whileHung.map((entry) => (entry.argv ?? []).slice(0, 2).join(' '));
    expect(asked.sort()).toEqual(['cat /etc/nova/nova.conf', 'ls -ld', 'virsh capabilities', 'virsh list']);
    expect(done.error?.message).toMatch(/libvirt: running on node02, unknown on node01\./);
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: ['node02', 'node01'],
      home: 'node02',
    });
  });
});

describe('a short outage never gives a false outcome', () => {
  it('controller down from 75 % until 40 s after livemig noticed: SUCCEEDED on the destination, the source dir removed, the outage on record', async () => {
    const lab = await start('icehouse-patched');
    const before = await lab.cluster.showServer('web02');
    const { migrationId } = await migrateWithFault(
      lab,
      'web02',
      'node01',
      { kind: 'down', host: 'control01' },
      75,
    );
    const cleared = clearAfterContactLost(lab, 40_000);
    const done = await lab.runner.waitForMigration(migrationId);
    await cleared;

    expect(done.state, done.error?.message).toBe('succeeded');
    const contact = done.journal.filter((e) => e.step === 'contact').map((e) => e.detail);
    expect(contact[0]).toMatch(/stopped answering \(cannot connect to control01/);
    expect(contact.at(-1)).toMatch(/answered again after \d+ s/);
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: ['node02', 'node01'],
      home: 'node01',
    });
  });

  it('a hung destination from 50 % for 40 s: one timeout per attempt, no failure path, SUCCEEDED once it answers', async () => {
    const lab = await start('juno', { limits: { sshCommandTimeoutMs: 1_000, sshConnectTimeoutMs: 1_000 } });
    const before = await lab.cluster.showServer('cache01');
    const { migrationId } = await migrateWithFault(
      lab,
      'cache01',
      'node07',
      { kind: 'hang', host: 'node07' },
      50,
    );
    const cleared = clearAfterContactLost(lab, 40_000);
    const done = await lab.runner.waitForMigration(migrationId);
    await cleared;

    expect(done.state, done.error?.message).toBe('succeeded');
    expect(done.journal.find((e) => e.step === 'contact')?.detail).toMatch(/node07 did not finish within/);
    expect(done.journal.some((e) => e.step === 'settle')).toBe(false);
    // The failure path (its log tails) never ran against the hung host.
    expect(lab.commands('node07').filter((argv) => argv[0] === 'tail')).toEqual([]);
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: ['node08', 'node07'],
      home: 'node07',
    });
  });

  it('an outage past limits.contactLostGiveUpMs leaves the outcome unknown, not failed; the next start reconciles it', async () => {
    const lab = await start('icehouse-patched', { limits: { contactLostGiveUpMs: 60_000 } });
    const before = await lab.cluster.showServer('web02');
    const source = before.host!;
    const destination = source === 'node01' ? 'node02' : 'node01';
    const { migrationId, faultApplied } = await migrateWithFault(
      lab,
      'web02',
      destination,
      { kind: 'down', host: 'control01' },
      75,
    );
    await faultApplied;
    const unknown = await lab.runner.waitForMigration(migrationId);
    expect(unknown.state).toBe('migrating');
    expect(unknown.journal.at(-1)?.detail).toMatch(
      new RegExp(`outcome unknown: no answer for \\d+ s .*\\. web02 may be on ${source} or ${destination}`),
    );
    // Nothing was rolled back while the outcome was unknown.
    expect(await lab.cluster.instanceDirExists(destination, before.uuid).catch(() => null)).toBe(true);

    await lab.lab.faults.apply({ kind: 'clear' });
    const fresh = await lab.restart();
    expect((await fresh.runner.reconcile()).resumed).toEqual([migrationId]);
    await fresh.runner.idle();
    const m = fresh.store.getMigration(migrationId)!;
    expect(m.state, m.error?.message).toBe('succeeded');
    await expectPlacement(lab, {
      uuid: before.uuid,
      instanceName: before.instanceName!,
      hosts: [source, destination],
      home: destination,
    });
  });
});
