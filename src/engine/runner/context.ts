/**
 * What every part of the runner shares: its ports and settings, the journal (every state change and
 * every step goes through it, on disk before the side effect it announces) and the events the
 * surfaces follow.
 */
import type { Config, NovaRelease } from '../../config/schema.js';
import type { Store } from '../../store/index.js';
import type {
  Actor,
  JournalEntry,
  MigrationOutcome,
  MigrationRecord,
  ProgressSnapshot,
  StepPhase,
} from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { MigrationCluster } from '../cluster-port.js';
import type { Prechecker } from './precheck.js';
import { assertTransition, isTerminal, type LifecycleState } from './transitions.js';

/** The limits admission enforces (runner.ts). */
export type Limits = Pick<
  Config['limits'],
  'maxConcurrentMigrations' | 'maxMigrationsPerSourceHost' | 'maxMigrationsPerDestinationHost'
>;

export interface RunnerSettings {
  release: NovaRelease;
  /** Inventory name of the controller: the host every nova call goes to. */
  controller: string;
  instancesPath: string;
  limits: Limits & {
    migrationPollIntervalMs: number;
    downtimeBudgetMs: number;
    contactLostGiveUpMs: number;
  };
  approval: { twoPersonRule: boolean; expiryMinutes: number };
  /** nova's live_migration_completion_timeout (s per GiB): how long livemig waits for nova. */
  completionTimeoutSecPerGiB: number;
}

export interface RunnerContext {
  store: Store;
  cluster: MigrationCluster;
  precheck: Prechecker;
  clock: Clock;
  hub: EventHub;
  settings: RunnerSettings;
  /** The actor livemig acts as for steps it takes on its own. */
  system: Actor;
}

/** The runner settings from a loaded livemig.yml. */
export function runnerSettings(config: Config): RunnerSettings {
  return {
    release: config.nova.release,
    controller: config.cluster.controller.name,
    instancesPath: config.nova.instancesPath,
    limits: config.limits,
    approval: { twoPersonRule: config.approval.twoPersonRule, expiryMinutes: config.approval.expiryMinutes },
    completionTimeoutSecPerGiB: config.nova.completionTimeoutSecPerGiB,
  };
}

export const systemActor: Actor = { id: 'livemig', via: 'system' };

// What the runner tells its surfaces (the CLI progress bar, the Slack status message) while a
// migration runs: a typed union, one case per kind, so each surface has one formatter per kind.

export type MilestoneKind =
  | 'approved'
  | 'dir_prepared'
  | 'migration_started'
  | 'switched_over'
  | 'verified'
  | 'cleaned_up'
  /** Hosts stopped answering after the migration began; livemig keeps asking. */
  | 'contact_lost'
  | 'contact_regained'
  /** livemig gave up asking: the migration stays unfinished until the next reconcile. */
  | 'outcome_unknown';

interface EventBase {
  /** null for events about a request that has no migration yet (a reboot warning). */
  migrationId: string | null;
  requestId: string;
  vm: { uuid: string; name: string };
  at: number;
}

export type ProgressEvent = EventBase &
  (
    | { kind: 'phase'; from: LifecycleState; to: LifecycleState }
    | ({ kind: 'progress' } & Omit<ProgressSnapshot, 'at'>)
    | { kind: 'milestone'; milestone: MilestoneKind; detail: string }
    | { kind: 'queued'; position: number; reason: string }
    | { kind: 'reboot_warning'; message: string }
    /** A hard-reboot request's reboot was sent, and how it ended (migrationId is null). */
    | { kind: 'reboot_started' }
    | { kind: 'reboot_finished'; result: string; message: string }
    | { kind: 'finished'; durationMs: number; downtimeMs: number | null; dataSentBytes: number | null }
    | { kind: 'failed'; message: string; step: string | null; logExcerpt: string | null }
    | { kind: 'cancelled'; actor: string; message: string }
  );

/** An event without the fields every event shares (what a step reports). */
type ProgressPayload = ProgressEvent extends infer E
  ? E extends ProgressEvent
    ? Omit<E, keyof EventBase>
    : never
  : never;

export type ProgressListener = (event: ProgressEvent) => void;

