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
