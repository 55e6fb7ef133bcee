/**
 * What the runner tells its surfaces (the CLI progress bar, the Slack status message) while a
 * migration runs: a typed union, one case per kind, so each surface has one formatter per kind.
 */
import type { ProgressSnapshot } from '../../store/types.js';
import type { LifecycleState } from './transitions.js';

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

export type ProgressEventKind = ProgressEvent['kind'];

/** An event without the fields every event shares (what a step reports). */
export type ProgressPayload = ProgressEvent extends infer E
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
