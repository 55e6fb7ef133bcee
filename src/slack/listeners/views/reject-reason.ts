/** The reject modal's submission: records the rejection with its reason and redraws the card. */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { errorReply } from '../../blocks/command-reply.js';
import { rebootCard } from '../../blocks/reboot-blocks.js';
import { readRejectTarget, rejectModalIds } from '../../blocks/reject-modal.js';
import { type BotDeps, slackActor } from '../../bot-deps.js';
import { refusalText } from '../actions/approve-request.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function rejectReason(deps: BotDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const reason = view.state.values[rejectModalIds.block]?.[rejectModalIds.input]?.value?.trim() ?? '';
    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [rejectModalIds.block]: 'Say why, so the requester knows what to change.' },
      });
      return;
    }
    await ack();
    const target = readRejectTarget(view.private_metadata);
    if (!target) return;
    const actor = slackActor(body.user);
    const roles = await deps.access.rolesOf(actor.id);
    const details = { actorIsApprover: roles.mayApprove, reason };
    if (target.kind === 'request') {
      const outcome = await deps.runner.reject(target.id, actor, details);
      await deps.cards.refresh(target.id);
      deps.home.changed();
      if (outcome.outcome === 'refused') {
        await deps.slack.ephemeral(
          target.channel,
          actor.id,
          errorReply(refusalText(outcome.code, outcome.message)),
        );
      }
      return;
    }
    const decided = await deps.reboots.decide(target.id, 'reject', actor, details);
    if (decided.request)
      await deps.slack.update(target.channel, target.ts, rebootCard({ ...decided.request, outcome: null }));
    if (decided.outcome === 'refused' && !decided.repeated) {
      await deps.slack.ephemeral(
        target.channel,
        actor.id,
        errorReply(refusalText(decided.code, decided.message)),
      );
    }
  };
}
