/** Reject on a request card: approvers get a modal asking why (view_submission decides). */
import type { BotDeps } from '../../bot-deps.js';
import { type ButtonArgs, readClick } from './click.js';
import { openRejectModal } from './open-reject-modal.js';

export function rejectRequest(deps: BotDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const click = readClick(args);
    const request = deps.store.getRequest(click.value);
    if (!request || !click.channel || !click.messageTs) return;
    const target = { kind: 'request', id: request.id, channel: click.channel, ts: click.messageTs } as const;
    await openRejectModal(deps, click, target, request.vm.name);
  };
}
