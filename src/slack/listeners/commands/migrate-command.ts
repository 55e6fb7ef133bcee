/** `/migrate …`: acks at once, routes the text, then does the work and answers. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { userMessage } from '../../../errors.js';
import { errorReply, helpReply } from '../../blocks/command-reply.js';
import type { SlackMessage } from '../../blocks/kit.js';
import { type BotDeps, slackActor } from '../../bot-deps.js';
import { routeCommand } from '../../route/route-command.js';
import { runRouted } from '../../run/run-routed.js';
import { describeError } from '../../web/logger.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export function migrateCommand(deps: BotDeps) {
  return async ({ command, ack, respond }: Args): Promise<void> => {
    await ack();
    const reply = async (message: SlackMessage): Promise<void> => {
      await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks }).catch(
        (error: unknown) => deps.logger.warn(`response_url reply failed: ${describeError(error)}`),
      );
    };
    try {
      const roles = await deps.access.rolesOf(command.user_id);
      const hosts = deps.config.cluster.hypervisors.map((h) => h.name);
      const routed = routeCommand(command.text, { ...roles, hosts });
      if (routed.kind === 'help') return await reply(helpReply(routed.help));
      if (routed.kind === 'refused') return await reply(helpReply(routed.help, routed.text));
      await runRouted(deps, routed, {
        actor: slackActor({ id: command.user_id, name: command.user_name }),
        channel: command.channel_id,
        roles,
        reply,
      });
    } catch (error) {
      await reply(errorReply(userMessage(error)));
    }
  };
}
