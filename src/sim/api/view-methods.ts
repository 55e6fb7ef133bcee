import type { SimViewType } from '../model/types.js';
import type { ViewInput } from '../model/view-store.js';
import { type ApiArgs, jsonArg, stringArg } from './args.js';
import { type ApiMethod, type ApiReply, fail } from './method.js';
import { parseViewInput } from './read-view.js';

/** Reads the `view` argument and checks it is a valid view of `type`. */
function readView(
  args: ApiArgs,
  type: SimViewType,
): { ok: true; view: ViewInput } | { ok: false; reply: ApiReply } {
  const parsed = jsonArg(args, 'view');
  return parseViewInput(parsed.ok ? parsed.value : undefined, type);
}

const publish: ApiMethod = {
  token: 'bot',
  handle(args, { workspace }) {
    const userId = stringArg(args, 'user_id') ?? '';
    if (!workspace.user(userId)) return fail('user_not_found');
    const read = readView(args, 'home');
    if (!read.ok) return read.reply;
    const published = workspace.views.publishHome(userId, read.view, stringArg(args, 'hash'));
    return published.ok ? { ok: true, view: published.value } : fail(published.error);
  },
};

/** views.open and views.push: both redeem the trigger_id of the user's action. */
function modalMethod(kind: 'open' | 'push'): ApiMethod {
  return {
    token: 'bot',
    handle(args, { workspace, triggers }) {
      const read = readView(args, 'modal');
      if (!read.ok) return read.reply;
      const trigger = triggers.use(stringArg(args, 'trigger_id') ?? '');
      if (!trigger.ok) return fail(trigger.error);
      const opened =
        kind === 'open'
          ? workspace.views.openModal(trigger.userId, read.view)
          : workspace.views.pushModal(trigger.userId, read.view);
      return opened.ok ? { ok: true, view: opened.value } : fail(opened.error);
    },
  };
}

const update: ApiMethod = {
  token: 'bot',
  handle(args, { workspace }) {
    const viewId = stringArg(args, 'view_id');
    const externalId = stringArg(args, 'external_id');
    if (viewId === undefined && externalId === undefined) return fail('invalid_arguments');
    const current = viewId ? workspace.views.view(viewId) : undefined;
    const read = readView(args, current?.type ?? 'modal');
    if (!read.ok) return read.reply;
    const hash = stringArg(args, 'hash');
    const updated = workspace.views.updateView(
      {
        ...(viewId ? { view_id: viewId } : {}),
        ...(externalId ? { external_id: externalId } : {}),
        ...(hash ? { hash } : {}),
      },
      read.view,
    );
    return updated.ok ? { ok: true, view: updated.value } : fail(updated.error);
  },
};

/** views.* methods. */
export const viewMethods: Record<string, ApiMethod> = {
  'views.publish': publish,
  'views.open': modalMethod('open'),
  'views.push': modalMethod('push'),
  'views.update': update,
};
