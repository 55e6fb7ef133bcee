import { formatDuration } from '../../../util/format.js';
import { type CheckResult, resultFor } from '../check.js';
import type { PreflightFacts } from '../facts.js';
import { migratesLive, predictMigration } from '../prediction.js';

const recommendedFlags = 'VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_LIVE';

/**
 * live_migration_flag on the source decides whether libvirt migrates live at all: Icehouse's
 * default lacks VIR_MIGRATE_LIVE, so the guest is paused for the whole copy.
 */
export function checkMigrationFlags(facts: PreflightFacts): CheckResult | null {
  if (facts.sourceNovaConf.state !== 'known') return null;
  const check = resultFor('migration-flags', 'live_migration_flag');
  const flags = facts.sourceNovaConf.value.liveMigrationFlags;
  const { release } = facts.settings;
  const shown = flags === null ? `unset (${release} default)` : flags.join(', ');
  if (migratesLive(release, flags)) return check.pass(`${shown}: libvirt migrates live.`);
  const prediction = predictMigration(facts);
  const pause = prediction ? ` (~${formatDuration(prediction.downtimeMs)})` : '';
  return check.warn(
    `live_migration_flag on ${facts.sourceHost} is ${shown}, without VIR_MIGRATE_LIVE: the guest is paused for the whole copy${pause}, so the downtime is the whole transfer.`,
    `Set [libvirt] live_migration_flag=${recommendedFlags} in nova.conf on every compute node and restart nova-compute.`,
  );
}
