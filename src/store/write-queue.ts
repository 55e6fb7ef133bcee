/**
 * Runs async jobs one after another, in the order they were queued. The store funnels every
 * change through one queue, so two writers never interleave and a read-modify-write is atomic
 * with respect to every other change (the "first decision wins" guarantee rests on this).
 */
export class WriteQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job);
    // A failed job must not poison the queue for the next one.
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every job queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
