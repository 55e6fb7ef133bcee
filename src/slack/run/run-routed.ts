/**
 * Runs a routed `/migrate` command after the ack: a request card for migrate, a reboot card for
 * reboot, the command's text result (ephemeral) for the read-only ones.
 */
import { auditCommand } from '../../../commands/audit.js';
import { baselineCommand } from '../../../commands/baseline.js';
import { cancelCommand } from '../../../commands/cancel.js';
import { checkCommand } from '../../../commands/check.js';
import { historyCommand } from '../../../commands/history.js';
import { hostsCommand } from '../../../commands/hosts.js';
import { statusCommand } from '../../../commands/status.js';
import type { Actor } from '../../store/types.js';
import { errorReply, textResultReply } from '../blocks/command-reply.js';
import type { SlackMessage } from '../blocks/kit.js';
import type { BotDeps } from '../bot-deps.js';
import type { CallerRoles, RoutedCommand } from '../route/route-command.js';
import { mayCancel } from './may-cancel.js';
import { postRebootCard } from './reboot-card.js';

export interface Caller {
  actor: Actor;
  channel: string;
  roles: CallerRoles;
  /** Answers the user only (ephemeral). */
  reply: (message: SlackMessage) => Promise<void>;
}

type Work = Exclude<RoutedCommand, { kind: 'help' | 'refused' }>;

export async function runRouted(deps: BotDeps, routed: Work, caller: Caller): Promise<void> {
  const services = { config: deps.config, executor: deps.executor, clock: deps.clock };
  switch (routed.kind) {
    case 'migrate': {
      const { request } = routed;
      await caller.reply(textOnly(`⏳ Checking ${request.vm} → ${request.destination}…`));
      const created = await deps.runner.createRequest({
        vm: request.vm,
        destination: request.destination,
        requester: caller.actor,
        options: { blockMigrate: request.blockMigrate, allowForceComplete: request.allowForceComplete },
      });
      const channel = deps.config.slack.requestChannel ?? caller.channel;
      const ts = await deps.cards.post(created, channel);
      if (ts === null)
        await caller.reply(
          errorReply(
            `I could not post the request card in <#${channel}>: invite me there (/invite @livemig).`,
          ),
        );
      deps.home.changed();
      return;
    }
    case 'reboot': {
      const server = await deps.cluster.showServer(routed.vm);
      await postRebootCard(deps, { uuid: server.uuid, name: server.name }, caller.actor, caller.channel);
      return;
    }
    case 'cancel': {
      const allowed = await mayCancel(deps, routed.id, caller.actor.id, caller.roles);
      if (!allowed.ok) return caller.reply(errorReply(allowed.message));
      const result = await cancelCommand.run({ id: routed.id }, { runner: deps.runner, actor: caller.actor });
      return caller.reply(textOnly(result.message));
    }
    case 'check':
      return caller.reply(
        textResultReply(
          'Pre-flight check',
          checkCommand.renderText(await checkCommand.run(routed.request, services)),
        ),
      );
    case 'status':
      return caller.reply(
        textResultReply(
          'Status',
          statusCommand.renderText(await statusCommand.run({}, { runner: deps.runner })),
        ),
      );
    case 'history':
      return caller.reply(
        textResultReply(
          'History',
          historyCommand.renderText(await historyCommand.run(routed.request, { store: deps.store })),
        ),
      );
    case 'hosts':
      return caller.reply(
        textResultReply('Hypervisors', hostsCommand.renderText(await hostsCommand.run({}, services))),
      );
    case 'baseline':
      return caller.reply(
        textResultReply(
          'Fleet CPU baseline',
          baselineCommand.renderText(await baselineCommand.run({}, services)),
        ),
      );
    case 'audit':
      return caller.reply(
        textResultReply('Fleet audit', auditCommand.renderText(await auditCommand.run({}, services))),
      );
  }
}

function textOnly(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'plain_text', text: text.slice(0, 3000) } }] };
}
