/** What every button listener reads from a block_actions payload, and how it answers the clicker. */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Caller } from '../../../commands/types.js';
import { userMessage } from '../../errors.js';
import { errorReply } from '../blocks/command-reply.js';
import { type BotDeps, slackCaller } from '../bot-deps.js';
import { describeError } from '../logger.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export interface Click {
  caller: Caller;
  /** The button's value: an id. */
  value: string;
  /** Where the clicked message is (absent for App Home buttons). */
  channel: string | undefined;
  messageTs: string | undefined;
  /** The thread the message is in (its own ts for a thread parent). */
  threadTs: string | undefined;
  triggerId: string;
  /** Slack redelivered this click (X-Slack-Retry-Num): repeat nothing, say nothing twice. */
  redelivered: boolean;
}

/**
 * A button listener that cannot fail silently: when its work throws (a re-check whose SSH timed
 * out, a store that could not write), the clicker is told privately what went wrong and that
 * nothing was decided, so they can click again, and the bot logs it.
 */
export function answered(
  deps: Pick<BotDeps, 'slack' | 'logger'>,
  listener: (args: ButtonArgs) => Promise<void>,
): (args: ButtonArgs) => Promise<void> {
  return async (args) => {
    try {
      await listener(args);
    } catch (error) {
      deps.logger.error(`button ${args.action.action_id} failed: ${describeError(error)}`);
      const where = clickedAt(args);
      if (!where.channel || where.redelivered) return;
      const user = args.body.user.id;
      const text = `That click did not go through, and nothing was decided: ${userMessage(error).replace(/[.\s]+$/, '')}. Click again to try once more.`;
      await deps.slack
        .ephemeral(where.channel, user, errorReply(text), where.threadTs)
        .catch((replyError: unknown) =>
          deps.logger.warn(`could not tell ${user} about it: ${describeError(replyError)}`),
        );
    }
  };
}

/** Reads the click and the clicker's roles now. Call it after ack(). */
export async function readClick(deps: Pick<BotDeps, 'access'>, args: ButtonArgs): Promise<Click> {
  const { body, action } = args;
  return {
    caller: await slackCaller(deps, body.user),
    value: action.value ?? '',
    ...clickedAt(args),
    triggerId: body.trigger_id,
  };
}

/** Where the click was (the clicked message, its thread) and whether Slack redelivered it. */
function clickedAt({
  body,
  context,
}: ButtonArgs): Pick<Click, 'channel' | 'messageTs' | 'threadTs' | 'redelivered'> {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    channel: body.channel?.id ?? body.container?.channel_id,
    messageTs: message?.ts,
    threadTs: message?.thread_ts ?? message?.ts,
    redelivered: (context.retryNum ?? 0) > 0,
  };
}

/**
 * Tells the clicker, privately and in the clicked message's thread, why nothing happened. An App
 * Home click has no channel to answer in, so it gets no reply.
 */
export async function replyToClicker(
  deps: Pick<BotDeps, 'slack'>,
  click: Click,
  text: string,
): Promise<void> {
  if (!click.channel) return;
  await deps.slack.ephemeral(click.channel, click.caller.actor.id, errorReply(text), click.threadTs);
}

/** A refused decision as the clicker reads it: what happened and what to do. */
export function refusalText(code: string, message: string): string {
  switch (code) {
    case 'own_request':
      return 'You cannot approve your own request: someone else in the approvers must (two-person rule).';
    case 'not_approver':
      return 'You are not an approver, so your click changed nothing. Ask someone in the approvers group.';
    case 'expired':
      return 'This request has expired. Run /migrate again to get fresh checks.';
    default:
      return `Nothing changed: ${message.replace(/[.\s]+$/, '')}.`;
  }
}
