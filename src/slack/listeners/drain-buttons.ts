/**
 * The buttons of drains and maintenance campaigns. Each acks first and asks the core, which decides
 * with one compare-and-set (two approvers clicking at once start one drain; a redelivered click
 * changes nothing). The cards and status messages redraw from the drain's and campaign's events
 * (drain-threads.ts); a click that changed nothing is told why, privately.
 */
import { campaignLine } from '../blocks/drain-blocks.js';
import { type RejectTarget, rejectModal } from '../blocks/reject-modal.js';
import type { BotDeps } from '../bot-deps.js';
import { type ButtonArgs, type Click, readClick, refusalText, replyToClicker } from './click.js';

/** Approve a drain: re-planned first; a changed plan is shown on the card to be approved again. */
export function approveDrain(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const decided = await deps.core.approveDrain(click.value, click.caller);
    deps.home.changed();
    if (decided.outcome === 'plan_changed' && !click.redelivered) {
      await replyToClicker(
        deps,
        click,
        `The plan changed since it was made (${decided.changes.join('; ')}). The card shows the new plan: approve again to go ahead.`,
      );
    }
    if (decided.outcome === 'refused')
      await tellRefusal(
        deps,
        click,
        decided.code,
        decided.message,
        decided.drain?.decisions.at(-1)?.actor.id,
      );
  };
}

export function approveCampaign(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const decided = await deps.core.approveCampaign(click.value, click.caller);
    deps.home.changed();
    if (decided.outcome === 'refused')
      await tellRefusal(
        deps,
        click,
        decided.code,
        decided.message,
        decided.campaign?.decisions.at(-1)?.actor.id,
      );
  };
}

/** Reject on a drain's or campaign's card: approvers get the reason modal. */
export function rejectDrainOrCampaign(deps: BotDeps, kind: 'drain' | 'campaign') {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const record = kind === 'drain' ? deps.core.drain(click.value) : deps.core.campaign(click.value);
    const channel = record?.slack?.channel ?? click.channel;
    const ts = record?.slack?.ts ?? click.messageTs;
    if (!record || !channel || !ts) return;
    if (!click.caller.mayApprove) {
      await replyToClicker(deps, click, refusalText('not_approver', ''));
      return;
    }
    const target: RejectTarget = { kind, id: record.id, channel, ts };
    await deps.slack.openModal(
      click.triggerId,
      rejectModal(target, kind === 'drain' ? 'this drain' : 'this maintenance'),
    );
  };
}

/** Pause, Resume or Cancel on a drain (its card before approval, its status message after). */
export function controlDrain(deps: BotDeps, action: 'pause' | 'resume' | 'cancel') {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const result = await deps.core.controlDrain(click.value, click.caller, action);
    deps.home.changed();
    if (result.outcome === 'refused' && !click.redelivered) await replyToClicker(deps, click, result.message);
  };
}

/** Done (the host's maintenance is over) or Cancel on a campaign. */
export function controlCampaign(deps: BotDeps, action: 'done' | 'cancel') {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = await readClick(deps, args);
    const result = await deps.core.controlCampaign(click.value, click.caller, action);
    deps.home.changed();
    if (result.outcome === 'refused') {
      if (!click.redelivered) await replyToClicker(deps, click, result.message);
      return;
    }
    // The Done message keeps what it said and loses its buttons: it was answered.
    if (action === 'done' && click.channel && click.messageTs)
      await deps.slack.update(click.channel, click.messageTs, campaignLine(`✔️ ${result.message}`));
  };
}

async function tellRefusal(
  deps: BotDeps,
  click: Click,
  code: string,
  message: string,
  decidedBy: string | undefined,
): Promise<void> {
  // A redelivery's first delivery already answered; the clicker's own earlier decision needs no notice.
  if (click.redelivered || decidedBy === click.caller.actor.id) return;
  await replyToClicker(deps, click, refusalText(code, message));
}
