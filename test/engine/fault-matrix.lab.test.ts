/**
 * The fault matrix (issue 14's "Done when"): every fault the lab's fault command injects, at every
 * point of a migration. For each cell a real lab (real SSH, simulated clock) runs web02 → node01;
 * the fault goes in when the migration reaches the point, is cleared a while later, livemig
 * finishes (or a fresh runner reconciles what it left unfinished), and then the hosts are read
 * the way an operator would (`nova show`, `virsh list --all`, `ls` over a plain SSH connection,
 * not livemig's executor). What livemig reports must be what the hosts show, and no instance
 * directory may be left anywhere but where the VM runs. A second, smaller matrix lets `down` and
 * `hang` outlast livemig's patience, so that the outcome comes from the next start's reconcile.
 * About a minute on two cores: each cell is its own lab on a simulated clock.
 *
 * Which host a fault hits depends on the point: the host the migration talks to there
 * (pre-flight and preparing: the destination, whose CPU and dir are read/made; copying: the source,
 * whose `virsh domjobinfo` is followed; switchover: the controller, whose `nova show` says the VM
 * moved; verifying: the destination; cleanup: the source, whose dir is removed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NovaRelease } from '../../src/config/schema.js';
import type { ProgressEvent } from '../../src/engine/runner/index.js';
import type { LabFault } from '../../src/lab/index.js';
import type { MigrationRecord, RequestRecord } from '../../src/store/types.js';
import { runOnLab } from '../lab/support/lab-ssh.js';
import { type LabRunner, startLabRunner } from './runner/lab-harness.js';
import { approver, requester } from './runner/outcome-checks.js';

const faults = [
  'down',
  'hang',
  'slow login shell',
  'lossy',
  'auth-fail',
  'rekey',
  'nova-compute-down',
  'no server-migration API',
] as const;
type Fault = (typeof faults)[number];

const points = ['pre-flight', 'preparing', 'copying', 'switchover', 'verifying', 'cleanup'] as const;
type Point = (typeof points)[number];

const vm = 'web02';
const source = 'node02';
const destination = 'node01';
const instancesPath = '/var/lib/nova/instances';

/** Lab time a fault lasts once livemig noticed it (or once it went in, for one nobody notices). */
const faultLastsMs = 30_000;

/**
 * Whether livemig rides the fault out (it keeps asking until the hosts answer) or the fault
 * outlasts limits.contactLostGiveUpMs (livemig leaves the outcome unknown; the fault clears after
 * it gave up, and the next start reconciles).
 */
type Patience = 'rides it out' | 'gives up';

const targetOf: Record<Point, string> = {
  'pre-flight': destination,
  preparing: destination,
  copying: source,
  switchover: 'control01',
  verifying: destination,
  cleanup: source,
};

/**
 * The lab faults, in order, for `fault` on `host`; empty for the one that is a property of the
 * lab's nova.
 */
function labFaults(fault: Fault, host: string): LabFault[] {
  switch (fault) {
    case 'down':
    case 'hang':
      return [{ kind: fault, host }];
    // How a key or an auth config changes mid-run: sshd restarts with it, which cuts the open
    // connections (down, then up again); only then does every new login meet the change.
    case 'auth-fail':
    case 'rekey':
      return [
        { kind: 'down', host },
        { kind: 'clear', host },
        { kind: fault, host },
      ];
    // The fault command's `slow`: every command on the host waits before it answers, as behind a
    // `~/.bashrc` running `pyenv init` (the shared shell lock is slow-login-shell.lab.test.ts's).
    case 'slow login shell':
      return [{ kind: 'slow', host, delayMs: 20_000 }];
    // Half the connections drop mid-answer (after the command ran), as on a flaky link.
    case 'lossy':
      return [{ kind: 'lossy', host, probability: 0.5 }];
    // Only hypervisors run nova-compute: at switchover it is the destination's that goes down.
    case 'nova-compute-down':
      return [{ kind: 'nova-compute-down', host: host === 'control01' ? destination : host }];
    case 'no server-migration API':
      return [];
  }
}

