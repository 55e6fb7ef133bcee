/**
 * The page: a Slack-like client of the emulated workspace. State is what the emulator's event
 * stream says (a snapshot, then changes); every user action is a POST the emulator turns into
 * the same slash command, button click or view submission Slack would send the app.
 */
import { act, connect } from './api.js';
import { renderBlocks } from './blocks.js';
import { askConfirm, hideModal, showModal } from './dialogs.js';
import { h, renderKeyed } from './dom.js';
import { renderMessage } from './messages.js';
import { applyChange } from './state.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

/**
 * A permalink (`/archives/C123/p1700000000000100`, `?thread_ts=…` for a reply) opens its
 * channel with the message's thread.
 */
function permalinkTarget() {
  const match = /^\/archives\/([A-Z0-9]+)\/p(\d{7,})$/.exec(location.pathname);
  if (!match) return null;
  const digits = match[2];
  return {
    channel: match[1],
    threadTs: params.get('thread_ts') ?? `${digits.slice(0, -6)}.${digits.slice(-6)}`,
  };
}
const linked = permalinkTarget();

const state = {
  user: params.get('user') ?? '',
  snapshot: null,
  history: {},
  ephemerals: [],
  home: null,
  modals: [],
  /** Where the main pane is: a channel id, or 'home' for the App Home. */
  place: linked?.channel ?? params.get('channel') ?? '',
  threadTs: linked?.threadTs ?? null,
};
let disconnect = () => {};

const userName = (id) => state.snapshot?.users.find((user) => user.id === id)?.name ?? id;
const isBot = (id) => state.snapshot?.users.find((user) => user.id === id)?.is_bot === true;
const isTopLevel = (message) =>
  !message.thread_ts || message.thread_ts === message.ts || message.subtype === 'thread_broadcast';
const tsOf = (message) => message.message_ts ?? message.ts;
const byTs = (a, b) => Number(tsOf(a)) - Number(tsOf(b)) || tsOf(a).localeCompare(tsOf(b));

function start(user) {
  disconnect();
  state.user = user;
  disconnect = connect(user, {
    onSnapshot(snapshot) {
      // Ephemeral messages live in the client that saw them arrive, as in Slack: a reload (or
      // another user) starts without them, a reconnect of the same page keeps them.
      const sameClient = state.snapshot !== null && state.snapshot.viewer === snapshot.viewer;
      Object.assign(state, {
        snapshot,
        history: snapshot.history,
        ephemerals: sameClient ? state.ephemerals : [],
        home: snapshot.home,
        modals: snapshot.modals,
      });
      if (!state.place) state.place = snapshot.channels[0]?.id ?? 'home';
      state.user = snapshot.viewer;
      notice('');
      render();
    },
    onChange(change) {
      applyChange(state, change);
      render();
    },
    onError: () => notice('Lost the connection to the emulator; retrying…'),
  });
}

function render() {
  const snapshot = state.snapshot;
  if (!snapshot) return;
  $('workspace-name').textContent = snapshot.team.name;
  renderUserSwitcher(snapshot);
  renderSidebar(snapshot);
  const home = state.place === 'home';
  $('channel-pane').hidden = home;
  $('home-pane').hidden = !home;
  if (home) renderHome();
  else renderChannel();
  renderThread();
  const modal = state.modals.at(-1);
  if (modal)
    showModal($('modal-dialog'), modal, {
      userName,
      onButton: (button) => pressViewButton(modal, button),
      onSubmit: submitModal(modal),
      onClose: closeModal,
    });
  else hideModal($('modal-dialog'));
}

function renderUserSwitcher(snapshot) {
  const select = $('user-select');
  const people = snapshot.users.filter((user) => !user.is_bot);
  if (select.options.length !== people.length)
    select.replaceChildren(
      ...people.map((user) => h('option', { value: user.id }, `${user.real_name} (@${user.name})`)),
    );
  select.value = state.user;
}

function renderSidebar(snapshot) {
  const item = (place, label) =>
    h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'nav-item',
          'aria-current': state.place === place ? 'page' : undefined,
          onclick: () => go(place),
        },
        label,
      ),
    );
  $('channel-list').replaceChildren(
    ...snapshot.channels.map((channel) => item(channel.id, `# ${channel.name}`)),
  );
  $('app-list').replaceChildren(item('home', `● ${userName(snapshot.botUserId)}`));
}

