/**
 * How many commands one host gets at once, learned from how it answers. A host whose login shell
 * is slow (a `~/.bashrc` running `pyenv init`, whose lock every shell of the host shares) answers
 * k parallel commands in k startups; sending it the configured maximum at once makes the last ones
 * time out. So every host starts with one command in flight, doubles while commands come back
 * within a quarter of their timeout, halves when one does not, and drops to one after a timeout.
 */
export class HostPace {
  readonly #max: number;
  #limit = 1;
  #inFlight = 0;
  readonly #waiters: Array<() => void> = [];
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
    return new Promise((resolve, reject) => {
      const granted = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#inFlight += 1;
        resolve();
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(granted);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(granted);
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
    while (this.#inFlight < this.#limit && this.#waiters.length > 0) this.#waiters.shift()!();
  }

  /** Gives a slot back without a verdict (the command never ran: refused, aborted while opening). */
  releaseUnjudged(): void {
    this.#inFlight -= 1;
    while (this.#inFlight < this.#limit && this.#waiters.length > 0) this.#waiters.shift()!();
  }
}
