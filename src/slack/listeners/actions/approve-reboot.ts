/** Approve on a hard-reboot card: the decision is recorded once, then the runner reboots the VM. */
import { rebootCard } from '../../blocks/reboot-blocks.js';
import type { BotDeps } from '../../bot-deps.js';
import { refusalText } from './approve-request.js';
import { type ButtonArgs, readClick, replyToClicker } from './click.js';

export function approveReboot(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const roles = await deps.access.rolesOf(click.actor.id);
    const decided = await deps.reboots.decide(click.value, 'approve', click.actor, {
      actorIsApprover: roles.mayApprove,
    });
    if (decided.outcome === 'refused') {
      if (decided.request)
        await deps.slack.update(
          decided.request.card.channel,
          decided.request.card.ts,
          rebootCard({ ...decided.request, outcome: null }),
        );
      if (decided.repeated || click.redelivered) return;
      await replyToClicker(deps, click, refusalText(decided.code, decided.message));
      return;
    }
    const { card } = decided.request;
    await deps.slack.update(card.channel, card.ts, rebootCard({ ...decided.request, outcome: null }));
    const outcome = await deps.runner
      .rebootHard(decided.request.vm.uuid, click.actor)
      .catch((error: unknown) => ({
        outcome: 'failed' as const,
        message: `the reboot failed: ${error instanceof Error ? error.message : String(error)}`,
      }));
    const finished = 'vm' in outcome ? outcome : null;
    await deps.slack.update(card.channel, card.ts, rebootCard({ ...decided.request, outcome: finished }));
    const icon = outcome.outcome === 'rebooted' ? '✅' : '❌';
    const next = outcome.outcome === 'rebooted' ? ' Run `/migrate` again to request the migration.' : '';
    await deps.slack.post(
      card.channel,
      {
        text: outcome.message,
        blocks: [
          {
            type: 'section',
            text: { type: 'plain_text', text: `${icon} ${outcome.message}${next}`.slice(0, 3000) },
          },
        ],
      },
      click.threadTs ?? card.ts,
    );
    deps.home.changed();
  };
}
