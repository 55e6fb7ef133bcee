/**
 * How nova presents a server: status, power state and the lookup novaclient does by name or id.
 */
import type { ExecReply } from '../../../types.js';
import type { WorldState, WorldVm } from '../../model.js';
import { commandError } from '../../nova-errors.js';

/** The API's status field. */
export function serverStatus(vm: WorldVm): string {
  if (vm.vmState === 'error') return 'ERROR';
  if (vm.vmState === 'stopped') return 'SHUTOFF';
  if (vm.taskState === 'migrating') return 'MIGRATING';
  return 'ACTIVE';
}

/** nova's power_state code and the name `nova list` shows for it. */
export function powerState(vm: WorldVm): { code: number; name: string } {
  // nova's power-state sync skips instances with a task, so a migrating guest stays "Running".
  if (vm.taskState === 'migrating' || vm.powerState === 'running') return { code: 1, name: 'Running' };
  if (vm.powerState === 'paused') return { code: 3, name: 'Paused' };
  return { code: 4, name: 'Shutdown' };
}

/** novaclient's find_resource: a uuid, else an exact name that must be unique. */
export function findServer(state: WorldState, nameOrId: string): WorldVm | ExecReply {
  const byId = state.vms.find((vm) => vm.uuid === nameOrId);
  if (byId) return byId;
  const byName = state.vms.filter((vm) => vm.name === nameOrId);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    return commandError(`Multiple server matches found for '${nameOrId}', use an ID to be more specific.`);
  }
  return commandError(`No server with a name or ID of '${nameOrId}' exists.`);
}

/** True when findServer answered with an error. */
export function isReply(value: WorldVm | ExecReply): value is ExecReply {
  return 'code' in value;
}

/** `2026-01-01T00:00:00Z` as nova's API prints created/updated. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `2026-01-01T00:00:00.000000` as nova prints service and migration times. */
export function isoMicros(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

/** novaclient's usage error for a subcommand (argparse), exit status 2. */
export function usageError(usage: string, message: string, subcommand: string): ExecReply {
  return {
    stdout: '',
    stderr: `usage: nova ${usage}\nerror: ${message}\nTry 'nova help ${subcommand}' for more information.\n`,
    code: 2,
  };
}
