/**
 * The downtime budget: the longest pause of the guest livemig accepts without anyone saying so
 * (limits.downtimeBudgetMs), and the longer one a requester may accept explicitly
 * (`--accept-downtime`). One rule for every pause a migration can cause: the whole copy without
 * VIR_MIGRATE_LIVE, the stop-and-copy round, and a forced completion of a copy that does not
 * converge. Pure.
 */

/** The pause a migration may cause: the configured budget, or more when the requester accepted it. */
export interface DowntimeAllowance {
  budgetMs: number;
  /** What the requester accepted with --accept-downtime; absent when they did not. */
  acceptedMs?: number | undefined;
}

/** The longest pause allowed: the budget, or the accepted pause when that is longer. */
export function allowedPauseMs(allowance: DowntimeAllowance): number {
  return Math.max(allowance.budgetMs, allowance.acceptedMs ?? 0);
}

/**
 * Whether a predicted pause may happen. This is also the whole rule for force-complete: livemig
 * forces a copy that cannot converge to finish only when the forced pause fits the allowance.
 */
export function pauseAllowed(pauseMs: number, allowance: DowntimeAllowance): boolean {
  return pauseMs <= allowedPauseMs(allowance);
}

/** The flag that accepts a predicted pause, rounded up with a margin: `--accept-downtime 50s`. */
export function acceptDowntimeFlag(pauseMs: number): string {
  const seconds = Math.ceil((pauseMs * 1.2) / 1000 / 5) * 5;
  return seconds < 120 ? `--accept-downtime ${seconds}s` : `--accept-downtime ${Math.ceil(seconds / 60)}m`;
}
