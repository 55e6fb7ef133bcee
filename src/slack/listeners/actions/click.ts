/** What every button listener reads from a block_actions payload. */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../../store/types.js';
import { errorReply } from '../../blocks/command-reply.js';
import { type BotDeps, slackActor } from '../../bot-deps.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export interface Click {
  actor: Actor;
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

export function readClick({ body, action, context }: ButtonArgs): Click {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return {
    actor: slackActor(body.user),
    value: action.value ?? '',
    channel: body.channel?.id ?? body.container?.channel_id,
    messageTs: message?.ts,
    threadTs: message?.thread_ts ?? message?.ts,
    triggerId: body.trigger_id,
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
  await deps.slack.ephemeral(click.channel, click.actor.id, errorReply(text), click.threadTs);
}