/** Fan-out to subscribers; a throwing subscriber never breaks the runner or the others. */
export class EventHub {
  readonly #listeners = new Set<ProgressListener>();

  /** Registers `listener`; returns the function that removes it. */
  subscribe(listener: ProgressListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: ProgressEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A surface failing to render must not stop a migration; the surface logs its own errors.
      }
    }
  }
}

/** Emits `payload` about migration `m`, stamped with the clock's time. */
export function emitFor(ctx: RunnerContext, m: MigrationRecord, payload: ProgressPayload): void {
  ctx.hub.emit({
    ...payload,
    migrationId: m.id,
    requestId: m.requestId,
    vm: m.vm,
    at: ctx.clock.now(),
  } as ProgressEvent);
}

// Journal and state changes of a migration record. Each helper is one atomic store write that is
// on disk before it resolves: the runner writes "started" BEFORE it touches the cluster, so after
// a crash the journal tells which side effects may have happened.

/** How far a step got according to the journal. */
type StepStatus = 'not_started' | StepPhase;

/** The latest phase journaled for `step` (pure). */
export function stepStatus(journal: readonly JournalEntry[], step: string): StepStatus {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i]!;
    if (entry.step === step) return entry.phase;
  }
  return 'not_started';
}

/** Appends one journal line (and an audit event with the same facts). */
export function journalStep(
  store: Store,
  migrationId: string,
  entry: { step: string; phase: StepPhase; actor: Actor; detail?: string },
  patch: Partial<MigrationRecord> = {},
): Promise<MigrationRecord> {
  return store.updateMigration(migrationId, (current, now) => {
    const line: JournalEntry = { step: entry.step, phase: entry.phase, at: now, actor: entry.actor };
    if (entry.detail !== undefined) line.detail = entry.detail;
    const next: MigrationRecord = { ...current, ...patch, journal: [...current.journal, line] };
    return {
      next,
      value: next,
      audit: [
        {
          actor: entry.actor,
          kind: `step_${entry.phase}`,
          vm: current.vm,
          detail: entry.detail === undefined ? entry.step : `${entry.step}: ${entry.detail}`,
        },
      ],
    };
  });
}

/**
 * Moves a migration to `to` (checked against the transition table) and journals the change.
 * Resolves with the record before and after, or null when the migration already moved on
 * (another caller won the race), so callers never overwrite a newer state.
 */
export function transitionMigration(
  store: Store,
  migrationId: string,
  to: LifecycleState,
  actor: Actor,
  patch: Partial<MigrationRecord> = {},
  detail?: string,
): Promise<{ from: LifecycleState; record: MigrationRecord } | null> {
  return store.updateMigration(migrationId, (current, now) => {
    if (isTerminal(current.state) || current.state === to) return { value: null };
    assertTransition(current.state, to, `migration ${migrationId}`);
    const line: JournalEntry = { step: `state:${to}`, phase: 'done', at: now, actor };
    if (detail !== undefined) line.detail = detail;
    const next: MigrationRecord = {
      ...current,
      ...patch,
      state: to as MigrationRecord['state'],
      journal: [...current.journal, line],
    };
    if (isTerminal(to)) next.finishedAt = now;
    return {
      next,
      value: { from: current.state, record: next },
      audit: [
        { actor, kind: `migration_${to}`, vm: current.vm, ...(detail === undefined ? {} : { detail }) },
      ],
    };
  });
}

// The result of one step: expected outcomes are values, so a failed step is data, not a throw.

export type StepOutcome =
  | { status: 'done'; detail: string; milestone?: MilestoneKind; result?: MigrationOutcome }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

/** A migration being driven by this runner. */
export interface ActiveRun {
  ctx: RunnerContext;
  migrationId: string;
  /** The record as last read (refreshed after each write). */
  record(): MigrationRecord;
  /** True once someone asked to cancel. */
  cancelRequested(): boolean;
}

export function done(detail: string, milestone?: MilestoneKind): StepOutcome {
  return milestone === undefined ? { status: 'done', detail } : { status: 'done', detail, milestone };
}

export function failed(message: string): StepOutcome {
  return { status: 'failed', message };
}
