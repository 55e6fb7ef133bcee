/**
 * The migration's predicted course from the gathered facts: RAM, the measured dirty rate and the
 * slower of the two hosts' links, run through the pre-copy model.
 */
import type { NovaRelease } from '../../config/schema.js';
import { type PrecopyInput, type PrecopyPrediction, predictPrecopy } from '../precopy.js';
import type { PreflightFacts } from './facts.js';

const mebibyte = 1024 ** 2;
/** QEMU's default migration downtime limit. */
const qemuDefaultDowntimeMs = 300;

/** The prediction with the inputs it was made from, so a user can see why. */
export interface MigrationPrediction extends PrecopyPrediction {
  memoryBytes: number;
  bandwidthMiBps: number;
  /**
   * The dirty rate measured now, or seen during the VM's last copy where the host cannot measure
   * it beforehand; null when neither (unknown).
   */
  dirtyRateMiBps: number | null;
  /**
   * False when the dirty rate is unknown: the durations and the pause are then the best case (a
   * guest that writes nothing), and maxConvergingDirtyRateMiBps says where that case ends.
   */
  dirtyRateMeasured: boolean;
  /** Measured just now, or seen during the VM's last copy (the host cannot measure it beforehand). */
  dirtyRateSource: 'measured' | 'observed' | null;
  /**
   * The highest dirty rate (MiB/s, whole) at which this copy still converges before nova's
   * completion timeout; null for a paused (not live) copy, where the dirty rate does not matter.
   */
  maxConvergingDirtyRateMiBps: number | null;
  /** False when live_migration_flag lacks VIR_MIGRATE_LIVE: the guest is paused for the whole copy. */
  live: boolean;
  maxDowntimeMs: number;
}

/** Icehouse's default live_migration_flag has no VIR_MIGRATE_LIVE; Juno added it. */
export function migratesLive(release: NovaRelease, liveMigrationFlags: readonly string[] | null): boolean {
  if (liveMigrationFlags === null) return release === 'juno' || release === 'kilo-or-later';
  return liveMigrationFlags.includes('VIR_MIGRATE_LIVE');
}

/**
 * Predicts the migration, or null when the VM's RAM or the hosts are not known. nova.conf of the
 * source (bandwidth cap, downtime, completion timeout) wins over livemig.yml's defaults.
 */
export function predictMigration(facts: PreflightFacts): MigrationPrediction | null {
  const { settings, sourceHost } = facts;
  const destination = facts.target.destination;
  if (sourceHost === null) return null;
  const memoryBytes = vmMemoryBytes(facts);
  const sourceLink = settings.linkMiBpsByHost[sourceHost];
  const destinationLink = settings.linkMiBpsByHost[destination];
  if (memoryBytes === null || sourceLink === undefined || destinationLink === undefined) return null;
  const novaConf = facts.sourceNovaConf.state === 'known' ? facts.sourceNovaConf.value : null;
  // nova caps the transfer with live_migration_bandwidth (MiB/s; 0 = no cap).
  const cap = novaConf?.liveMigrationBandwidthMiBps ?? 0;
  const bandwidthMiBps = Math.min(sourceLink, destinationLink, cap > 0 ? cap : Number.POSITIVE_INFINITY);
  const dirtyRateMiBps = facts.dirtyRate.state === 'unknown' ? null : facts.dirtyRate.mibPerSec;
  const live = migratesLive(settings.release, novaConf?.liveMigrationFlags ?? null);
  const maxDowntimeMs = downtimeLimitMs(facts, novaConf?.liveMigrationDowntimeMs ?? null);
  const completionTimeoutSecPerGiB =
    novaConf?.liveMigrationCompletionTimeoutSec ?? settings.completionTimeoutSecPerGiB;
  const key = `${memoryBytes}|${bandwidthMiBps}|${dirtyRateMiBps}|${live}|${maxDowntimeMs}|${completionTimeoutSecPerGiB}`;
  const known = predictions.get(key);
  if (known !== undefined) return { ...known };
  const inputs = { memoryBytes, bandwidthBytesPerSec: bandwidthMiBps * mebibyte, completionTimeoutSecPerGiB };
  // Without VIR_MIGRATE_LIVE the guest is paused first: one round, nothing dirtied, all of it downtime.
  // An unknown dirty rate predicts the best case (nothing dirtied), never a guess dressed as a fact.
  const precopy = live
    ? predictPrecopy({ ...inputs, dirtyBytesPerSec: (dirtyRateMiBps ?? 0) * mebibyte, maxDowntimeMs })
    : predictPrecopy({ ...inputs, dirtyBytesPerSec: 0, maxDowntimeMs: Number.POSITIVE_INFINITY });
  const prediction: MigrationPrediction = {
    ...precopy,
    memoryBytes,
    bandwidthMiBps,
    dirtyRateMiBps,
    dirtyRateMeasured: dirtyRateMiBps !== null,
    dirtyRateSource: facts.dirtyRate.state === 'unknown' ? null : facts.dirtyRate.state,
    maxConvergingDirtyRateMiBps: live ? maxConvergingDirtyRate({ ...inputs, maxDowntimeMs }) : null,
    live,
    maxDowntimeMs,
  };
  if (predictions.size >= maxRememberedPredictions) predictions.clear();
  predictions.set(key, prediction);
  return { ...prediction };
}

/**
 * Predictions by their inputs. The model is pure and a drain plan asks the same question for
 * every destination with the same link (and three rules of one check ask it again), so equal
 * inputs reuse the answer; the bound keeps a long-running bot's memory flat.
 */
const predictions = new Map<string, MigrationPrediction>();
const maxRememberedPredictions = 4096;

/**
 * The highest whole dirty rate in MiB/s at which the model still converges: convergence only gets
 * harder as the rate grows, so a bisection between 0 and the link's rate finds the edge.
 */
function maxConvergingDirtyRate(inputs: Omit<PrecopyInput, 'dirtyBytesPerSec'>): number {
  const converges = (mibPerSec: number) =>
    predictPrecopy({ ...inputs, dirtyBytesPerSec: mibPerSec * mebibyte }).converges;
  let low = 0;
  let high = Math.ceil(inputs.bandwidthBytesPerSec / mebibyte);
  if (!converges(low)) return 0;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (converges(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Before Liberty nova never sets a downtime limit, so QEMU's default applies; from Liberty nova
 * ramps it up to live_migration_downtime (livemig.yml nova.maxDowntimeMs when nova.conf is silent).
 */
function downtimeLimitMs(facts: PreflightFacts, novaConfDowntimeMs: number | null): number {
  if (facts.settings.release !== 'kilo-or-later') return qemuDefaultDowntimeMs;
  return novaConfDowntimeMs ?? facts.settings.maxDowntimeMs;
}

function vmMemoryBytes(facts: PreflightFacts): number | null {
  if (facts.domain.state === 'known') return facts.domain.value.memoryBytes;
  const ramMiB = facts.server.state === 'known' ? facts.server.value.flavor.ramMiB : undefined;
  return ramMiB === undefined ? null : ramMiB * mebibyte;
}
