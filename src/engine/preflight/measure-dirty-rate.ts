/**
 * Measures a running guest's dirty rate the way an operator would before migrating:
 * `virsh domdirtyrate-calc` on its host, wait for the window, then `virsh domstats --dirtyrate`.
 * A host whose libvirt cannot measure gives an unknown rate, never a failed pre-flight.
 */
import { RemoteCommandFailed } from '../../cluster/index.js';
import { LivemigError } from '../../errors.js';
import type { MigrationRecord } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { MigrationCluster } from '../cluster-port.js';
import type { DirtyRateFact, SeenDirtyRate } from './facts.js';

/** The measurement window: long enough for a stable rate, short enough for an interactive check. */
export const dirtyRateWindowSec = 1;
/** How often to look again while libvirt still reports "measuring". */
const pollIntervalMs = 250;
const maxPolls = 8;

/** Measures the dirty rate of `domain` on `host`; any failure is an unknown rate with the reason. */
export async function measureDirtyRate(
  cluster: MigrationCluster,
  clock: Clock,
  host: string,
  domain: string,
): Promise<DirtyRateFact> {
  try {
    await cluster.startDirtyRateCalc(host, domain, dirtyRateWindowSec);
    await clock.sleep(dirtyRateWindowSec * 1000);
    for (let poll = 0; poll < maxPolls; poll++) {
      const stats = await cluster.dirtyRate(host, domain);
      if (stats.status === 'measured' && stats.mibPerSec !== null) {
        return {
          state: 'measured',
          mibPerSec: stats.mibPerSec,
          periodSec: stats.periodSec ?? dirtyRateWindowSec,
        };
      }
      await clock.sleep(pollIntervalMs);
    }
    return {
      state: 'unknown',
      reason: `libvirt on ${host} was still measuring after ${dirtyRateWindowSec + (maxPolls * pollIntervalMs) / 1000} s`,
    };
  } catch (error) {
    if (!(error instanceof LivemigError)) throw error;
    return { state: 'unknown', reason: describeFailure(host, error) };
  }
}

function describeFailure(host: string, error: LivemigError): string {
  if (error instanceof RemoteCommandFailed && /unknown command/i.test(error.lastLine)) {
    return `virsh on ${host} cannot measure it (domdirtyrate-calc needs libvirt 7.2 or later)`;
  }
  return `measuring failed on ${host}: ${error.message}`;
}

/** The most recent dirty rate seen during one of these migrations' copies (the VM's records). */
export function lastSeenDirtyRate(migrations: readonly MigrationRecord[]): SeenDirtyRate | null {
  let latest: SeenDirtyRate | null = null;
  for (const m of migrations) {
    const seen = m.observedDirtyRate;
    if (seen !== undefined && (latest === null || seen.at > latest.at))
      latest = { ...seen, migrationId: m.id };
  }
  return latest;
}
