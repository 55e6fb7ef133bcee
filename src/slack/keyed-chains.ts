/**
 * Slack work in order per key (a migration, a drain, a campaign): each piece starts after the one
 * before it under the same key ended, failed or not (a failure is logged, never thrown), so a
 * thread's replies keep their order and a Slack outage never reaches the engine.
 */
import { type BotLogger, describeError } from './logger.js';

export class KeyedChains {
  readonly #chains = new Map<string, Promise<void>>();
  readonly #logger: BotLogger;
  /** How many pieces were ever queued: whether more came while waiting. */
  #enqueued = 0;

  constructor(logger: BotLogger) {
    this.#logger = logger;
  }

  /** Queues `work` after everything queued under `key` before it. */
  enqueue(key: string, work: () => Promise<void>): void {
    this.#enqueued++;
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.#logger.warn(`thread of ${key}: ${describeError(error)}`);
    });
    this.#chains.set(key, next);
  }

  /** Queues `work` like enqueue; resolves with its result, or rejects with its error (not logged). */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enqueue(key, () => work().then(resolve, reject));
    });
  }

  /** Resolves when what is queued under `key` now has run. */
  settled(key: string): Promise<void> {
    return this.#chains.get(key) ?? Promise.resolve();
  }

  /**
   * Resolves when every queued piece ran, including pieces queued meanwhile, and `also` (other
   * queued work, e.g. the status edits) is idle too.
   */
  async idle(also: () => Promise<void> = async () => undefined): Promise<void> {
    for (;;) {
      const before = this.#enqueued;
      await Promise.all(this.#chains.values());
      await also();
      if (this.#enqueued === before) return;
    }
  }

  /** Forgets `key` once what is queued under it now has run (a finished migration). */
  forget(key: string, andThen: () => void = () => undefined): void {
    const chain = this.#chains.get(key);
    void chain?.then(() => {
      if (this.#chains.get(key) !== chain) return;
      this.#chains.delete(key);
      andThen();
    });
  }
}
