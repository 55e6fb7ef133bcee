/**
 * The pure half of a drain: what a drain record says and how it changes, with no I/O. A plan as
 * the record holds it, what changed between two plans (the re-check at approval), the limits a
 * move starts under, how a move's migration ended, and the words for a drain's state.
 */
import { LivemigError } from '../../errors.js';
import type {
  Actor,
  Decision,
  DrainMoveRecord,
  DrainRecord,
  DrainState,
  MigrationRecord,
  RequestRecord,
} from '../../store/types.js';
import { formatDuration } from '../../util/format.js';
import { evaluateDecision, isTerminal, systemActor } from '../runner/index.js';
import type { DrainPlan, MoveOverhead } from './plan.js';

/** What to drain: the words of `drain …`, or the moves back of `undrain --return`. */
export interface DrainSpec {
  sources: string[];
  to?: string[] | undefined;
  acceptedDowntimeMs?: number | undefined;
  continueOnFailure: boolean;
  /** `undrain --return`: the drain whose VMs come back, the host, and those VMs (by uuid). */
  returnOf?: { drainId: string; host: string; vms: string[] };
  campaignId?: string;
}

const terminal: readonly DrainState[] = ['rejected', 'expired', 'finished', 'cancelled'];
/** States in which a process drives the drain (moves running or to start). */
export const drivenStates: readonly DrainState[] = ['running', 'paused', 'stopped', 'cancelling'];

export function isDrainFinished(state: DrainState): boolean {
  return terminal.includes(state);
}

/** A plan as a drain record holds it (and as a dry run shows it). */
export type DrainPlanView = Pick<
  DrainRecord,
  | 'sources'
  | 'plannedAt'
  | 'moves'
  | 'left'
  | 'notes'
  | 'predictedMakespanMs'
  | 'lowerBoundMs'
  | 'moveOverhead'
>;

