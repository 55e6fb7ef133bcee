/**
 * `/migrate …`: acks at once, routes the text through the command core, runs the command as the
 * Slack user and answers: a request card for migrate, a reboot card for reboot, the command's
 * rendering (ephemeral) for the others.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { MigrateResult } from '../../../commands/migrate.js';
import type { RebootResult } from '../../../commands/reboot.js';
import type { Caller } from '../../../commands/types.js';
import { userMessage } from '../../errors.js';
import { cardPostedReply, commandReply, errorReply, helpReply, plainReply } from '../blocks/command-reply.js';
import type { SlackMessage } from '../blocks/kit.js';
import { type BotDeps, slackCaller } from '../bot-deps.js';
import { describeError } from '../logger.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function migrateCommand(deps: BotDeps) {
  return async ({ command, ack, respond }: Args): Promise<void> => {
    await ack();
    // Once "⏳ Checking…" is shown, every answer replaces it (then the one before), as in Slack:
    // an ephemeral cannot be edited otherwise, and a stale "Checking" would stay forever.
    let replacing = false;
    const reply = async (message: SlackMessage): Promise<void> => {
      const replace = replacing ? { replace_original: true } : {};
      await respond({
        response_type: 'ephemeral',
        text: message.text,
        blocks: message.blocks,
        ...replace,
      }).catch((error: unknown) => deps.logger.warn(`response_url reply failed: ${describeError(error)}`));
    };
    try {
      const caller: Caller = {
        ...(await slackCaller(deps, { id: command.user_id, name: command.user_name })),
        channel: command.channel_id,
        onEvent: (event) => {
          if (event.kind === 'waiting') void reply(plainReply(waitingText(event.ahead)));
        },
      };
      const routed = await deps.core.route(command.text, caller);
      if (routed.kind === 'refused') return await reply(helpReply(routed.help, routed.text));
      const { entry, input } = routed;
      if (entry.name === 'migrate') {
        await reply(plainReply(`⏳ Checking ${input.args[0]} → ${input.args[1]}…`));
        replacing = true;
      }
      const ran = await deps.core.run(routed, caller);
      const card = entry.name === 'migrate' ? (ran.result as MigrateResult).request : undefined;
      if (card) {
        await postCard(deps, card, command.channel_id, reply);
        return;
      }
      const reboot = entry.name === 'reboot' ? (ran.result as RebootResult) : null;
      if (reboot?.outcome === 'awaiting_approval') {
        await postCard(deps, reboot.request, command.channel_id, reply);
        return;
      }
      await reply(commandReply(ran));
    } catch (error) {
      await reply(errorReply(userMessage(error)));
    }
  };
}

/** The place in line of a command that waits for the checks running now. */
function waitingText(ahead: number): string {
  const others = ahead === 1 ? '1 check is' : `${ahead} checks are`;
  return `⏳ ${others} ahead of yours; it starts as soon as one finishes.`;
}

/** The card goes to config.slack.requestChannel, or where the command was typed. */
async function postCard(
  deps: BotDeps,
  request: NonNullable<MigrateResult['request']>,
  typedIn: string,
  reply: (message: SlackMessage) => Promise<void>,
): Promise<void> {
  const channel = deps.config.slack.requestChannel ?? typedIn;
  const ts = await deps.cards.post(request, channel);
  if (ts === null)
    await reply(
      errorReply(`I could not post the card in <#${channel}>: invite me there (/invite @livemig).`),
    );
  else await reply(cardPostedReply(request, channel));
  deps.home.changed();
}
