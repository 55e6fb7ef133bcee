/**
 * Coalesced edits of status messages: per key (a migration) at most one edit every
 * `minIntervalMs`, all keys together within a token bucket, and only the latest state is sent
 * (a newer update replaces one still waiting). Runs beside the migration, never in its way: a
 * slow or failing Slack only delays or drops an edit.
 */
import type { Clock } from '../util/clock.js';
import { type BotLogger, describeError } from './logger.js';

export interface StatusNotifierOptions {
  clock: Clock;
  logger: BotLogger;
  /** Minimum time between two edits of one message (default 3 s). */
  minIntervalMs?: number;
  /** The global edit budget (default: bursts of 10, 50 a minute, chat.update's Tier 3). */
  budget?: { capacity: number; perMinute: number };
}

interface KeyState {
  latest: (() => Promise<void>) | null;
  lastSentAt: number;
  running: Promise<void> | null;
}

export class StatusNotifier {
  readonly #clock: Clock;
  readonly #logger: BotLogger;
  readonly #minIntervalMs: number;
  readonly #bucket: TokenBucket;
  readonly #keys = new Map<string, KeyState>();
  #closed = false;

  constructor(options: StatusNotifierOptions) {
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#minIntervalMs = options.minIntervalMs ?? 3000;
    const budget = options.budget ?? { capacity: 10, perMinute: 50 };
    this.#bucket = new TokenBucket({ ...budget, now: options.clock.now() });
  }

  /** Queues `send` as the latest state of `key`; an older one still waiting is dropped. */
  schedule(key: string, send: () => Promise<void>): void {
    if (this.#closed) return;
    const state = this.#keys.get(key) ?? {
      latest: null,
      lastSentAt: Number.NEGATIVE_INFINITY,
      running: null,
    };
    this.#keys.set(key, state);
    state.latest = send;
    if (!state.running) {
      state.running = this.#drain(key, state).finally(() => {
        state.running = null;
      });
    }
  }

  /** Resolves once nothing is waiting to be sent. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.#keys.values()].map((s) => s.running).filter((p) => p !== null);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Drops what is known about `key` once its last edit went out (a finished migration). */
  forget(key: string): void {
    const state = this.#keys.get(key);
    if (state && !state.running && !state.latest) this.#keys.delete(key);
  }

  /** Stops sending (waiting updates are dropped). */
  close(): void {
    this.#closed = true;
    for (const state of this.#keys.values()) state.latest = null;
  }

  async #drain(key: string, state: KeyState): Promise<void> {
    while (state.latest && !this.#closed) {
      const wait = state.lastSentAt + this.#minIntervalMs - this.#clock.now();
      if (wait > 0) await this.#clock.sleep(wait);
      for (
        let budgetWait = this.#bucket.take(this.#clock.now());
        budgetWait > 0;
        budgetWait = this.#bucket.take(this.#clock.now())
      ) {
        await this.#clock.sleep(budgetWait);
      }
      const send = state.latest;
      state.latest = null;
      if (!send || this.#closed) return;
      try {
        await send();
      } catch (error) {
        this.#logger.warn(`status update of ${key} failed: ${describeError(error)}`);
      }
      // Measured from the end of the call: Slack sees the edits at least the interval apart.
      state.lastSentAt = this.#clock.now();
    }
  }
}

/** A token bucket on injected time: the global chat.update budget (Tier 3, ~50 a minute). */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  #tokens: number;
  #at: number;

  constructor(options: { capacity: number; perMinute: number; now: number }) {
    this.#capacity = options.capacity;
    this.#refillPerMs = options.perMinute / 60_000;
    this.#tokens = options.capacity;
    this.#at = options.now;
  }

  /** Takes a token: 0 when granted, else how many ms until one is available (nothing taken). */
  take(now: number): number {
    this.#tokens = Math.min(this.#capacity, this.#tokens + Math.max(0, now - this.#at) * this.#refillPerMs);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.#tokens) / this.#refillPerMs);
  }
}
