/**
 * `/migrate …`: acks at once, routes the text through the command core, runs the command as the
 * Slack user and answers: a request card for migrate, a reboot card for reboot, the command's
 * rendering (ephemeral) for the others.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { DrainResult, UndrainResult } from '../../../commands/drain.js';
import type { MaintenanceResult } from '../../../commands/maintenance.js';
import type { MigrateResult } from '../../../commands/migrate.js';
import type { RebootResult } from '../../../commands/reboot.js';
import type { Caller } from '../../../commands/types.js';
import { userMessage } from '../../errors.js';
import { cardPostedReply, commandReply, errorReply, helpReply, plainReply } from '../blocks/command-reply.js';
import { escapeText, message, type SlackMessage, section } from '../blocks/kit.js';
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
      if (entry.name === 'drain' || entry.name === 'maintenance') {
        await reply(
          plainReply(
            `⏳ Planning ${entry.name === 'drain' ? 'the drain of' : 'the maintenance of'} ${input.args.join(', ')}…`,
          ),
        );
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
      const posted = await postOperationCard(deps, ran.result, command.channel_id);
      await reply(posted ?? commandReply(ran));
    } catch (error) {
      await reply(errorReply(userMessage(error)));
    }
  };
}

/**
 * A drain, a move back (undrain --return) or a maintenance campaign awaiting approval gets its card
 * in config.slack.requestChannel (or where it was typed); returns the reply to the typer, or null
 * when the result has no card.
 */
async function postOperationCard(
  deps: BotDeps,
  result: { kind: string },
  typedIn: string,
): Promise<SlackMessage | null> {
  const channel = deps.config.slack.requestChannel ?? typedIn;
  let ts: string | null;
  let what: string;
  if (result.kind === 'drain' && (result as DrainResult).outcome === 'awaiting_approval') {
    const drain = (result as DrainResult).drain!;
    ts = await deps.drains.postDrainCard(drain, channel);
    what = `Drain of ${drain.sources.join(', ')}`;
  } else if (result.kind === 'undrain' && (result as UndrainResult).returned?.state === 'awaiting_approval') {
    const undrain = result as UndrainResult;
    ts = await deps.drains.postDrainCard(undrain.returned!, channel);
    what = `${undrain.message} Moving VMs back to ${undrain.host}`;
  } else if (result.kind === 'maintenance' && (result as MaintenanceResult).outcome === 'awaiting_approval') {
    const campaign = (result as MaintenanceResult).campaign;
    ts = await deps.drains.postCampaignCard(campaign, channel);
    what = `Maintenance of ${campaign.hosts.map((h) => h.host).join(', ')}`;
  } else {
    return null;
  }
  deps.home.changed();
  if (ts === null)
    return errorReply(`I could not post the card in <#${channel}>: invite me there (/invite @livemig).`);
  const text = `${what}: the card waits for an approver`;
  return message(text, [section(`✔️ ${escapeText(text)} in <#${channel}>.`)]);
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
