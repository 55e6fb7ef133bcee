/**
 * The Prechecker the runner calls before a request is offered for approval and again right before
 * the first side effect: gather the facts, evaluate them (pure), keep a snapshot for the record.
 */
import type { CheckSnapshot } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { PreflightEvaluation } from '../preflight/evaluate.js';
import type { Prechecker, PrecheckInput } from './ports.js';

/** Gathers the facts and evaluates them (the pre-flight's gatherPreflightFacts + evaluatePreflight). */
export type RunPreflight = (input: PrecheckInput) => Promise<PreflightEvaluation>;

export function createPrechecker(runPreflight: RunPreflight, clock: Clock): Prechecker {
  return async (input) => checkSnapshot(await runPreflight(input), clock.now());
}

/** The stored form of an evaluation: the checklist, the verdict, the prediction's headline numbers. */
export function checkSnapshot(evaluation: PreflightEvaluation, at: number): CheckSnapshot {
  const snapshot: CheckSnapshot = {
    verdict: evaluation.verdict,
    at,
    checks: evaluation.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      explanation: c.explanation,
      ...(c.fix === undefined ? {} : { fix: c.fix }),
    })),
    needsHardReboot: evaluation.checks.some(
      (c) => c.id === 'cpu-reboot' && c.status !== 'pass' && (c.fix ?? '').startsWith('nova reboot --hard'),
    ),
  };
  if (evaluation.prediction) {
    snapshot.prediction = {
      converges: evaluation.prediction.converges,
      durationMs: evaluation.prediction.totalMs,
      downtimeMs: evaluation.prediction.downtimeMs,
      memoryBytes: evaluation.prediction.memoryBytes,
      live: evaluation.prediction.live,
    };
  }
  return snapshot;
}
