/**
 * Every pre-flight rule, in the order the checklist shows them. Adding a rule is one file plus one
 * line here; its id comes from this registry.
 */
import type { PreflightRule } from '../check.js';
import { checkBlockMigration } from './block-migration.js';
import { checkCapacity } from './capacity.js';
import { checkConfigDrive } from './config-drive.js';
import { checkConvergence } from './convergence.js';
import { checkCpuReboot } from './cpu-reboot.js';
import { checkDestination } from './destination.js';
import { checkDowntimeBudget } from './downtime-budget.js';
import { checkGuestCpu } from './guest-cpu.js';
import { checkHostsAnswered } from './hosts-answered.js';
import { checkInstanceDir } from './instance-dir.js';
import { checkMigrationFlags } from './migration-flags.js';
import { checkNovaCpuCheck } from './nova-cpu-check.js';
import { checkStorage } from './storage.js';
import { checkVm } from './vm.js';

export const preflightRules = {
  vm: checkVm,
  'hosts-answered': checkHostsAnswered,
  destination: checkDestination,
  capacity: checkCapacity,
  'guest-cpu': checkGuestCpu,
  'cpu-reboot': checkCpuReboot,
  'nova-cpu-check': checkNovaCpuCheck,
  storage: checkStorage,
  'block-migration': checkBlockMigration,
  'config-drive': checkConfigDrive,
  'instance-dir': checkInstanceDir,
  'migration-flags': checkMigrationFlags,
  convergence: checkConvergence,
  'downtime-budget': checkDowntimeBudget,
} as const satisfies Record<string, PreflightRule>;

/** The id of a pre-flight check. */
export type PreflightCheckId = keyof typeof preflightRules;
