/**
 * Pre-copy live migration on a clock (reference §4): round 0 sends all RAM, round i re-sends what
 * the guest dirtied during round i-1, and the stop-and-copy happens once the remaining volume fits
 * the downtime limit. Pure: a plan is computed once from the migration's parameters and sampled
 * at any elapsed time, so the world needs no timers.
 */
export interface CopyParams {
  memoryBytes: number;
  /** Transfer rate between the two hypervisors, bytes per second. */
  rateBytesPerSec: number;
  /** Dirty rate of round `round`, bytes per second (0 when the guest is paused). */
  dirtyBytesPerSec(round: number): number;
  /** Maximum downtime allowed at `elapsedMs` into the copy. */
  downtimeLimitMs(elapsedMs: number): number;
  /** Elapsed copy time after which the migration is aborted (Infinity: never). */
  timeoutMs: number;
  /** Bytes still to send when this plan starts (all RAM for a fresh copy). */
  initialRemainingBytes?: number;
  /** Bytes already sent before this plan starts (force-complete continues a copy). */
  initialProcessedBytes?: number;
  /** Iteration number of the first round of this plan. */
  firstIteration?: number;
}

export interface CopyRound {
  startMs: number;
  durationMs: number;
  bytes: number;
  dirtyBytesPerSec: number;
  iteration: number;
}

export interface CopyPlan {
  params: CopyParams;
  rounds: CopyRound[];
  /** converged: stop-and-copy finished at endMs; timeout: aborted at endMs. */
  outcome: 'converged' | 'timeout';
  /** When the guest is paused for the final copy (converged plans). */
  switchoverMs: number;
  endMs: number;
  downtimeMs: number;
}

/** What `virsh domjobinfo` and the migration progress API report at one instant. */
export interface CopySample {
  elapsedMs: number;
  processedBytes: number;
  remainingBytes: number;
  totalBytes: number;
  dirtyBytesPerSec: number;
  iteration: number;
  expectedDowntimeMs: number;
  phase: 'copying' | 'switchover' | 'done';
}

/** Rounds are capped so a pathological plan stays small; a round never lasts less than 1 ms. */
const MAX_ROUNDS = 100_000;

/** Computes the whole copy: the rounds, when it switches over (or times out) and the downtime. */
export function planCopy(params: CopyParams): CopyPlan {
  const rate = params.rateBytesPerSec;
  const rounds: CopyRound[] = [];
  let volume = params.initialRemainingBytes ?? params.memoryBytes;
  let startMs = 0;
  const firstIteration = params.firstIteration ?? 1;
  for (let index = 0; index < MAX_ROUNDS; index++) {
    const dirtyRate = params.dirtyBytesPerSec(index);
    const durationMs = Math.max(1, (volume / rate) * 1000);
    rounds.push({
      startMs,
      durationMs,
      bytes: volume,
      dirtyBytesPerSec: dirtyRate,
      iteration: firstIteration + index,
    });
    if (startMs + durationMs >= params.timeoutMs) {
      return {
        params,
        rounds,
        outcome: 'timeout',
        switchoverMs: params.timeoutMs,
        endMs: params.timeoutMs,
        downtimeMs: 0,
      };
    }
    startMs += durationMs;
    const dirtied = Math.min(params.memoryBytes, (dirtyRate * durationMs) / 1000);
    const downtimeMs = (dirtied / rate) * 1000;
    if (downtimeMs <= params.downtimeLimitMs(startMs)) {
      return {
        params,
        rounds,
        outcome: 'converged',
        switchoverMs: startMs,
        endMs: startMs + downtimeMs,
        downtimeMs,
      };
    }
    volume = dirtied;
  }
  return { params, rounds, outcome: 'timeout', switchoverMs: startMs, endMs: startMs, downtimeMs: 0 };
}

/** The job's counters `elapsedMs` after the plan started (clamped to the plan's end). */
export function sampleCopy(plan: CopyPlan, elapsedMs: number): CopySample {
  const { params } = plan;
  const rate = params.rateBytesPerSec;
  const at = Math.max(0, Math.min(elapsedMs, plan.endMs));
  let processed = params.initialProcessedBytes ?? 0;
  const base = { totalBytes: params.memoryBytes, elapsedMs: at };
  for (const round of plan.rounds) {
    const roundEnd = round.startMs + round.durationMs;
    if (at < roundEnd || round === plan.rounds.at(-1)) {
      if (plan.outcome === 'converged' && at >= plan.switchoverMs) {
        const finalBytes = (plan.downtimeMs / 1000) * rate;
        const sentFinal = Math.min(finalBytes, ((at - plan.switchoverMs) / 1000) * rate);
        return {
          ...base,
          processedBytes: processed + round.bytes + sentFinal,
          remainingBytes: finalBytes - sentFinal,
          dirtyBytesPerSec: 0,
          iteration: round.iteration + 1,
          expectedDowntimeMs: Math.round(((finalBytes - sentFinal) / rate) * 1000),
          phase: at >= plan.endMs ? 'done' : 'switchover',
        };
      }
      const inRoundMs = Math.max(0, at - round.startMs);
      const sent = Math.min(round.bytes, (inRoundMs / 1000) * rate);
      const unsent = round.bytes - sent;
      // A page written again only adds to the dirty set if it was not already waiting in it.
      const redirtied = ((round.dirtyBytesPerSec * inRoundMs) / 1000) * (1 - unsent / params.memoryBytes);
      const remaining = Math.min(params.memoryBytes, unsent + redirtied);
      return {
        ...base,
        processedBytes: processed + sent,
        remainingBytes: remaining,
        dirtyBytesPerSec: round.dirtyBytesPerSec,
        iteration: round.iteration,
        expectedDowntimeMs: Math.round((remaining / rate) * 1000),
        phase: 'copying',
      };
    }
    processed += round.bytes;
  }
  return {
    ...base,
    processedBytes: processed,
    remainingBytes: 0,
    dirtyBytesPerSec: 0,
    iteration: plan.rounds.length,
    expectedDowntimeMs: 0,
    phase: 'done',
  };
}
