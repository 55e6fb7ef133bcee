/** The result of one pre-flight rule and the helpers rules build it with. */
import type { PreflightFacts } from './facts.js';

/** pass: fine; warn: the user should know; block: the migration must not start. */
export type CheckStatus = 'pass' | 'warn' | 'block';

/** What one rule found. */
export interface CheckResult {
  /** The rule's registry id (e.g. `guest-cpu`). */
  id: string;
  /** Short label for the checklist (e.g. `Guest CPU on node10`). */
  title: string;
  status: CheckStatus;
  /** What was found, in a sentence or two. */
  explanation: string;
  /** What to do about it (a command when there is one). */
  fix?: string;
}

/**
 * A pre-flight rule: pure, facts in, one result out. Null means "nothing to check here", either
 * because the rule does not apply to this release or because a fact it needs is missing, which
 * another rule (vm, hosts-answered, destination) already reports as a block.
 */
export type PreflightRule = (facts: PreflightFacts) => CheckResult | null;

/** Builds a result without repeating id and title in every branch of a rule. */
export function resultFor(id: string, title: string) {
  const make =
    (status: CheckStatus) =>
    (explanation: string, fix?: string): CheckResult =>
      fix === undefined ? { id, title, status, explanation } : { id, title, status, explanation, fix };
  return { pass: make('pass'), warn: make('warn'), block: make('block') };
}