/** True for the event at which the migration has reached `point`. */
function reached(point: Exclude<Point, 'pre-flight'>, e: ProgressEvent): boolean {
  switch (point) {
    case 'preparing':
      return e.kind === 'phase' && e.to === 'preparing';
    case 'copying':
      return e.kind === 'progress';
    // The last round of the copy: at most a tenth of the memory left, or nova already switched.
    case 'switchover':
      return (
        (e.kind === 'progress' && e.memoryRemainingBytes <= e.memoryTotalBytes / 10) ||
        (e.kind === 'milestone' && e.milestone === 'switched_over')
      );
    case 'verifying':
      return e.kind === 'phase' && e.to === 'verifying';
    case 'cleanup':
      return e.kind === 'phase' && e.to === 'cleaning_up';
  }
}

/**
 * The command on the target host that the fault hits: while preparing on patched Icehouse, the
 * instance dir's mkdir (the recheck before it reads the destination like the pre-flight does);
 * elsewhere, and on Juno and later where nova makes the dir, the next one.
 */
function firesOn(release: NovaRelease, point: Point, argv: readonly string[]): boolean {
  return point !== 'preparing' || release !== 'icehouse-patched' || argv[0] === 'mkdir';
}

/** What the hosts show, read over a plain SSH connection as an operator would. */
interface HostsView {
  novaHost: string;
  status: string;
  taskState: string;
  /** libvirt state of the VM's domain per hypervisor ('absent' when not listed). */
  domains: Record<string, string>;
  /** Hypervisors with an instance dir of the VM. */
  dirsOn: string[];
}

async function readHosts(h: LabRunner, uuid: string, instanceName: string): Promise<HostsView> {
  const nova = await runOnLab(h.lab, 'control01', `nova show ${uuid}`);
  expect(nova.code, nova.stderr).toBe(0);
  const property = (name: string) =>
    new RegExp(`^\\|\\s*${name}\\s*\\|\\s*(.*?)\\s*\\|$`, 'm').exec(nova.stdout)?.[1] ?? '?';
  const domains: Record<string, string> = {};
  const dirsOn: string[] = [];
  for (const host of [source, destination]) {
    const list = await runOnLab(h.lab, host, 'virsh list --all');
    const row = list.stdout.split('\n').find((line) => line.trim().split(/\s+/)[1] === instanceName);
    domains[host] = row === undefined ? 'absent' : row.trim().split(/\s+/).slice(2).join(' ');
    const ls = await runOnLab(h.lab, host, `ls ${instancesPath}`);
    if (ls.stdout.split(/\s+/).includes(uuid)) dirsOn.push(host);
  }
  return {
    novaHost: property('OS-EXT-SRV-ATTR:host'),
    status: property('status'),
    taskState: property('OS-EXT-STS:task_state'),
    domains,
    dirsOn,
  };
}

/** The hosts show the VM settled on `home`: ACTIVE there by nova, running only there, dir only there. */
function expectSettledOn(view: HostsView, home: string): void {
  expect(view).toEqual({
    novaHost: home,
    status: 'ACTIVE',
    taskState: '-',
    domains: { [home]: 'running', [home === source ? destination : source]: 'absent' },
    dirsOn: [home],
  });
}

let h: LabRunner | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/**
 * Applies `fault` when the next command reaches `host` (before the lab runs it, as a host fails
 * under a command in flight), or at once for a fault in nova's world, or, without the
 * server-migration API, cancels. Clears it faultLastsMs of lab time after livemig said it lost
 * contact, or when the migration ended without noticing. (A SimClock jumps to the next sleeper
 * while real SSH I/O is in flight, so a fixed lab-time delay from the injection would clear most
 * faults before livemig ever met them.)
 */
