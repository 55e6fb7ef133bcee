/**
 * `maintenance HOST... [--return] [--to HOST,...] [--accept-downtime D] [--continue-on-failure]
 * [--yes]`: rolling maintenance (src/engine/drain/campaigns.ts). Each host in turn is drained,
 * waits empty and disabled for the maintenance, and on Done is undrained (its VMs brought back
 * with --return) before the next starts. On a terminal the operator confirms the campaign and
 * answers Done for each host; on Slack an approver approves its card and Done is a button.
 */
import { type CampaignSpec, isDrainFinished } from '../src/engine/drain/index.js';
import { LivemigError } from '../src/errors.js';
import type { CampaignRecord } from '../src/store/types.js';
import { acceptedDowntime } from './check.js';
import { followDrain, parseDrainInput } from './drain.js';
import type { Caller, CommandImpl, RunnerServices } from './types.js';

export interface MaintenanceRequest extends CampaignSpec {
  yes: boolean;
  /** `--done HOST`: HOST's maintenance is done (a terminal that cannot be asked says so this way). */
  done?: string;
}

export type MaintenanceOutcome =
  | 'awaiting_approval'
  | 'declined'
  /** Every host was drained, maintained and enabled again. */
  | 'finished'
  /** A host waits for its Done (nobody at a terminal to say it): running the command again carries on. */
  | 'waiting'
  | 'cancelled';

export interface MaintenanceResult {
  kind: 'maintenance';
  outcome: MaintenanceOutcome;
  campaign: CampaignRecord;
  message: string;
}

export const maintenanceCommand: CommandImpl<MaintenanceRequest, MaintenanceResult, 'runner'> = {
  needs: 'runner',
  parse(input) {
    const drain = parseDrainInput(input);
    const accepted = input.flags['accept-downtime'];
    return {
      hosts: drain.sources,
      to: drain.to,
      acceptedDowntimeMs: typeof accepted === 'string' ? acceptedDowntime(accepted) : undefined,
      continueOnFailure: drain.continueOnFailure,
      returnVms: input.flags.return === true,
      yes: drain.yes,
      ...(typeof input.flags.done === 'string' ? { done: input.flags.done } : {}),
    };
  },
  async run(request, services, caller) {
    const { campaigns, drains } = services;
    const result = (
      outcome: MaintenanceOutcome,
      campaign: CampaignRecord,
      message: string,
    ): MaintenanceResult => ({
      kind: 'maintenance',
      outcome,
      campaign,
      message,
    });
    const unfinished = campaigns.list(
      (c) => c.state === 'running' && c.hosts.map((h) => h.host).join(' ') === request.hosts.join(' '),
    )[0];
    if (unfinished && caller.surface === 'cli') {
      caller.onEvent?.({ kind: 'text', text: `Carrying on maintenance ${unfinished.id}.\n` });
      drains.reconcile();
      campaigns.reconcile();
      return follow(services, caller, unfinished.id, request, result);
    }
    if (request.done !== undefined) {
      throw new LivemigError('usage', `no maintenance of ${request.hosts.join(', ')} is under way`, {
        hint: '`livemig status` lists the campaigns; --done names a host of one.',
      });
    }
    const created = await campaigns.create(request, caller.actor);
    if (caller.surface === 'slack')
      return result('awaiting_approval', created, 'The campaign waits for an approver (someone else).');
    caller.onEvent?.({ kind: 'text', text: renderCampaign(created) });
    if (!request.yes) {
      const confirmed =
        caller.confirm !== null &&
        (await caller.confirm(`Drain and maintain ${request.hosts.join(', ')} one at a time? [y/N] `));
      if (!confirmed) {
        const cancelled = await campaigns.cancel(created.id, caller.actor);
        const why =
          caller.confirm === null ? 'not confirmed: not a terminal, so pass --yes' : 'not confirmed';
        return result('declined', cancelled.campaign ?? created, `Nothing was changed (${why}).`);
      }
    }
    const approved = await campaigns.approve(created.id, caller.actor, { actorIsApprover: true });
    if (approved.outcome !== 'approved') return result('declined', created, approved.message);
    return follow(services, caller, created.id, request, result);
  },
  renderText: (result) =>
    `${renderCampaign(result.campaign)}${result.outcome.toUpperCase()}: ${result.message}\n`,
  exitCode: (result) => (result.outcome === 'finished' || result.outcome === 'awaiting_approval' ? 0 : 1),
};

/** Follows the campaign here: each host's drain, then the operator's Done at the terminal. */
async function follow(
  services: RunnerServices,
  caller: Caller,
  id: string,
  request: MaintenanceRequest,
  result: (outcome: MaintenanceOutcome, campaign: CampaignRecord, message: string) => MaintenanceResult,
): Promise<MaintenanceResult> {
  const { campaigns } = services;
  for (;;) {
    const campaign = await campaigns.settled(id);
    if (campaign.state === 'finished')
      return result('finished', campaign, 'Every host was maintained and enabled again.');
    if (campaign.state !== 'running') return result('cancelled', campaign, campaign.message ?? 'cancelled');
    const host = campaign.hosts.find((h) => h.step !== 'done' && h.step !== 'cancelled')!;
    const drainId =
      host.step === 'draining' ? host.drainId : host.step === 'returning' ? host.returnId : undefined;
    if (drainId) {
      const drain = await followDrain(services, caller, drainId, request.yes);
      if (isDrainFinished(drain.state)) await campaigns.settled(id);
      continue;
    }
    if (host.step !== 'awaiting_done') {
      campaigns.carryOn(id);
      continue;
    }
    caller.onEvent?.({ kind: 'text', text: `${host.message}\n` });
    const said = request.done === host.host;
    const done =
      said ||
      (caller.confirm !== null && (await caller.confirm(`Is the maintenance of ${host.host} done? [y/N] `)));
    if (!done) {
      const again = `livemig maintenance ${campaign.hosts.map((h) => h.host).join(' ')} --done ${host.host}`;
      return result(
        'waiting',
        campaign,
        `${host.host} waits for its maintenance. When it is done: \`${again}\` (or \`livemig cancel ${id}\`).`,
      );
    }
    if (said) delete request.done;
    await campaigns.done(id, caller.actor);
  }
}

/** The campaign: each host with where it is. */
export function renderCampaign(campaign: CampaignRecord): string {
  const lines = [
    `Maintenance ${campaign.id} of ${campaign.hosts.map((h) => h.host).join(', ')} (${campaign.state}):`,
  ];
  for (const host of campaign.hosts)
    lines.push(`  ${host.host}: ${host.step.replace('_', ' ')}${host.message ? ` — ${host.message}` : ''}`);
  return `${lines.join('\n')}\n`;
}
