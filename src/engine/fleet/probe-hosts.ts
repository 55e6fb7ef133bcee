import pLimit from 'p-limit';
import { userMessage } from '../../errors.js';
import type { SlowHost, UnreachableHost } from './fleet-services.js';

/**
 * What one host answered, or why it could not: a failed host is a value, never fatal. With how
 * long it took (wall time: slowness is a fact about the real host, not about the lab's clock).
 */
export type HostProbe<T> = { host: string; elapsedMs: number } & (
  | { ok: true; value: T }
  | { ok: false; error: string }
);

/** Fleet commands talk to this many hosts at once by default. */
export const defaultFleetConcurrency = 32;

/**
 * Runs `probe` on every host with at most `concurrency` in flight; results come back in the
 * order of `hosts`, each either its value or the error's user-facing message.
 */
export async function probeHosts<T>(
  hosts: readonly string[],
  probe: (host: string) => Promise<T>,
  concurrency = defaultFleetConcurrency,
): Promise<HostProbe<T>[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    hosts.map((host) =>
      limit(async (): Promise<HostProbe<T>> => {
        const startedMs = performance.now();
        const elapsedMs = () => Math.round(performance.now() - startedMs);
        try {
          const value = await probe(host);
          return { host, ok: true, value, elapsedMs: elapsedMs() };
        } catch (error) {
          return { host, ok: false, error: userMessage(error).split('\n')[0]!, elapsedMs: elapsedMs() };
        }
      }),
    ),
  );
}

/**
 * Splits probes into the hosts that answered (value with its host), the unreachable ones, and
 * the ones that answered but slowly, in order.
 */
export function splitProbes<T>(probes: readonly HostProbe<T>[]): {
  answered: { host: string; value: T }[];
  unreachable: UnreachableHost[];
  slow: SlowHost[];
} {
  const answered: { host: string; value: T }[] = [];
  const unreachable: UnreachableHost[] = [];
  for (const probe of probes) {
    if (probe.ok) answered.push({ host: probe.host, value: probe.value });
    else unreachable.push({ host: probe.host, error: probe.error });
  }
  return { answered, unreachable, slow: slowHosts(probes) };
}

/** A host is slow when it took this long and several times as long as the median host. */
const slowFloorMs = 1_000;
const slowFactor = 5;

/**
 * The hosts that answered, but far slower than the rest of the fleet: relative to the median, so
 * a busy client (every host slow alike) names nobody, and a host whose login shell does work on
 * every command (a `.bashrc` running `pyenv init`) stands out.
 */
export function slowHosts(probes: readonly HostProbe<unknown>[]): SlowHost[] {
  const answered = probes.filter((probe) => probe.ok);
  if (answered.length === 0) return [];
  const sorted = answered.map((probe) => probe.elapsedMs).sort((a, b) => a - b);
  const medianMs = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const thresholdMs = Math.max(slowFloorMs, medianMs * slowFactor);
  return answered
    .filter((probe) => probe.elapsedMs >= thresholdMs)
    .map((probe) => ({ host: probe.host, elapsedMs: probe.elapsedMs, medianMs }));
}

/** The lines that name slow hosts, for the fleet commands' text. */
export function slowHostLines(slow: readonly SlowHost[]): string[] {
  if (slow.length === 0) return [];
  return [
    '',
    `Slow to answer (${slow.length}), checked anyway:`,
    ...slow.map(
      (host) =>
        `  ${host.host}: ${formatSeconds(host.elapsedMs)} (the median host ${formatSeconds(host.medianMs)}); a login shell that does work on every command? See "a fast, non-interactive login shell" in the README's deployment steps.`,
    ),
  ];
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