/** The plan's fields of a drain record. */
export function planView(plan: DrainPlan, now: number): DrainPlanView {
  return {
    sources: [...plan.sources],
    plannedAt: now,
    moves: plan.assignments.map((a) => ({
      vm: { uuid: a.vm.uuid, name: a.vm.name },
      source: a.source,
      destination: a.destination,
      order: a.order,
      predicted: {
        durationMs: a.durationMs,
        pauseMs: a.prediction.live && !a.prediction.dirtyRateMeasured ? null : a.pauseMs,
        live: a.prediction.live,
        warnings: a.warnings.map((w) => w.title),
      },
      state: 'queued',
      message: 'queued',
    })),
    left: plan.unmovable.map((u) => ({
      vm: { uuid: u.vm.uuid, name: u.vm.name },
      source: u.source,
      reason: u.reason,
      explanation: u.explanation,
      fix: u.fix,
    })),
    notes: [
      ...plan.domainMismatches.map((mismatch) =>
        Object.entries(mismatch)
          .map(([key, value]) => `${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(', '),
      ),
      ...(plan.assignments.length > 0 ? [overheadNote(plan.moveOverhead)] : []),
    ],
    predictedMakespanMs: plan.predictedMakespanMs,
    lowerBoundMs: plan.lowerBoundMs,
    ...(plan.moveOverhead ? { moveOverhead: { ...plan.moveOverhead } } : {}),
  };
}

/** How the plan's times count what a move takes besides its copy. */
function overheadNote(overhead: MoveOverhead | null): string {
  if (overhead === null) {
    return 'times count the copies only: livemig has no finished drain move yet to learn the rest of a move from (its pre-flight, nova’s own steps), so expect a few seconds more per move';
  }
  return `each move counts ~${formatDuration(overhead.ms)} besides its copy (its pre-flight, nova’s own steps): the median of livemig’s last ${overhead.learnedFrom} drain move(s)`;
}

/** How many of livemig's latest drain moves the overhead is learned from. */
const overheadSample = 20;

/**
 * What a drain move takes besides its copy, from livemig's own latest drain moves that
 * succeeded: from the move's request to the end of its migration, less libvirt's copy time and
 * any time no livemig process drove it. The median, so one slow host does not skew it; null with
 * nothing to learn from.
 */
export function learnedMoveOverhead(
  requests: readonly RequestRecord[],
  migrations: readonly MigrationRecord[],
): MoveOverhead | null {
  const byId = new Map(migrations.map((m) => [m.id, m]));
  const samples = requests
    .filter((r) => r.drainId !== undefined && r.migrationId !== undefined)
    .map((r) => ({ request: r, migration: byId.get(r.migrationId!) }))
    .flatMap(({ request, migration }) =>
      migration?.state === 'succeeded' &&
      migration.finishedAt !== undefined &&
      typeof migration.result?.copyMs === 'number'
        ? [
            {
              at: migration.finishedAt,
              ms:
                migration.finishedAt -
                request.createdAt -
                migration.result.copyMs -
                (migration.result.unattendedMs ?? 0),
            },
          ]
        : [],
    )
    .sort((a, b) => b.at - a.at)
    .slice(0, overheadSample)
    .map((sample) => Math.max(0, sample.ms))
    .sort((a, b) => a - b);
  if (samples.length === 0) return null;
  return { ms: samples[Math.floor(samples.length / 2)]!, learnedFrom: samples.length };
}

/** The spec a recorded drain was planned from (re-checked at approval). */
export function specOf(drain: DrainRecord): DrainSpec {
  return {
    sources: drain.sources,
    to: drain.options.to,
    acceptedDowntimeMs: drain.options.acceptedDowntimeMs,
    continueOnFailure: drain.options.continueOnFailure,
    ...(drain.returnOf
      ? { returnOf: { ...drain.returnOf, vms: [...drain.moves, ...drain.left].map((m) => m.vm.uuid) } }
      : {}),
  };
}

/** What differs between the plan a drain shows and a fresh one, as the approver reads it. */
export function planChanges(drain: DrainRecord, plan: DrainPlan): string[] {
  const before = new Map(drain.moves.map((m) => [m.vm.uuid, m]));
  const leftBefore = new Map(drain.left.map((l) => [l.vm.uuid, l]));
  const changes: string[] = [];
  // A VM the shown plan left that could move now is no change to ask about on its own: the drain
  // runs the plan the approver saw, so it stays, as shown (a borderline VM, whose re-measured dirty
  // rate tips it either way, would otherwise make every approval a new "plan changed"). When the
  // plan changes anyway, the new plan moves it, so it is named with the rest.
  const canMoveNow: string[] = [];
  for (const a of plan.assignments) {
    const was = before.get(a.vm.uuid);
    if (was && was.destination !== a.destination)
      changes.push(`${a.vm.name} now goes to ${a.destination} (was ${was.destination})`);
    else if (!was && leftBefore.has(a.vm.uuid))
      canMoveNow.push(`${a.vm.name} can move now (to ${a.destination})`);
    else if (!was) changes.push(`${a.vm.name} is new on ${a.source} (to ${a.destination})`);
  }
  const after = new Set(plan.assignments.map((a) => a.vm.uuid));
  for (const u of plan.unmovable) {
    if (before.has(u.vm.uuid)) changes.push(`${u.vm.name} cannot move any more: ${u.explanation}`);
    else if (!leftBefore.has(u.vm.uuid))
      changes.push(`${u.vm.name} is new on ${u.source} and cannot move: ${u.explanation}`);
    after.add(u.vm.uuid);
  }
  for (const [uuid, was] of [...before, ...leftBefore]) {
    if (!after.has(uuid)) changes.push(`${was.vm.name} is no longer on ${was.source}`);
  }
  return changes.length > 0 ? [...changes, ...canMoveNow] : [];
}

/**
 * Whether two versions of a drain show the same plan: an approval goes ahead on the plan its
 * approver saw, whatever else changed in the record meanwhile (the card's Slack refs are recorded
 * after the card is posted, and a quick approver can click before that).
 */
export function samePlan(a: DrainRecord, b: DrainRecord): boolean {
  const planOf = (d: DrainRecord) =>
    JSON.stringify([
      d.plannedAt,
      d.moves.map((m) => [m.vm.uuid, m.destination]),
      d.left.map((l) => l.vm.uuid),
    ]);
  return planOf(a) === planOf(b);
}

/** Whether the limits let `move` start now, counting the drain's running moves. */
export function hasRoom(
  drain: DrainRecord,
  move: DrainMoveRecord,
  limits: {
    maxConcurrentMigrations: number;
    maxMigrationsPerSourceHost: number;
    maxMigrationsPerDestinationHost: number;
  },
): boolean {
  const running = drain.moves.filter((m) => m.state === 'running');
  return (
    running.length < limits.maxConcurrentMigrations &&
    running.filter((m) => m.source === move.source).length < limits.maxMigrationsPerSourceHost &&
    running.filter((m) => m.destination === move.destination).length < limits.maxMigrationsPerDestinationHost
  );
}

export function withMove(drain: DrainRecord, uuid: string, patch: Partial<DrainMoveRecord>): DrainRecord {
  const index = drain.moves.findIndex((m) => m.vm.uuid === uuid);
  if (index < 0) throw new LivemigError('not_found', `drain ${drain.id} has no move of ${uuid}`);
  const moves = [...drain.moves];
  moves[index] = { ...moves[index]!, ...patch };
  return { ...drain, moves };
}

export function outcomeOf(m: MigrationRecord): {
  state: DrainMoveRecord['state'];
  message: string;
  numbers: Pick<DrainMoveRecord, 'pauseMs' | 'durationMs'>;
} {
  if (m.state === 'succeeded') {
    return {
      state: 'succeeded',
      message: `now on ${m.destination}`,
      numbers: {
        pauseMs: m.result?.downtimeMs ?? null,
        ...(m.result?.durationMs === undefined ? {} : { durationMs: m.result.durationMs }),
      },
    };
  }
  const message = m.error?.message ?? m.journal.at(-1)?.detail ?? m.state;
  if (m.state === 'failed' || m.state === 'cancelled') return { state: m.state, message, numbers: {} };
  // The runner stopped driving it without an end: its hosts stopped answering.
  return { state: isTerminal(m.state) ? 'failed' : 'unknown', message, numbers: {} };
}

/** Failed because livemig restarted before nova had the migration (see driver.ts, resolveInterrupted). */
export function stoppedByRestart(m: MigrationRecord): boolean {
  if (m.startedAt === undefined) return true;
  const resumed = m.journal.some((e) => e.step === 'resume');
  const novaHadIt = m.journal.some((e) => e.step === 'live_migrate' && e.phase === 'done');
  return resumed && !novaHadIt;
}

export function notStartedWhy(drain: DrainRecord): string {
  // A pause's reason ends with the pause (#control), so what is left here is a failure's.
  if (drain.stoppedBecause)
    return `not started: the drain stopped after ${drain.stoppedBecause} (--continue-on-failure goes on)`;
  return 'not started: the drain was cancelled';
}

export function describeState(state: DrainState): string {
  switch (state) {
    case 'awaiting_approval':
      return 'is awaiting approval';
    case 'running':
      return 'is running';
    case 'paused':
      return 'is paused (no new move starts)';
    case 'stopped':
      return 'stopped after a failure (no new move starts)';
    case 'cancelling':
      return 'is being cancelled';
    default:
      return `was ${state}`;
  }
}

/**
 * A drain or campaign awaiting approval whose time ran out, as it ends; null when it is not due
 * (decided meanwhile). Pure: the caller applies it in its compare-and-set.
 */
export function expiredNow<
  R extends { state: string; expiresAt: number; decisions: Decision[]; finishedAt?: number },
>(current: R, at: number): R | null {
  if (current.state !== 'awaiting_approval' || current.expiresAt > at) return null;
  return {
    ...current,
    state: 'expired',
    finishedAt: at,
    decisions: [...current.decisions, { kind: 'expired', actor: systemActor, at }],
  };
}

/** What a drain or campaign needs to be decided like a migration request. */
interface Decidable {
  state: string;
  decisions: Decision[];
  expiresAt: number;
  requester: Actor;
}

/**
 * Whether `actor` may approve or reject `record` now: the migration request's rules
 * (evaluateDecision: the first decision wins, expiry, approvers only, the two-person rule), with
 * the record awaiting approval or past it.
 */
export function decisionRefusal(
  record: Decidable,
  attempt: { kind: 'approve' | 'reject'; actor: Actor; actorIsApprover: boolean; nowMs: number },
  twoPersonRule: boolean,
): { code: string; message: string } | null {
  const asRequest = {
    ...record,
    state: record.state === 'awaiting_approval' ? 'awaiting_approval' : 'approved',
  } as const;
  const verdict = evaluateDecision(asRequest, attempt, { twoPersonRule });
  return verdict.allowed ? null : { code: verdict.code, message: verdict.message };
}

/** Who approved a drain or campaign: its moves are approved in that person's name. */
export function approverOf(record: { decisions: Decision[]; requester: Actor }): Actor {
  return record.decisions.find((d) => d.kind === 'approved')?.actor ?? record.requester;
}
