/**
 * `check VM HOST [--block-migrate] [--accept-downtime DURATION]`: the pre-flight checklist of a
 * migration, without migrating. The same report feeds the CLI, the Slack request card and the
 * runner's re-check.
 */
import type { NovaRelease } from '../src/config/schema.js';
import {
  type MigrationPrediction,
  type PreflightCheck,
  type PreflightFacts,
  type PreflightVerdict,
  runPreflight,
} from '../src/engine/preflight/index.js';
import { LivemigError } from '../src/errors.js';
import type { MigrationOptions } from '../src/store/types.js';
import { formatBytes, formatDuration } from '../src/util/format.js';
import { parseDurationMs } from '../src/util/parse-duration.js';
import { checklistLines, verdictLines } from './checklist-text.js';
import type { CommandImpl, CommandInput } from './types.js';

export interface CheckRequest {
  /** VM name or UUID. */
  vm: string;
  /** Inventory name of the destination hypervisor. */
  destination: string;
  blockMigrate: boolean;
  /** The pause the requester accepts beyond the downtime budget (--accept-downtime), in ms. */
  acceptedDowntimeMs?: number;
  /** List every check, passes included (--verbose). */
  verbose?: boolean;
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
  /** The text lists every check, not only the problems (--verbose). */
  verbose: boolean;
}

/** Reads the request from the words (`check VM HOST [--block-migrate] [--accept-downtime 45s]`). */
export function parseCheckInput(input: CommandInput): CheckRequest {
  const [vm, destination] = input.args as [string, string];
  const request: CheckRequest = { vm, destination, blockMigrate: input.flags['block-migrate'] === true };
  const accepted = input.flags['accept-downtime'];
  if (typeof accepted === 'string') request.acceptedDowntimeMs = acceptedDowntime(accepted);
  if (input.flags.verbose === true) request.verbose = true;
  return request;
}

export function acceptedDowntime(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === null) {
    throw new LivemigError(
      'usage',
      `--accept-downtime needs a duration with a unit, like 45s or 2m (got "${text}")`,
      {
        hint: 'usage: --accept-downtime 45s (units: ms, s, m, h)',
      },
    );
  }
  return ms;
}

/** The request's options as the engine takes them. */
export function migrationOptionsOf(request: CheckRequest): MigrationOptions {
  return {
    blockMigrate: request.blockMigrate,
    ...(request.acceptedDowntimeMs === undefined ? {} : { acceptedDowntimeMs: request.acceptedDowntimeMs }),
  };
}

/**
 * The checklist of a migration. A VM livemig is already migrating (an unfinished migration in
 * its records) is blocked. Exit 0 for go and go-with-warnings, 1 when blocked.
 */
export const checkCommand: CommandImpl<CheckRequest, CheckReport, 'records'> = {
  needs: 'records',
  parse: parseCheckInput,
  async run(request, services) {
    const outcome = await runPreflight(services, {
      vm: request.vm,
      destination: request.destination,
      options: migrationOptionsOf(request),
      migrationInProgress: (uuid) => services.runner.hasUnfinishedMigration(uuid),
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
      verbose: request.verbose === true,
    };
  },
  renderText: renderCheckText,
  exitCode: (report) => (report.verdict === 'block' ? 1 : 0),
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

/** The checklist: a header with the VM, the problems with their fixes, the passes summarised, the verdict. */
export function renderCheckText(report: CheckReport): string {
  const lines = [header(report), '', ...checklistLines(report.checks, report.verbose)];
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

function dirtyRateWords(prediction: MigrationPrediction): string {
  if (prediction.dirtyRateSource === null) return 'unknown';
  const rate = `${prediction.dirtyRateMiBps} MiB/s`;
  return prediction.dirtyRateSource === 'observed' ? `~${rate} as seen during its last copy` : rate;
}

function predictionLine(prediction: MigrationPrediction): string {
  const inputs = `${formatBytes(prediction.memoryBytes)} at ${prediction.bandwidthMiBps} MiB/s, dirty rate ${dirtyRateWords(prediction)}`;
  if (prediction.live && !prediction.dirtyRateMeasured) {
    return `Prediction: at least ~${formatDuration(prediction.totalMs ?? 0)}; converges only below ~${prediction.maxConvergingDirtyRateMiBps ?? 0} MiB/s of dirtying (${inputs}).`;
  }
  if (prediction.converges) {
    return `Prediction: ~${formatDuration(prediction.totalMs ?? 0)}, pause ~${formatDuration(prediction.downtimeMs)}, ${prediction.iterations} round(s) (${inputs}).`;
  }
  return `Prediction: does not converge (rho ${prediction.rho.toFixed(2)}); forcing completion pauses the guest ~${formatDuration(prediction.downtimeMs)} (${inputs}).`;
}
