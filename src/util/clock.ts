/**
 * Time is injected everywhere so tests run on simulated time. Production uses systemClock; the
 * lab and the tests use a SimClock that jumps forward whenever every waiter is asleep.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
  /**
   * Work that takes no time on this clock (a store write's fsync): a simulated clock does not
   * jump while it is under way. Real clocks need no such thing and leave it out.
   */
  during?<T>(work: Promise<T>): Promise<T>;
}

/** `work`, with `clock` told it is under way when the clock cares (see Clock.during). */
export function whileWorking<T>(clock: Clock, work: Promise<T>): Promise<T> {
  return clock.during ? clock.during(work) : work;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * Discrete-event simulated clock. `sleep` registers a waiter; when the process has nothing else
 * to do (checked after a real macrotask), time jumps to the earliest waiter and wakes it. Real
 * I/O (SSH over loopback) still takes real time, but no test waits for simulated seconds.
 */
export class SimClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #scheduled = false;
  /** Work under way that takes no simulated time (Clock.during): no jump until it is done. */
  #working = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by hand and wakes everyone whose time has come. */
  advance(ms: number): void {
    this.#now += ms;
    this.#wakeDue();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#sleepers.push({ wakeAt: this.#now + Math.max(0, ms), resolve });
      this.#sleepers.sort((a, b) => a.wakeAt - b.wakeAt);
      this.#scheduleJump();
    });
  }

  /**
   * A store write's fsync takes milliseconds, not the seconds to the next sleeper: without this
   * every write under a busy simulation (many migrations polling) would cost a jump.
   */
  async during<T>(work: Promise<T>): Promise<T> {
    this.#working += 1;
    try {
      return await work;
    } finally {
      this.#working -= 1;
      if (this.#working === 0 && this.#sleepers.length > 0) this.#scheduleJump();
    }
  }

  #scheduleJump(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A real (short) timer lets pending I/O callbacks run first, so a sleeper is only woken
    // early in simulated time when nothing else is in flight right now.
    setTimeout(() => {
      this.#scheduled = false;
      // Work that takes no simulated time is under way: its end schedules the jump again.
      if (this.#working > 0) return;
      const next = this.#sleepers[0];
      if (!next) return;
      if (next.wakeAt > this.#now) this.#now = next.wakeAt;
      this.#wakeDue();
      if (this.#sleepers.length > 0) this.#scheduleJump();
    }, 1);
  }

  #wakeDue(): void {
    while (this.#sleepers[0] && this.#sleepers[0].wakeAt <= this.#now) {
      this.#sleepers.shift()!.resolve();
    }
  }
}

/**
 * A clock running `speed` times faster than real time, starting now (the demo lab's clock), or
 * at `startMs` (a lab carrying on from a saved time).
 */
export function scaledClock(speed: number, base: Clock = systemClock, startMs?: number): Clock {
  const realStart = base.now();
  const from = startMs ?? realStart;
  return {
    now: () => from + (base.now() - realStart) * speed,
    sleep: (ms) => base.sleep(ms / speed),
  };
}
