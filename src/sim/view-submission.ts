import { LivemigError } from '../errors.js';
import { isJsonObject } from './api/args.js';
import { parseViewInput } from './api/read-view.js';
import { type InputValues, viewStateValues } from './block-inputs.js';
import type { DeliveryOptions, DeliveryResult } from './delivery/types.js';
import { findView, type InteractionContext, resolveUser } from './interactions.js';
import type { SimUser, SimView } from './model/types.js';
import type { Workspace } from './model/workspace.js';
import { viewSubmissionPayload } from './payloads.js';

/** A user filling in a modal's inputs (by action_id) and pressing its submit button. */
export interface ViewSubmissionInput {
  user: string;
  viewId?: string;
  values: InputValues;
  delivery?: DeliveryOptions;
}

/** What became of the modal after the app's ack. */
export type ModalAfterSubmit =
  | { modal: 'closed' | 'cleared' | 'updated' | 'pushed' }
  | { modal: 'errors'; errors: Record<string, string> }
  | { modal: 'invalid_response'; problems: string[] };

export type ViewSubmissionOutcome = DeliveryResult & { after?: ModalAfterSubmit };

/** Fills in and submits a modal, then applies the ack's response_action like Slack. */
export async function submitView(
  context: InteractionContext,
  input: ViewSubmissionInput,
): Promise<ViewSubmissionOutcome> {
  const { workspace } = context;
  const user = resolveUser(workspace, input.user);
  const open = findView(workspace, user, input.viewId);
  if (open.type !== 'modal') throw new LivemigError('not_found', `view ${open.id} is not a modal`);
  const filled = workspace.views.setState(open.id, viewStateValues(open, input.values));
  if (!filled.ok) throw new LivemigError('not_found', `modal ${open.id} is not open`);
  const triggerId = context.triggers.issue(user.id);
  const payload = viewSubmissionPayload(context.origin, { user, view: filled.value, triggerId });
  const result = await context.delivery.deliver({ kind: 'interactive', payload }, input.delivery);
  if (!result.ok) return result;
  return { ...result, after: applyResponseAction(workspace, user, filled.value, result.ack) };
}

function applyResponseAction(
  workspace: Workspace,
  user: SimUser,
  view: SimView,
  ack: Record<string, unknown>,
): ModalAfterSubmit {
  switch (ack.response_action) {
    case 'errors': {
      const errors = isJsonObject(ack.errors) ? ack.errors : {};
      return {
        modal: 'errors',
        errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)])),
      };
    }
    case 'clear':
      workspace.views.closeModal(user.id, 'all');
      return { modal: 'cleared' };
    case 'update':
    case 'push': {
      const parsed = parseViewInput(ack.view, 'modal');
      if (!parsed.ok) return { modal: 'invalid_response', problems: problemsOf(parsed.reply) };
      if (ack.response_action === 'update') workspace.views.updateView({ view_id: view.id }, parsed.view);
      else workspace.views.pushModal(user.id, parsed.view);
      return { modal: ack.response_action === 'update' ? 'updated' : 'pushed' };
    }
    default:
      workspace.views.closeModal(user.id, 'top');
      return { modal: 'closed' };
  }
}

function problemsOf(reply: Record<string, unknown>): string[] {
  return Array.isArray(reply.errors) ? reply.errors.map(String) : [String(reply.error)];
}