function renderChannel() {
  const channel = state.snapshot.channels.find((c) => c.id === state.place);
  $('pane-title').textContent = `# ${channel?.name ?? state.place}`;
  $('composer-label').textContent = `Message #${channel?.name ?? ''}`;
  const messages = (state.history[state.place] ?? []).filter(isTopLevel);
  // An ephemeral reply to a message without a thread has no thread to show it in: it shows here.
  const hasThread = (ts) => messages.some((message) => message.ts === ts && message.reply_count);
  const ephemerals = state.ephemerals.filter(
    (e) => e.channel === state.place && (!e.thread_ts || !hasThread(e.thread_ts)),
  );
  showMessages($('messages'), [...messages, ...ephemerals].sort(byTs), true);
}

function renderThread() {
  const pane = $('thread-pane');
  const thread =
    state.threadTs && state.place !== 'home'
      ? (state.history[state.place] ?? []).filter(
          (m) => m.ts === state.threadTs || m.thread_ts === state.threadTs,
        )
      : [];
  pane.hidden = thread.length === 0;
  if (pane.hidden) return;
  const ephemerals = state.ephemerals.filter(
    (e) => e.channel === state.place && e.thread_ts === state.threadTs,
  );
  const [parent, ...replies] = thread.sort(byTs);
  showMessages($('thread-messages'), [parent, ...[...replies, ...ephemerals].sort(byTs)], false);
}

function showMessages(container, items, withThreads) {
  renderKeyed(
    container,
    items,
    tsOf,
    (item) => JSON.stringify(item),
    (item) =>
      renderMessage(item, {
        userName,
        isBot,
        onButton: pressMessageButton,
        onOpenThread: withThreads ? openThread : undefined,
      }),
  );
}

function renderHome() {
  const body = $('home-body');
  const home = state.home;
  $('home-title').textContent = userName(state.snapshot.botUserId);
  const signature = home ? `${home.id}:${home.hash}` : 'none';
  if (body.dataset.signature === signature) return;
  body.dataset.signature = signature;
  body.replaceChildren(
    home
      ? renderBlocks(home.blocks, { userName, onButton: (button) => pressViewButton(home, button) })
      : h('p', {}, 'The app has not published a Home for you yet.'),
  );
}

function go(place) {
  state.place = place;
  state.threadTs = null;
  if (place === 'home') act('home', { user: state.user }).then(report);
  render();
  (place === 'home' ? $('home-title') : $('composer-input')).focus();
}

function openThread(ts) {
  state.threadTs = ts;
  render();
  $('thread-input').focus();
}

async function confirmed(button) {
  return !button.confirm || (await askConfirm($('confirm-dialog'), button.confirm, userName));
}

async function pressMessageButton(message, button) {
  if (!(await confirmed(button))) return;
  report(
    await act('click', {
      user: state.user,
      channel: message.channel,
      messageTs: tsOf(message),
      actionId: button.action_id,
      value: button.value,
    }),
  );
}

async function pressViewButton(view, button) {
  if (!(await confirmed(button))) return;
  report(
    await act('viewClick', {
      user: state.user,
      viewId: view.id,
      actionId: button.action_id,
      value: button.value,
    }),
  );
}

function submitModal(view) {
  return async (values) => {
    const reply = await act('viewSubmit', { user: state.user, viewId: view.id, values });
    return reply.ok ? null : (reply.detail ?? reply.error);
  };
}

function closeModal() {
  act('viewClose', { user: state.user }).then(report);
}

/** The composer: `/command args` runs a slash command, anything else posts as the user. */
async function send(input, threadTs) {
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  const body = { user: state.user, channel: state.place, text };
  report(
    text.startsWith('/')
      ? await act('slash', body)
      : await act('message', threadTs ? { ...body, threadTs } : body),
  );
}

function report(reply) {
  if (!reply.ok) notice(`${reply.error}${reply.detail ? `: ${reply.detail}` : ''}`);
}

function notice(text) {
  $('notice').textContent = text;
}

function wireComposer(formId, inputId, threadTs) {
  const input = $(inputId);
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    send(input, threadTs());
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $(formId).requestSubmit();
    }
  });
}

wireComposer('composer', 'composer-input', () => undefined);
wireComposer('thread-composer', 'thread-input', () => state.threadTs);
$('thread-close').addEventListener('click', () => {
  state.threadTs = null;
  render();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.threadTs && !document.querySelector('dialog[open]')) {
    state.threadTs = null;
    render();
  }
});
$('user-select').addEventListener('change', (event) => {
  const user = event.target.value;
  history.replaceState(null, '', `?user=${encodeURIComponent(user)}`);
  start(user);
  if (state.place === 'home') act('home', { user }).then(report);
});
start(state.user);
