/**
 * How many commands one host gets at once, learned from how it answers. A host whose login shell
 * is slow (a `~/.bashrc` running `pyenv init`, whose lock every shell of the host shares) answers
 * k parallel commands in k startups; sending it the configured maximum at once makes the last ones
 * time out. So every host starts with one command in flight, doubles while commands come back
 * within a quarter of their timeout, halves when one does not, and drops to one after a timeout.
 */
import { WaitQueue } from '../util/semaphore.js';

export class HostPace {
  readonly #max: number;
  #limit = 1;
  #inFlight = 0;
  readonly #waiters = new WaitQueue();
  /** Longest answer seen from this host, ms, for naming slow hosts. */
  slowestMs = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Commands the host may have in flight now. */
  get limit(): number {
    return this.#limit;
  }

  /** Resolves once the command may start; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#inFlight < this.#limit) {
      this.#inFlight += 1;
      return Promise.resolve();
    }
    return this.#waiters.wait(signal, () => {
      this.#inFlight += 1;
    });
  }

  /**
   * Ends a command that held a slot: `answeredMs` is how long it took (null when it timed out),
   * `timeoutMs` its timeout. The limit adapts, then waiting commands start as far as it allows.
   */
  release(answeredMs: number | null, timeoutMs: number): void {
    this.#inFlight -= 1;
    if (answeredMs === null) {
      this.#limit = 1;
      this.slowestMs = Math.max(this.slowestMs, timeoutMs);
    } else {
      this.slowestMs = Math.max(this.slowestMs, answeredMs);
      this.#limit =
        answeredMs > timeoutMs / 4
          ? Math.max(1, Math.floor(this.#limit / 2))
          : Math.min(this.#max, this.#limit * 2);
    }
    this.#wakeWithinLimit();
  }

  /** Gives a slot back without a verdict (the command never ran: refused, aborted while opening). */
  releaseUnjudged(): void {
    this.#inFlight -= 1;
    this.#wakeWithinLimit();
  }

  /** Lets waiting commands start while the limit allows (each woken one takes its slot at once). */
  #wakeWithinLimit(): void {
    while (this.#inFlight < this.#limit) if (!this.#waiters.wakeNext()) return;
  }
}
