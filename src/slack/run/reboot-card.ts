/** Posts a hard-reboot approval card (from `/migrate reboot VM` or a reboot warning's button). */
import type { Actor, VmRef } from '../../store/types.js';
import { rebootCard } from '../blocks/reboot-blocks.js';
import type { BotDeps } from '../bot-deps.js';

export async function postRebootCard(
  deps: Pick<BotDeps, 'reboots' | 'slack' | 'home'>,
  vm: VmRef,
  requester: Actor,
  channel: string,
  threadTs?: string,
): Promise<string | null> {
  const id = deps.reboots.newId();
  const expiresAt = deps.reboots.expiryFromNow();
  const ts = await deps.slack.post(
    channel,
    rebootCard({ id, vm, requester, expiresAt, decision: null, outcome: null }),
    threadTs,
  );
  if (ts === null) return null;
  await deps.reboots.create(id, vm, requester, { channel, ts }, expiresAt);
  deps.home.changed();
  return ts;
}
