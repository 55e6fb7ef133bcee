/** A counting semaphore with a FIFO queue: channel limits wait their turn in arrival order. */
export class Semaphore {
  #free: number;
  readonly #waiters: Array<() => void> = [];

  constructor(permits: number) {
    this.#free = permits;
  }

  /**
   * Resolves once a permit is held; the caller must release() it exactly once. An abort while
   * waiting leaves the queue and rejects with the signal's reason (no permit is held then).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const granted = () => {
        signal?.removeEventListener('abort', onAbort);
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

  /** How many callers wait for a permit now. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** True when acquire() would have to wait. */
  get exhausted(): boolean {
    return this.#free === 0;
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free += 1;
  }
}
