/** Who may cancel: the requester of the request (or of the migration's request), and approvers. */
import type { BotDeps } from '../bot-deps.js';
import type { CallerRoles } from '../route/route-command.js';

export async function mayCancel(
  deps: Pick<BotDeps, 'store'>,
  id: string,
  userId: string,
  roles: CallerRoles,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (roles.mayApprove) return { ok: true };
  const request = deps.store.getRequest(id) ?? deps.store.listRequests((r) => r.migrationId === id)[0];
  if (!request)
    return { ok: false, message: `There is no request or migration ${id}. \`/migrate status\` lists them.` };
  if (request.requester.id === userId && roles.mayRequest) return { ok: true };
  return { ok: false, message: 'Only the requester or an approver may cancel this.' };
}