function injectThenClear(
  lab: LabRunner,
  release: NovaRelease,
  patience: Patience,
  point: Point,
  host: string,
  fault: LabFault[],
  cancel: () => Promise<void>,
  ended: Promise<unknown>,
): Promise<void> {
  if (fault.length === 0) return cancel();
  const noticed = new Promise<void>((resolve) => {
    const unsubscribe = lab.runner.subscribe((e) => {
      if (e.kind !== 'milestone') return;
      if (patience === 'rides it out' && e.milestone === 'contact_lost') {
        unsubscribe();
        void lab.clock.sleep(faultLastsMs).then(resolve);
      } else if (e.milestone === 'outcome_unknown') {
        unsubscribe();
        resolve();
      }
    });
  });
  const [first, ...rest] = fault as [LabFault, ...LabFault[]];
  const applied =
    first.kind === 'nova-compute-down'
      ? lab.lab.faults.apply(first)
      : new Promise<void>((resolve, reject) => {
          const log = lab.lab.commandLog;
          const record = log.record.bind(log);
          log.record = (entry) => {
            record(entry);
            if (entry.host !== host || !firesOn(release, point, entry.argv ?? [])) return;
            log.record = record;
            // Synchronous up to its first await: in place before the lab runs this command.
            lab.lab.faults.apply(first).then(resolve, reject);
          };
        });
  const missed = ended.then(() => {
    throw new Error(`the migration ended before a command reached ${host}: the fault never went in`);
  });
  return (async () => {
    await Promise.race([applied, missed]);
    for (const step of rest) await lab.lab.faults.apply(step);
    await Promise.race([noticed, ended]);
    await lab.lab.faults.apply({ kind: 'clear' });
  })();
}

/** Runs one cell and returns what livemig reported, after the fault cleared and livemig settled. */
async function runCell(
  fault: Fault,
  point: Point,
  patience: Patience = 'rides it out',
): Promise<{ request: RequestRecord; migration: MigrationRecord | undefined }> {
  const noApi = fault === 'no server-migration API';
  // The main matrix runs on the seed's release (livemig makes and removes the dirs); the one past
  // livemig's patience on Juno (nova makes them, livemig cleans what nova leaves), except while
  // preparing: on Juno that is only the recheck, which a fault blocks at once (nothing to wait for).
  const release: NovaRelease = noApi
    ? 'kilo-or-later'
    : patience === 'gives up' && point !== 'preparing'
      ? 'juno'
      : 'icehouse-patched';
  h = await startLabRunner(release, {
    ...(noApi ? { lab: { serverMigrationApi: false } } : {}),
    limits: {
      sshCommandTimeoutMs: 1_000,
      sshConnectTimeoutMs: 1_000,
      ...(patience === 'gives up' ? { contactLostGiveUpMs: 10_000 } : {}),
    },
  });
  const lab = h;
  const injected = labFaults(fault, targetOf[point]);
  // Without the server-migration API the fault is in nova from the start; what exercises it is a
  // cancel at the point (the abort nova cannot do, so livemig must use virsh domjobabort).
  let cancelled: Promise<unknown> | undefined;
  const cancelNow = async () => {
    cancelled = lab.runner.cancel(migrationIdOf(), requester);
    await cancelled;
  };
  let migrationId: string | undefined;
  const migrationIdOf = () => migrationId!;
  let faultCleared: Promise<void> = Promise.resolve();

  if (point === 'pre-flight') {
    // No server-migration API at pre-flight is meaningless as a fault (the checks never ask
    // nova's migration API): the cell checks that a kilo-or-later nova without it still migrates.
    for (const step of injected) await lab.lab.faults.apply(step);
    const request = await lab.runner.createRequest({ vm, destination, requester });
    await lab.lab.faults.apply({ kind: 'clear' });
    if (request.checks?.verdict === 'block' || request.state !== 'awaiting_approval') {
      return { request, migration: undefined };
    }
    const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
    if (approval.outcome !== 'approved')
      return { request: lab.runner.request(request.id)!, migration: undefined };
    return {
      request: lab.runner.request(request.id)!,
      migration: await lab.runner.waitForMigration(approval.migrationId),
    };
  }

  let fired = false;
  let migrationEnded!: (value: unknown) => void;
  const ended = new Promise((resolve) => {
    migrationEnded = resolve;
  });
  const unsubscribe = lab.runner.subscribe((e) => {
    if (fired || e.migrationId === null || !reached(point, e)) return;
    fired = true;
    unsubscribe();
    faultCleared = injectThenClear(
      lab,
      release,
      patience,
      point,
      targetOf[point],
      injected,
      noApi ? cancelNow : () => Promise.resolve(),
      ended,
    );
  });
  const request = await lab.runner.createRequest({ vm, destination, requester });
  expect(request.checks?.verdict, JSON.stringify(request.checks)).not.toBe('block');
  const approval = await lab.runner.approve(request.id, approver, { actorIsApprover: true });
  if (approval.outcome !== 'approved') throw new Error(JSON.stringify(approval));
  migrationId = approval.migrationId;
  let migration = await lab.runner.waitForMigration(migrationId);
  migrationEnded(undefined);
  expect(fired, `the migration never reached ${point}`).toBe(true);
  await faultCleared;
  await cancelled;
  const finished = ['succeeded', 'failed', 'cancelled'].includes(migration.state);
  if (patience === 'gives up') {
    expect(finished, 'livemig gave up while the fault lasted').toBe(false);
    // What livemig says it does not know: where the VM is, or only what it left behind.
    const asked = migration.journal.some((e) => e.step === 'live_migrate');
    expect(migration.journal.at(-1)?.detail).toMatch(
      asked
        ? `may be on ${source} or ${destination}`
        : `${vm} did not move (nova was never asked), but what this attempt left on ${destination} is not known yet`,
    );
  }
  if (!finished) {
    // livemig gave up asking: the next start reconciles, as `livemig serve` or any command would.
    const fresh = await lab.restart();
    await fresh.runner.reconcile();
    await fresh.runner.idle();
    migration = fresh.store.getMigration(migrationId)!;
  }
  return { request: lab.runner.request(request.id)!, migration };
}

