/**
 * The Prechecker the runner calls before a request is offered for approval and again right before
 * the first side effect: gather the facts, evaluate them (pure), keep a snapshot for the record.
 */
import type { CheckSnapshot } from '../../store/types.js';
import type { PreflightEvaluation } from '../preflight/evaluate.js';
import { type PreflightContext, runPreflight } from '../preflight/index.js';
import type { Prechecker } from './ports.js';

/** The pre-flight over the context's cluster, as the runner calls it: facts in, a snapshot out. */
export function createPrechecker(context: PreflightContext): Prechecker {
  return async (input) => {
    const evaluation = await runPreflight(context, {
      vm: input.vmRef,
      destination: input.destination,
      options: input.options,
      migrationInProgress: input.migrationInProgress,
      ...(input.server ? { server: input.server } : {}),
    });
    return checkSnapshot(evaluation, context.clock.now());
  };
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
    };
  }
  return snapshot;
}
