/**
 * Carries out an approved drain plan: disables nova-compute on the sources so nothing new is
 * scheduled there, then moves each VM as an ordinary request and migration of the runner (its own
 * pre-flight again at the moment it starts, its own journal, limits and queue), in the plan's
 * order and never more at once than the limits allow. The first failure stops new starts unless
 * the operator said to go on. At the end it asks nova and libvirt what is still on the sources.
 *
 * What survives a kill: each move is a durable request + migration of the runner, so a restarted
 * livemig finishes or reports the ones in flight; the sources stay disabled; moves not started yet
 * are simply not started, and running the drain again plans what is left.
 */
import { randomBytes } from 'node:crypto';
import {
  type DomainListEntry,
  listDomains,
  listServers,
  type ServerSummary,
  serviceDisable,
} from '../../cluster/index.js';
import type { Config } from '../../config/schema.js';
import { userMessage } from '../../errors.js';
import type { RemoteExecutor } from '../../ssh/types.js';
import type { Actor, MigrationRecord } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { MigrationRunner } from '../runner/index.js';
import type { DrainAssignment, DrainPlan } from './plan.js';

export interface DrainRunServices {
  config: Config;
  clock: Clock;
  executor: RemoteExecutor;
  runner: MigrationRunner;
}

export interface DrainRunOptions {
  actor: Actor;
  /** Disable nova-compute on the plan's sources first (a drain); false when moving VMs back. */
  disableSources: boolean;
  acceptedDowntimeMs?: number | undefined;
  /** Go on starting moves after one failed (default: stop new starts). */
  continueOnFailure: boolean;
}

/** How one planned move ended. */
export interface DrainMove {
  vm: DrainAssignment['vm'];
  source: string;
  destination: string;
  state:
    | 'succeeded'
    | 'failed'
    | 'cancelled'
    /** livemig gave up reading its outcome; the migration stays open (see `status`). */
    | 'unknown'
    /** Its pre-flight at the start blocked it (something changed since the plan). */
    | 'blocked'
    /** Not started: an earlier move failed and the drain stopped starting new ones. */
    | 'not_started'
    | 'running';
  requestId?: string;
  migrationId?: string;
  /** The guest's pause and the migration's duration, when it succeeded. */
  pauseMs?: number | null;
  durationMs?: number;
  message: string;
}

/** What is still on a source after the drain (disabled by it), as nova and libvirt tell. */
export interface SourceAfterDrain {
  host: string;
  /** nova list --host HOST --all-tenants. */
  servers: ServerSummary[] | null;
  /** virsh list --all on the host. */
  domains: DomainListEntry[] | null;
  /** Why a question could not be answered. */
  errors: string[];
}

export interface DrainRunResult {
  /** Stamped on every move's request (drainId): `undrain --return` finds the moves by it. */
  drainId: string;
  moves: DrainMove[];
  /** The sources it disabled, asked what is left there (none when moving VMs back). */
  sources: SourceAfterDrain[];
  startedAt: number;
  finishedAt: number;
}

