/** A rate limit switched on by a test: the next `count` calls answer 429 with Retry-After. */
export interface RateLimitRule {
  count: number;
  retryAfterSec: number;
}

/** Rate limits on demand, per Web API method. */
export class RateLimiter {
  readonly #pending = new Map<string, RateLimitRule>();

  /** Makes the next `rule.count` calls of `method` answer HTTP 429. */
  limit(method: string, rule: RateLimitRule): void {
    this.#pending.set(method, { ...rule });
  }

  /** Counts one call; returns the Retry-After seconds when this call is rate limited. */
  take(method: string): number | undefined {
    const rule = this.#pending.get(method);
    if (!rule || rule.count <= 0) return undefined;
    rule.count -= 1;
    if (rule.count === 0) this.#pending.delete(method);
    return rule.retryAfterSec;
  }
}
