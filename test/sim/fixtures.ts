import { App, type Logger, LogLevel, type types } from '@slack/bolt';
import type { SlackEmulator, SlackEmulatorOptions } from '../../src/sim/index.js';

/** Tokens and secret shared by the emulator and the app under test. */
export const botToken = 'xoxb-sim-0001-bot';
export const appToken = 'xapp-1-A0SIM0001-sim';
export const signingSecret = 'sim-signing-secret-0123456789abcdef';

/** A small workspace: two operators, an approvers group, #ops and #ops-notifications. */
export function workspaceOptions(): Omit<SlackEmulatorOptions, 'delivery'> {
  return {
    users: [
      { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Martin', tz: 'Europe/Paris' },
      { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Chen', tz: 'America/New_York' },
    ],
    channels: [
      { id: 'C0OPS0001', name: 'ops' },
      { id: 'C0NOTIFY1', name: 'ops-notifications' },
    ],
    groups: [{ id: 'S0APPROVE', handle: 'ops-approvers', user_ids: ['U0ALICE01', 'U0BOB0001'] }],
    botToken,
    appToken,
    signingSecret,
  };
}

/** The real Bolt App in Socket Mode with the fixture tokens, its Web API calls sent to `sim`. */
export function socketModeApp(sim: SlackEmulator): App {
  return new App({
    socketMode: true,
    appToken,
    token: botToken,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: sim.apiUrl },
  });
}

/** A request card like the bot's: a section and an Approve / Reject pair. */
export function requestCardBlocks(summary: string): types.KnownBlock[] {
  return [
    { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: summary } },
    {
      type: 'actions',
      block_id: 'decision',
      elements: [
        {
          type: 'button',
          action_id: 'approve',
          text: { type: 'plain_text', text: 'Approve' },
          value: 'req-1',
          style: 'primary',
        },
        {
          type: 'button',
          action_id: 'reject',
          text: { type: 'plain_text', text: 'Reject' },
          value: 'req-1',
          style: 'danger',
        },
      ],
    },
  ];
}

/** Posts the fixture request card (for dstest) to #ops as the bot, ready to be clicked. */
export function postRequestCard(client: App['client']): ReturnType<App['client']['chat']['postMessage']> {
  return client.chat.postMessage({ channel: 'ops', text: 'Request', blocks: requestCardBlocks('dstest') });
}

/** Keeps expected API errors (which WebClient logs at error level) out of the test output. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
