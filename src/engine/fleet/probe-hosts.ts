import pLimit from 'p-limit';
import { userMessage } from '../../errors.js';
import type { UnreachableHost } from './fleet-services.js';

/** What one host answered, or why it could not: a failed host is a value, never fatal. */
export type HostProbe<T> = { host: string; ok: true; value: T } | { host: string; ok: false; error: string };

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
        try {
          return { host, ok: true, value: await probe(host) };
        } catch (error) {
          return { host, ok: false, error: userMessage(error).split('\n')[0]! };
        }
      }),
    ),
  );
}

/** Splits probes into the hosts that answered (value with its host) and the unreachable ones, in order. */
export function splitProbes<T>(probes: readonly HostProbe<T>[]): {
  answered: { host: string; value: T }[];
  unreachable: UnreachableHost[];
} {
  const answered: { host: string; value: T }[] = [];
  const unreachable: UnreachableHost[] = [];
  for (const probe of probes) {
    if (probe.ok) answered.push({ host: probe.host, value: probe.value });
    else unreachable.push({ host: probe.host, error: probe.error });
  }
  return { answered, unreachable };
}
