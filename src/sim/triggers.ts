import type { Clock } from '../util/clock.js';

/** Slack lets an app use a trigger_id once, within 3 seconds of the user's action. */
const triggerLifetimeMs = 3000;

interface Trigger {
  userId: string;
  issuedAtMs: number;
}

/** Outcome of redeeming a trigger_id in views.open / views.push. */
export type TriggerUse =
  | { ok: true; userId: string }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' };

/**
 * trigger_ids handed out with slash commands and interactions. Expiry runs on the wall clock the
 * app lives on (like the ack deadline), not on the workspace's simulated clock.
 */
export class TriggerRegistry {
  readonly #clock: Clock;
  readonly #triggers = new Map<string, Trigger>();
  #counter = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** A new trigger_id for an action by `userId`. */
  issue(userId: string): string {
    this.#counter += 1;
    const id = `${this.#counter}.${Math.floor(this.#clock.now() / 1000)}.${this.#counter.toString(16).padStart(32, '0')}`;
    this.#triggers.set(id, { userId, issuedAtMs: this.#clock.now() });
    return id;
  }

  /** Redeems a trigger_id once. */
  use(triggerId: string): TriggerUse {
    const trigger = this.#triggers.get(triggerId);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    this.#triggers.delete(triggerId);
    if (this.#clock.now() - trigger.issuedAtMs > triggerLifetimeMs)
      return { ok: false, error: 'expired_trigger_id' };
    return { ok: true, userId: trigger.userId };
  }
}
