/** The page's copy of the workspace, kept current by the event stream. */

/**
 * Applies one workspace change to the page's copy (`history`, `ephemerals`, `home`, `modals`),
 * exactly as the emulator applied it.
 */
export function applyChange(state, change) {
  const replace = (list, item, key) => list.map((old) => (old[key] === item[key] ? item : old));
  switch (change.type) {
    case 'message_posted': {
      const list = state.history[change.message.channel] ?? [];
      state.history[change.message.channel] = [...list, change.message];
      break;
    }
    case 'message_updated':
      state.history[change.message.channel] = replace(
        state.history[change.message.channel] ?? [],
        change.message,
        'ts',
      );
      break;
    case 'message_deleted':
      state.history[change.channel] = (state.history[change.channel] ?? []).filter((m) => m.ts !== change.ts);
      break;
    case 'ephemeral_posted':
      state.ephemerals = [...state.ephemerals, change.ephemeral];
      break;
    case 'ephemeral_replaced':
      state.ephemerals = replace(state.ephemerals, change.ephemeral, 'message_ts');
      break;
    case 'ephemeral_deleted':
      state.ephemerals = state.ephemerals.filter((e) => e.message_ts !== change.ephemeral.message_ts);
      break;
    case 'home_published':
      state.home = change.view;
      break;
    case 'modal_opened':
      state.modals = [...state.modals, change.view];
      break;
    case 'modal_updated':
      state.modals = replace(state.modals, change.view, 'id');
      break;
    case 'modal_closed':
      state.modals = state.modals.filter((view) => view.id !== change.view.id);
      break;
  }
}
