/**
 * Callers waiting for a turn, first in first out. A waiter whose signal aborts leaves the queue
 * and rejects with the signal's reason; `wakeNext()` lets the oldest one go.
 */
export class WaitQueue {
  readonly #waiters: Array<() => void> = [];

  get length(): number {
    return this.#waiters.length;
  }

  /** Resolves when woken (after `onWoken` ran), or rejects when `signal` aborts first. */
  wait(signal: AbortSignal | undefined, onWoken: () => void = () => undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const woken = () => {
        signal?.removeEventListener('abort', onAbort);
        onWoken();
        resolve();
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(woken);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(woken);
    });
  }

  /** Wakes the oldest waiter; false when nobody waits. */
  wakeNext(): boolean {
    const next = this.#waiters.shift();
    next?.();
    return next !== undefined;
  }
}

/** A counting semaphore with a FIFO queue: channel limits wait their turn in arrival order. */
export class Semaphore {
  #free: number;
  readonly #waiters = new WaitQueue();

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
    return this.#waiters.wait(signal);
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
    if (!this.#waiters.wakeNext()) this.#free += 1;
  }
}