/** What livemig reported is what the hosts show, and the only instance dir is where the VM runs. */
async function expectTruthful(
  fault: Fault,
  point: Point,
  patience: Patience = 'rides it out',
): Promise<void> {
  const { request, migration } = await runCell(fault, point, patience);
  const lab = h!;
  const server = await lab.cluster.showServer(vm);
  const view = await readHosts(lab, server.uuid, server.instanceName!);
  if (migration === undefined) {
    // Refused before anything moved: the refusal names the host that failed, and nothing moved.
    const blocking = (request.checks?.checks ?? []).filter((c) => c.status === 'block');
    expect(blocking.map((c) => `${c.title}: ${c.explanation}`).join('\n')).toContain(targetOf[point]);
    expectSettledOn(view, source);
    return;
  }
  expect(['succeeded', 'failed', 'cancelled'], JSON.stringify(migration.journal)).toContain(migration.state);
  if (migration.state === 'succeeded') {
    expectSettledOn(view, destination);
    return;
  }
  // Failed or cancelled: the VM stayed on the source, and the message says so.
  expectSettledOn(view, source);
  const message =
    migration.state === 'failed'
      ? (migration.error?.message ?? '')
      : (migration.journal.find((e) => e.detail?.startsWith('Cancelled by'))?.detail ?? '');
  expect(message).toContain(`${vm} is ACTIVE on ${source} by nova`);
  expect(message, 'one sentence, one full stop').not.toContain('..');
  // Without the server-migration API a copy in flight is stopped through libvirt on the source.
  const begun = migration.journal.some((e) => e.step === 'live_migrate' && e.phase === 'done');
  if (fault === 'no server-migration API' && begun) {
    expect(lab.commands(source).map((argv) => argv.slice(0, 2).join(' '))).toContain('virsh domjobabort');
  }
  // Transport faults never stop nova: once nova accepted the migration, the VM moved (only a
  // cancel, in the no-API row, may bring it back).
  if (fault !== 'no server-migration API') {
    expect(migration.journal.some((e) => e.step === 'live_migrate' && e.phase === 'done')).toBe(false);
  }
}

describe.each(faults)('fault matrix: %s', (fault) => {
  it.each(points)(`at %s: livemig's outcome is what the hosts show, and no dir is left behind`, (point) =>
    expectTruthful(fault, point),
  );
});

// Faults that outlast livemig's patience (on Juno, see runCell): the migration is left unfinished, and a fresh
// runner (as the next `livemig serve` or command would) reconciles it once the hosts answer.
// Pre-flight has no patience to outlast: a check that cannot reach a host blocks at once.
describe.each(['down', 'hang'] as const)('fault matrix: %s past limits.contactLostGiveUpMs', (fault) => {
  it.each(points.filter((p) => p !== 'pre-flight'))(
    'at %s: the reconciled outcome is what the hosts show, and no dir is left behind',
    (point) => expectTruthful(fault, point, 'gives up'),
  );
});
