import type {
  Block,
  JsonObject,
  SimBotIdentity,
  SimResult,
  SimTeam,
  SimView,
  SimViewType,
  WorkspaceEvent,
} from './types.js';

/** A view as an app sends it to views.publish / views.open / views.update (already validated). */
export interface ViewInput {
  type: SimViewType;
  blocks: Block[];
  title?: JsonObject;
  submit?: JsonObject;
  close?: JsonObject;
  private_metadata?: string;
  callback_id?: string;
  external_id?: string;
  clear_on_close?: boolean;
  notify_on_close?: boolean;
}

/** Which view views.update targets, and the hash that guards against lost updates. */
export interface ViewTarget {
  view_id?: string;
  external_id?: string;
  hash?: string;
}

interface ViewStoreSetup {
  team: SimTeam;
  bot: SimBotIdentity;
  emit: (event: WorkspaceEvent) => void;
}

/** Slack lets an app stack at most three modals. */
const maxModalStack = 3;

/**
 * App Home tabs (one per user) and modal stacks (per user). Part of the Workspace; ids and
 * hashes come from counters so a run is reproducible.
 */
export class ViewStore {
  readonly #setup: ViewStoreSetup;
  readonly #homes = new Map<string, SimView>();
  readonly #modals = new Map<string, SimView[]>();
  #counter = 0;

  constructor(setup: ViewStoreSetup) {
    this.#setup = setup;
  }

  /** The user's App Home as last published, if any. */
  home(userId: string): SimView | undefined {
    return this.#homes.get(userId);
  }

  /** The user's open modals, bottom first (the last one is on screen). */
  modalStack(userId: string): SimView[] {
    return [...(this.#modals.get(userId) ?? [])];
  }

  /** Any current view (a Home or an open modal) by id. */
  view(viewId: string): SimView | undefined {
    return this.#all().find((view) => view.id === viewId);
  }

  publishHome(userId: string, input: ViewInput, hash?: string): SimResult<SimView> {
    const current = this.#homes.get(userId);
    if (current && hash !== undefined && hash !== current.hash) return { ok: false, error: 'hash_conflict' };
    const view = this.#build(userId, input, current?.id, null);
    this.#homes.set(userId, view);
    this.#setup.emit({ type: 'home_published', view });
    return { ok: true, value: view };
  }

  openModal(userId: string, input: ViewInput): SimResult<SimView> {
    const view = this.#build(userId, input, undefined, null);
    this.#modals.set(userId, [view]);
    this.#setup.emit({ type: 'modal_opened', view });
    return { ok: true, value: view };
  }

  pushModal(userId: string, input: ViewInput): SimResult<SimView> {
    const stack = this.#modals.get(userId) ?? [];
    const top = stack.at(-1);
    if (!top) return { ok: false, error: 'not_found' };
    if (stack.length >= maxModalStack) return { ok: false, error: 'push_limit_reached' };
    const view = this.#build(userId, input, undefined, top.id, top.root_view_id);
    stack.push(view);
    this.#setup.emit({ type: 'modal_opened', view });
    return { ok: true, value: view };
  }

  updateView(target: ViewTarget, input: ViewInput): SimResult<SimView> {
    const current = this.#all().find(
      (view) =>
        (target.view_id !== undefined && view.id === target.view_id) ||
        (target.external_id !== undefined && view.external_id === target.external_id),
    );
    if (!current) return { ok: false, error: 'not_found' };
    if (target.hash !== undefined && target.hash !== current.hash)
      return { ok: false, error: 'hash_conflict' };
    const view = this.#build(
      current.user_id,
      { ...input, type: current.type },
      current.id,
      current.previous_view_id,
      current.root_view_id,
    );
    if (current.type === 'home') {
      this.#homes.set(current.user_id, view);
      this.#setup.emit({ type: 'home_published', view });
    } else {
      const stack = this.#modals.get(current.user_id) ?? [];
      stack[stack.findIndex((v) => v.id === current.id)] = view;
      this.#setup.emit({ type: 'modal_updated', view });
    }
    return { ok: true, value: view };
  }

  /** Records what the user typed into a modal's inputs before submitting it. */
  setState(viewId: string, values: SimView['state']['values']): SimResult<SimView> {
    const current = this.view(viewId);
    if (current?.type !== 'modal') return { ok: false, error: 'not_found' };
    const stack = this.#modals.get(current.user_id) ?? [];
    const view = { ...current, state: { values } };
    stack[stack.findIndex((v) => v.id === viewId)] = view;
    return { ok: true, value: view };
  }

  /** Closes the top modal (`all` closes the whole stack, as `response_action: clear` does). */
  closeModal(userId: string, scope: 'top' | 'all'): void {
    const stack = this.#modals.get(userId) ?? [];
    const closed = scope === 'all' ? stack.splice(0).reverse() : stack.splice(-1);
    for (const view of closed) this.#setup.emit({ type: 'modal_closed', view });
  }

  #all(): SimView[] {
    return [...this.#homes.values(), ...[...this.#modals.values()].flat()];
  }

  #build(
    userId: string,
    input: ViewInput,
    keepId: string | undefined,
    previousViewId: string | null,
    rootViewId?: string,
  ): SimView {
    this.#counter += 1;
    const id = keepId ?? `V${String(this.#counter).padStart(10, '0')}`;
    const { team, bot } = this.#setup;
    return {
      id,
      team_id: team.id,
      type: input.type,
      user_id: userId,
      ...(input.title ? { title: input.title } : {}),
      ...(input.submit ? { submit: input.submit } : {}),
      ...(input.close ? { close: input.close } : {}),
      blocks: input.blocks,
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id ?? '',
      external_id: input.external_id ?? '',
      state: { values: {} },
      hash: `${this.#counter}.${(this.#counter * 2654435761).toString(16).slice(-8)}`,
      clear_on_close: input.clear_on_close ?? false,
      notify_on_close: input.notify_on_close ?? false,
      root_view_id: rootViewId ?? id,
      previous_view_id: previousViewId,
      app_id: bot.app_id,
      bot_id: bot.bot_id,
      app_installed_team_id: team.id,
    };
  }
}
