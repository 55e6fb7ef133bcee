/**
 * `reboot VM [--yes] [--force]`: asks for a HARD reboot through nova, so a VM booted before the
 * CPU baseline change gets the configured CPU. The request is stored and approved like a migration
 * request: on a terminal the operator's confirmation (or --yes) approves it and the reboot runs
 * here; on Slack an approver's button does. A reboot that would change nothing (the VM already
 * runs the configured model) is refused, unless --force.
 */
import type { RebootOutcome } from '../src/engine/runner/index.js';
import type { RequestRecord } from '../src/store/types.js';
import type { CommandImpl } from './types.js';

export interface RebootRequest {
  vm: string;
  yes: boolean;
  force: boolean;
}

export type RebootResult =
  | {
      kind: 'reboot';
      outcome: 'rebooted' | 'cpu_mismatch' | 'timeout' | 'failed' | 'interrupted';
      reboot: RebootOutcome;
      request: RequestRecord;
      message: string;
    }
  | {
      kind: 'reboot';
      outcome: 'not_needed' | 'declined' | 'refused';
      vmRef: string;
      request: RequestRecord | null;
      message: string;
    }
  /** On Slack: the reboot card waits for an approver. */
  | { kind: 'reboot'; outcome: 'awaiting_approval'; request: RequestRecord; message: string };

export const rebootCommand: CommandImpl<RebootRequest, RebootResult, 'runner'> = {
  needs: 'runner',
  parse: (input) => ({
    vm: input.args[0]!,
    yes: input.flags.yes === true,
    force: input.flags.force === true,
  }),
  async run(request, { runner }, caller) {
    const { actor } = caller;
    const stop = (
      outcome: 'not_needed' | 'declined' | 'refused',
      message: string,
      record: RequestRecord | null = null,
    ): RebootResult => ({
      kind: 'reboot',
      outcome,
      vmRef: request.vm,
      request: record,
      message,
    });
    const created = await runner.requestReboot({ vm: request.vm, requester: actor, force: request.force });
    if (created.outcome === 'not_needed') {
      const hint =
        caller.surface === 'cli'
          ? ' Nothing was rebooted; pass --force to reboot anyway.'
          : ' Nothing was rebooted.';
      return stop('not_needed', `${created.message}.${hint}`);
    }
    const record = created.request;
    if (caller.surface === 'slack')
      return {
        kind: 'reboot',
        outcome: 'awaiting_approval',
        request: record,
        message: 'The reboot waits for an approver.',
      };
    if (!request.yes) {
      const reason = caller.confirm === null ? 'not a terminal: pass --yes to reboot' : null;
      const confirmed =
        reason === null &&
        (await caller.confirm!(
          `Hard-reboot ${record.vm.name} on ${record.source}? Its guest OS restarts. [y/N] `,
        ));
      if (!confirmed) {
        const message = reason ?? 'not confirmed';
        const rejected = await runner.reject(record.id, actor, { actorIsApprover: true, reason: message });
        return stop('declined', `Nothing was done (${message}).`, rejected.request ?? record);
      }
    }
    const approval = await runner.approve(record.id, actor, { actorIsApprover: true });
    if (approval.outcome === 'not_needed')
      return stop('not_needed', `${approval.message}. Nothing was rebooted.`, approval.request);
    if (approval.outcome !== 'reboot_approved')
      return stop(
        'refused',
        approval.outcome === 'refused' ? approval.message : 'not approved',
        approval.request,
      );
    const reboot = await runner.waitForReboot(record.id);
    if (reboot === null) return stop('refused', 'the reboot did not start', approval.request);
    return {
      kind: 'reboot',
      outcome: reboot.result,
      reboot,
      request: approval.request,
      message: reboot.message,
    };
  },
  renderText(result) {
    if (result.outcome === 'awaiting_approval' || !('reboot' in result))
      return `${result.outcome.toUpperCase().replace('_', ' ')}: ${result.message}\n`;
    const { reboot } = result;
    const cpu = `live CPU before: ${reboot.cpuBefore ?? 'unknown'}, after: ${reboot.cpuAfter ?? 'unknown'}, configured: ${reboot.configuredCpu ?? 'not set (cpu_mode is not custom)'}`;
    return `${result.outcome.toUpperCase()}: ${result.message}\n${cpu}\n`;
  },
  /** 0 rebooted with the configured CPU, 1 otherwise (not needed included: nothing was done). */
  exitCode: (result) => (result.outcome === 'rebooted' ? 0 : 1),
};
