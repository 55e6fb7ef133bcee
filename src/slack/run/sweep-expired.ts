/** The periodic expiry sweep: requests past their time expire, and their cards lose their buttons. */
import { rebootCard } from '../blocks/reboot-blocks.js';
import type { BotDeps } from '../bot-deps.js';

export async function sweepExpired(deps: BotDeps): Promise<void> {
  const expired = await deps.runner.expireDue();
  for (const request of expired) await deps.cards.refresh(request.id);
  const reboots = await deps.reboots.expireDue();
  for (const reboot of reboots)
    await deps.slack.update(reboot.card.channel, reboot.card.ts, rebootCard({ ...reboot, outcome: null }));
  if (expired.length + reboots.length > 0) deps.home.changed();
}
