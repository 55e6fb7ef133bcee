/**
 * `reboot VM [--yes]`: a HARD reboot through nova, so a VM booted before the CPU baseline change
 * gets the configured CPU; waits until it is ACTIVE and confirms the live CPU with virsh dumpxml.
 */
import type { MigrationRunner, RebootOutcome } from '../src/engine/runner/index.js';
import type { Actor } from '../src/store/types.js';
import type { CommandModule } from './types.js';

export interface RebootRequest {
  vm: string;
  yes: boolean;
}

export interface RebootServices {
  runner: MigrationRunner;
  actor: Actor;
  /** Asks the operator; null when nobody can be asked. */
  confirm: ((question: string) => Promise<boolean>) | null;
}

export type RebootResult =
  | ({ kind: 'reboot' } & RebootOutcome)
  | { kind: 'reboot'; outcome: 'declined'; vmRef: string; message: string };

export const rebootCommand: CommandModule<RebootRequest, RebootResult, RebootServices> = {
  name: 'reboot',
  summary: 'hard-reboot a VM through nova so it boots with the configured CPU model',
  usage: 'reboot VM [--yes]',
  async run(request, services) {
    if (!request.yes) {
      if (services.confirm === null) {
        return {
          kind: 'reboot',
          outcome: 'declined',
          vmRef: request.vm,
          message: 'not a terminal: pass --yes to reboot',
        };
      }
      const confirmed = await services.confirm(`Hard-reboot ${request.vm}? Its guest OS restarts. [y/N] `);
      if (!confirmed)
        return { kind: 'reboot', outcome: 'declined', vmRef: request.vm, message: 'not confirmed' };
    }
    return { kind: 'reboot', ...(await services.runner.rebootHard(request.vm, services.actor)) };
  },
  renderText: (result) => {
    if (result.outcome === 'declined') return `Nothing was done (${result.message}).\n`;
    const cpu = `live CPU before: ${result.cpuBefore ?? 'unknown'}, after: ${result.cpuAfter ?? 'unknown'}, configured: ${result.configuredCpu ?? 'not set (cpu_mode is not custom)'}`;
    return `${result.outcome.toUpperCase()}: ${result.message}\n${cpu}\n`;
  },
};

/** Exit code: 0 rebooted with the configured CPU, 1 otherwise. */
export function rebootExitCode(result: RebootResult): number {
  return result.outcome === 'rebooted' ? 0 : 1;
}
