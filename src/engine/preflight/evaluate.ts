/** The pure half of pre-flight: facts in, verdict out. */
import type { CheckResult, CheckStatus } from './check.js';
import type { PreflightFacts } from './facts.js';
import { type MigrationPrediction, predictMigration } from './prediction.js';
import { type PreflightCheckId, preflightRules } from './rules/index.js';

/** go: nothing against it; warn: allowed, with things the user should read; block: refused. */
export type PreflightVerdict = 'go' | 'warn' | 'block';

/** One check as the checklist shows it; `id` names the rule in the registry. */
export interface PreflightCheck extends CheckResult {
  id: PreflightCheckId;
}

export interface PreflightEvaluation {
  verdict: PreflightVerdict;
  /** Every applicable check, in registry order. */
  checks: PreflightCheck[];
  /** The pre-copy prediction, or null when the VM's RAM or the hosts are unknown. */
  prediction: MigrationPrediction | null;
}

const verdictOf: Record<CheckStatus, PreflightVerdict> = { pass: 'go', warn: 'warn', block: 'block' };

/** Runs every rule over the facts; the verdict is the worst status of any check. */
export function evaluatePreflight(facts: PreflightFacts): PreflightEvaluation {
  const checks: PreflightCheck[] = [];
  for (const [id, rule] of Object.entries(preflightRules) as [
    PreflightCheckId,
    (typeof preflightRules)[PreflightCheckId],
  ][]) {
    const result = rule(facts);
    if (result !== null) checks.push({ ...result, id });
  }
  const statuses = new Set(checks.map((check) => check.status));
  const worst: CheckStatus = statuses.has('block') ? 'block' : statuses.has('warn') ? 'warn' : 'pass';
  return { verdict: verdictOf[worst], checks, prediction: predictMigration(facts) };
}