export async function runDrain(
  services: DrainRunServices,
  plan: DrainPlan,
  options: DrainRunOptions,
): Promise<DrainRunResult> {
  const { config, clock, executor, runner } = services;
  const controller = config.cluster.controller.name;
  const startedAt = clock.now();
  const sources = options.disableSources ? [...plan.sources] : [];
  const drainId = `drn-${randomBytes(4).toString('hex')}`;
  const reason = `livemig drain ${drainId} by ${options.actor.name ?? options.actor.id} at ${new Date(startedAt).toISOString().slice(0, 16)}Z`;
  for (const host of sources) await serviceDisable(executor, controller, { host, reason });

  const moves: DrainMove[] = plan.assignments.map((a) => ({
    vm: a.vm,
    source: a.source,
    destination: a.destination,
    state: 'not_started',
    message: 'not started',
  }));
  // The moves under way, each with the wait for its end.
  const moving = new Map<DrainMove, Promise<void>>();
  let stopped: string | null = null;
  // The drain starts a move only when the runner can start it at once (the limits, counted over
  // the drain's own moves), so a failure stops new starts before the runner's queue could.
  const { limits } = config;
  const count = (same: (other: DrainMove) => boolean) => [...moving.keys()].filter(same).length;
  const hasRoom = (move: DrainMove) =>
    moving.size < limits.maxConcurrentMigrations &&
    count((other) => other.source === move.source) < limits.maxMigrationsPerSourceHost &&
    count((other) => other.destination === move.destination) < limits.maxMigrationsPerDestinationHost;
  const pending = [...moves];
  while (pending.length > 0 && stopped === null) {
    // The plan's order, skipping only a move whose hosts are busy (as the plan's schedule does).
    const index = pending.findIndex(hasRoom);
    if (index < 0) {
      await Promise.race(moving.values());
      continue;
    }
    const [move] = pending.splice(index, 1) as [DrainMove];
    const started = await startMove(runner, move, drainId, options);
    if (started === null) continue;
    moving.set(
      move,
      runner.waitForMigration(started).then((m) => {
        moving.delete(move);
        finishMove(move, m);
        if (move.state !== 'succeeded' && !options.continueOnFailure && stopped === null) {
          stopped = `${move.vm.name} ${move.state}`;
        }
      }),
    );
  }
  await Promise.all(moving.values());
  for (const move of moves) {
    if (move.state === 'not_started' && stopped !== null) {
      move.message = `not started: the drain stopped after ${stopped} (--continue-on-failure goes on)`;
    }
  }
  const after = await Promise.all(sources.map((host) => whatIsLeft(executor, controller, host)));
  return { drainId, moves, sources: after, startedAt, finishedAt: clock.now() };
}

/** Creates the move's request (its own pre-flight) and approves it; null when it did not start. */
async function startMove(
  runner: MigrationRunner,
  move: DrainMove,
  drainId: string,
  options: DrainRunOptions,
): Promise<string | null> {
  const request = await runner.createRequest({
    drainId,
    vm: move.vm.uuid,
    destination: move.destination,
    requester: options.actor,
    options: {
      blockMigrate: false,
      ...(options.acceptedDowntimeMs === undefined ? {} : { acceptedDowntimeMs: options.acceptedDowntimeMs }),
    },
  });
  move.requestId = request.id;
  if (request.state !== 'awaiting_approval') {
    const block = request.checks?.checks.find((check) => check.status === 'block');
    move.state = 'blocked';
    move.message = `blocked when it was due: ${block ? `${block.title}: ${block.explanation}` : request.state}`;
    return null;
  }
  const approval = await runner.approve(request.id, options.actor, { actorIsApprover: true });
  if (approval.outcome !== 'approved') {
    move.state = 'blocked';
    move.message = approval.outcome === 'refused' ? approval.message : `not approved (${approval.outcome})`;
    return null;
  }
  move.migrationId = approval.migrationId;
  move.state = 'running';
  move.message = `moving to ${move.destination}`;
  return approval.migrationId;
}

function finishMove(move: DrainMove, m: MigrationRecord): void {
  move.state =
    m.state === 'succeeded' || m.state === 'failed' || m.state === 'cancelled' ? m.state : 'unknown';
  if (m.state === 'succeeded') {
    move.pauseMs = m.result?.downtimeMs ?? null;
    if (m.result?.durationMs !== undefined) move.durationMs = m.result.durationMs;
    move.message = `now on ${m.destination}`;
  } else {
    move.message = m.error?.message ?? m.journal.at(-1)?.detail ?? m.state;
  }
}

async function whatIsLeft(
  executor: RemoteExecutor,
  controller: string,
  host: string,
): Promise<SourceAfterDrain> {
  const errors: string[] = [];
  const [servers, domains] = await Promise.all([
    listServers(executor, controller, { host }).catch((error: unknown) => {
      errors.push(`nova list --host ${host}: ${userMessage(error).split('\n')[0]}`);
      return null;
    }),
    listDomains(executor, host, {}).catch((error: unknown) => {
      errors.push(`virsh list --all on ${host}: ${userMessage(error).split('\n')[0]}`);
      return null;
    }),
  ]);
  return { host, servers, domains, errors };
}
