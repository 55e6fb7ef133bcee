/**
 * Locks and limits as a pure function: which approved migrations may start now. One migration per
 * VM; at most maxMigrationsPerSourceHost out of a host, maxMigrationsPerDestinationHost into one,
 * maxConcurrentMigrations in all. Whatever does not fit waits in approval order — never dropped.
 */
import type { Config } from '../../config/schema.js';

export type Limits = Pick<
  Config['limits'],
  'maxConcurrentMigrations' | 'maxMigrationsPerSourceHost' | 'maxMigrationsPerDestinationHost'
>;

export interface SlotHolder {
  id: string;
  vmUuid: string;
  source: string;
  destination: string;
}

export interface Admission {
  /** Ids that may start now, in queue order. */
  start: string[];
  /** Ids that keep waiting, with their 1-based position in the queue. */
  waiting: { id: string; position: number; reason: string }[];
}

/** Decides admission for `queued` (oldest first) given the migrations `running` now. */
export function admit(
  running: readonly SlotHolder[],
  queued: readonly SlotHolder[],
  limits: Limits,
): Admission {
  const active = [...running];
  const start: string[] = [];
  const waiting: Admission['waiting'] = [];
  for (const candidate of queued) {
    const reason = blockingReason(active, candidate, limits);
    if (reason === null) {
      start.push(candidate.id);
      active.push(candidate);
    } else {
      waiting.push({ id: candidate.id, position: waiting.length + 1, reason });
    }
  }
  return { start, waiting };
}

function blockingReason(active: readonly SlotHolder[], candidate: SlotHolder, limits: Limits): string | null {
  if (active.some((m) => m.vmUuid === candidate.vmUuid)) return 'another migration of this VM is running';
  if (active.length >= limits.maxConcurrentMigrations) {
    return `${limits.maxConcurrentMigrations} migrations are running (maxConcurrentMigrations)`;
  }
  const outOf = active.filter((m) => m.source === candidate.source).length;
  if (outOf >= limits.maxMigrationsPerSourceHost) {
    return `${candidate.source} already sends ${outOf} (maxMigrationsPerSourceHost)`;
  }
  const into = active.filter((m) => m.destination === candidate.destination).length;
  if (into >= limits.maxMigrationsPerDestinationHost) {
    return `${candidate.destination} already receives ${into} (maxMigrationsPerDestinationHost)`;
  }
  return null;
}
