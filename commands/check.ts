/**
 * `check VM HOST [--block-migrate] [--allow-force-complete]`: the pre-flight checklist of a
 * migration, without migrating. The same report feeds the CLI, the Slack request card and the
 * runner's re-check.
 */
import type { NovaRelease } from '../src/config/schema.js';
import { formatBytes, formatDuration } from '../src/engine/preflight/format.js';
import {
  type MigrationPrediction,
  type PreflightCheck,
  type PreflightFacts,
  type PreflightVerdict,
  runPreflight,
} from '../src/engine/preflight/index.js';
import { LivemigError } from '../src/errors.js';
import { checklistLines, verdictLines } from './checklist-text.js';
import type { CommandModule, CommandServices } from './types.js';

export interface CheckRequest {
  /** VM name or UUID. */
  vm: string;
  /** Inventory name of the destination hypervisor. */
  destination: string;
  blockMigrate: boolean;
  allowForceComplete: boolean;
}

/** The VM as nova describes it. */
export interface CheckedVm {
  uuid: string;
  name: string;
  flavor: string;
  ramMiB: number | null;
  vcpus: number | null;
  /** The host it runs on now. */
  host: string | null;
  status: string;
}

export interface CheckReport {
  kind: 'check';
  /** The VM as the user named it. */
  vmRef: string;
  /** null when nova does not know the VM (the `vm` check says why). */
  vm: CheckedVm | null;
  destination: string;
  release: NovaRelease;
  verdict: PreflightVerdict;
  checks: PreflightCheck[];
  prediction: MigrationPrediction | null;
}

/** The cluster, and what livemig itself knows about migrations it runs. */
export interface CheckServices extends CommandServices {
  /**
   * True when livemig has an unfinished migration of the VM with this UUID (the CLI reads the
   * data dir). Without it, the check judges the cluster alone.
   */
  migrationInProgress?: (uuid: string) => boolean;
}

const usage = 'check VM HOST [--block-migrate] [--allow-force-complete]';

/** Parses the command's words (Slack: `/migrate check dstest node10 --block-migrate`). */
export function parseCheckArgs(words: readonly string[]): CheckRequest {
  const flags = new Set(words.filter((word) => word.startsWith('--')));
  const positional = words.filter((word) => !word.startsWith('--'));
  for (const flag of flags) {
    if (flag !== '--block-migrate' && flag !== '--allow-force-complete') {
      throw new LivemigError('usage', `unknown option ${flag}`, { hint: `usage: ${usage}` });
    }
  }
  const [vm, destination, ...rest] = positional;
  if (vm === undefined || destination === undefined || rest.length > 0) {
    throw new LivemigError('usage', 'check needs a VM and a destination host', { hint: `usage: ${usage}` });
  }
  return {
    vm,
    destination,
    blockMigrate: flags.has('--block-migrate'),
    allowForceComplete: flags.has('--allow-force-complete'),
  };
}

export const checkCommand: CommandModule<CheckRequest, CheckReport, CheckServices> = {
  name: 'check',
  summary: 'run the pre-flight checks of a migration without migrating',
  usage,
  async run(request, services) {
    const outcome = await runPreflight(services, {
      vm: request.vm,
      destination: request.destination,
      options: { blockMigrate: request.blockMigrate, allowForceComplete: request.allowForceComplete },
      ...(services.migrationInProgress ? { migrationInProgress: services.migrationInProgress } : {}),
    });
    return {
      kind: 'check',
      vmRef: request.vm,
      vm: checkedVm(outcome.facts),
      destination: request.destination,
      release: services.config.nova.release,
      verdict: outcome.verdict,
      checks: outcome.checks,
      prediction: outcome.prediction,
    };
  },
  renderText: renderCheckText,
};

/** The VM for the report's header; old nova prints the flavor as `m1.medium (2)`, so RAM and vCPUs come from libvirt then. */
function checkedVm(facts: PreflightFacts): CheckedVm | null {
  if (facts.server.state !== 'known') return null;
  const server = facts.server.value;
  const domain = facts.domain.state === 'known' ? facts.domain.value : undefined;
  const domainRamMiB = domain === undefined ? null : Math.round(domain.memoryBytes / 1024 ** 2);
  return {
    uuid: server.uuid,
    name: server.name,
    flavor: server.flavor.name,
    ramMiB: server.flavor.ramMiB ?? domainRamMiB,
    vcpus: server.flavor.vcpus ?? domain?.vcpus ?? null,
    host: server.host,
    status: server.status,
  };
}

/** The checklist: a header with the VM, one line per check (✓ / ! / ✗) with its fix, the verdict. */
export function renderCheckText(report: CheckReport): string {
  const lines = [header(report), '', ...checklistLines(report.checks)];
  if (report.prediction !== null) lines.push('', predictionLine(report.prediction));
  lines.push('', verdictLines[report.verdict]);
  return `${lines.join('\n')}\n`;
}

function header(report: CheckReport): string {
  const { vm } = report;
  const release = `(nova ${report.release})`;
  if (vm === null) return `${report.vmRef} → ${report.destination} ${release}`;
  const size = [
    vm.flavor,
    vm.ramMiB === null ? null : `${vm.ramMiB} MiB RAM`,
    vm.vcpus === null ? null : `${vm.vcpus} vCPUs`,
  ]
    .filter((part) => part !== null)
    .join(', ');
  return `${vm.name} (${vm.uuid}, ${size}) on ${vm.host ?? 'no host'} → ${report.destination} ${release}`;
}

function predictionLine(prediction: MigrationPrediction): string {
  const inputs = `${formatBytes(prediction.memoryBytes)} at ${prediction.bandwidthMiBps} MiB/s, dirty rate ${prediction.dirtyRateMeasured ? `${prediction.dirtyRateMiBps} MiB/s` : 'unknown'}`;
  if (prediction.live && !prediction.dirtyRateMeasured) {
    return `Prediction: at least ~${formatDuration(prediction.totalMs ?? 0)}; converges only below ~${prediction.maxConvergingDirtyRateMiBps ?? 0} MiB/s of dirtying (${inputs}).`;
  }
  if (prediction.converges) {
    return `Prediction: ~${formatDuration(prediction.totalMs ?? 0)}, pause ~${formatDuration(prediction.downtimeMs)}, ${prediction.iterations} round(s) (${inputs}).`;
  }
  return `Prediction: does not converge (rho ${prediction.rho.toFixed(2)}); forcing completion pauses the guest ~${formatDuration(prediction.downtimeMs)} (${inputs}).`;
}
