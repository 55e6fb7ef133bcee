/**
 * The pre-flight as the runner calls it (the Prechecker): before a request is offered for approval
 * and again right before the first side effect. The cluster itself is reached through
 * ../cluster-port.ts, the same port the pre-flight uses.
 */
import type { Server } from '../../cluster/types.js';
import type { CheckSnapshot, MigrationOptions } from '../../store/types.js';
import type { MigrationCluster } from '../cluster-port.js';
import type { PreflightEvaluation } from '../preflight/evaluate.js';
import { type PreflightContext, runPreflight } from '../preflight/index.js';

/** The pre-flight as the runner calls it: gather the facts, judge them, snapshot the result. */
interface PrecheckInput {
  vmRef: string;
  destination: string;
  options: MigrationOptions;
  /** livemig itself is already migrating this VM. */
  migrationInProgress: boolean;
  /** The VM as the caller just resolved it through nova: the pre-flight does not ask again. */
  server?: Server;
  /**
   * The cluster to ask instead of the context's: a migration's attempt passes its own, which
   * remembers the hosts that stopped answering (silent-hosts.ts).
   */
  cluster?: MigrationCluster;
}

export type Prechecker = (input: PrecheckInput) => Promise<CheckSnapshot>;

/** The pre-flight over the context's cluster, as the runner calls it: facts in, a snapshot out. */
export function createPrechecker(context: PreflightContext): Prechecker {
  return async (input) => {
    const evaluation = await runPreflight(input.cluster ? { ...context, cluster: input.cluster } : context, {
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
function checkSnapshot(evaluation: PreflightEvaluation, at: number): CheckSnapshot {
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
      dirtyRateMeasured: evaluation.prediction.dirtyRateMeasured,
    };
  }
  return snapshot;
}
