/**
 * Group commit: changes are applied in memory one after another, in the order they were queued,
 * and every change queued while a write is on its way to disk shares the next write. A write
 * costs one fsync of the whole file, so 20 concurrent callers pay for 2 fsyncs, not 20, and
 * none waits behind more than one write it is not part of. Because changes apply one at a time,
 * a read-modify-write is atomic with respect to every other change (the "first decision wins"
 * guarantee rests on this).
 *
 * Contract for `apply`: it either changes memory and returns, or throws before changing
 * anything. A caller's promise resolves only when its change is on disk.
 */
export class GroupCommit {
  readonly #persist: () => Promise<void>;
  readonly #restore: () => Promise<void>;
  #pending: Array<Job<unknown>> = [];
  #draining: Promise<void> | null = null;

  /**
   * `persist` writes the whole in-memory state durably; `restore` reloads it from disk after a
   * failed write, so memory never holds changes the disk does not.
   */
  constructor(persist: () => Promise<void>, restore: () => Promise<void>) {
    this.#persist = persist;
    this.#restore = restore;
  }

  /** Queues `apply`; resolves with its value once the change is on disk. */
  run<T>(apply: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ apply, resolve, reject } as Job<unknown>);
      // Started on a microtask: callers that queue in the same tick share the first write too.
      this.#draining ??= Promise.resolve().then(() => this.#drain());
    });
  }

  /** Resolves when every change queued so far is on disk (or has failed). */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        await this.#commit(batch);
      }
    } finally {
      this.#draining = null;
    }
  }

  async #commit(batch: Array<Job<unknown>>): Promise<void> {
    const applied: Array<{ job: Job<unknown>; value: unknown }> = [];
    for (const job of batch) {
      try {
        applied.push({ job, value: await job.apply() });
      } catch (error) {
        job.reject(error);
      }
    }
    if (applied.length === 0) return;
    try {
      await this.#persist();
    } catch (error) {
      // Every change of the batch is lost with the write: reload what the disk holds and tell
      // each caller. A failed restore leaves nothing trustworthy in memory: report that too.
      const restored = await this.#restore().then(
        () => null,
        (restoreError: unknown) => restoreError,
      );
      for (const { job } of applied) job.reject(restored ?? error);
      return;
    }
    for (const { job, value } of applied) job.resolve(value);
  }
}

interface Job<T> {
  apply: () => T | Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}
