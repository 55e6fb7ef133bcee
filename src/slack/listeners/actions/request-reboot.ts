/** `Request hard reboot` under a reboot warning: posts a reboot approval card in the thread. */
import type { BotDeps } from '../../bot-deps.js';
import { postRebootCard } from '../../run/reboot-card.js';
import { type ButtonArgs, readClick, replyToClicker } from './click.js';

export function requestReboot(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    if (!click.channel || click.redelivered) return;
    const roles = await deps.access.rolesOf(click.actor.id);
    if (!roles.mayRequest) {
      await replyToClicker(deps, click, 'You may not request reboots: you are not in approval.requesters.');
      return;
    }
    const server = await deps.cluster.showServer(click.value).catch(() => null);
    if (!server) {
      await replyToClicker(deps, click, 'nova no longer knows this VM.');
      return;
    }
    await postRebootCard(
      deps,
      { uuid: server.uuid, name: server.name },
      click.actor,
      click.channel,
      click.threadTs,
    );
  };
}
