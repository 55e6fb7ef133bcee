/** The reject modal's submission: records the rejection with its reason and redraws the card. */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { readRejectReason, readRejectTarget } from '../blocks/reject-modal.js';
import { type BotDeps, slackCaller } from '../bot-deps.js';
import { refusalText } from './click.js';
import { tellSubmitter } from './decisions.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function rejectReason(deps: BotDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    await ack();
    // Without a reason the receiver answered with the modal's errors (receiver/ack-policy.ts).
    const reason = readRejectReason(view);
    if (reason === '') return;
    const target = readRejectTarget(view.private_metadata);
    if (!target) return;
    const caller = await slackCaller(deps, body.user);
    if (target.kind === 'drain' || target.kind === 'campaign') {
      const decided =
        target.kind === 'drain'
          ? await deps.core.rejectDrain(target.id, caller, reason)
          : await deps.core.rejectCampaign(target.id, caller, reason);
      if (decided.outcome === 'refused')
        await tellSubmitter(
          deps,
          target.channel,
          caller.actor.id,
          refusalText(decided.code, decided.message),
        );
      return;
    }
    const outcome = await deps.core.reject(target.id, caller, reason);
    await deps.cards.refresh(target.id);
    deps.home.changed();
    const repeated = outcome.outcome === 'refused' && outcome.existing?.actor.id === caller.actor.id;
    if (outcome.outcome === 'refused' && !repeated)
      await tellSubmitter(deps, target.channel, caller.actor.id, refusalText(outcome.code, outcome.message));
  };
}
