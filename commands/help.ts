/**
 * `help`: the subcommands a user may run, as a value both surfaces render. Who may run what comes
 * from config.approval (requesters, approvers); everyone may look (check, status, history, …).
 */
import { auditCommand } from './audit.js';
import { baselineCommand } from './baseline.js';
import { checkCommand } from './check.js';
import { historyCommand } from './history.js';
import { hostsCommand } from './hosts.js';
import { statusCommand } from './status.js';
import type { CommandModule } from './types.js';

/** Who may run a subcommand: anyone, requesters (migrate, reboot, cancel their own), approvers. */
export type HelpAudience = 'everyone' | 'requesters' | 'approvers';

export interface HelpEntry {
  name: string;
  /** As typed after `/migrate`. */
  usage: string;
  summary: string;
  audience: HelpAudience;
}

export interface HelpRequest {
  mayRequest: boolean;
  mayApprove: boolean;
}

export interface HelpResult {
  kind: 'help';
  entries: HelpEntry[];
  /** What an approver does on a request card (only shown to approvers). */
  approverNote: string | null;
}

/** Every subcommand of `/migrate`, in the order help lists them. */
export const helpEntries: readonly HelpEntry[] = [
  {
    name: 'migrate',
    usage: 'VM HOST [--block-migrate] [--allow-force-complete]',
    summary: 'check and request a live migration of VM to HOST (an approver starts it)',
    audience: 'requesters',
  },
  entryOf(checkCommand, 'everyone'),
  {
    name: 'reboot',
    usage: 'reboot VM',
    summary: 'request a HARD reboot so VM boots with the configured CPU model (an approver runs it)',
    audience: 'requesters',
  },
  {
    name: 'cancel',
    usage: 'cancel ID',
    summary: 'cancel your request or migration (approvers: any)',
    audience: 'requesters',
  },
  entryOf(statusCommand, 'everyone'),
  entryOf(historyCommand, 'everyone'),
  entryOf(hostsCommand, 'everyone'),
  entryOf(baselineCommand, 'everyone'),
  entryOf(auditCommand, 'everyone'),
  { name: 'help', usage: 'help', summary: 'show this list', audience: 'everyone' },
];

export const helpCommand: CommandModule<HelpRequest, HelpResult, Record<string, never>> = {
  name: 'help',
  summary: 'list the subcommands you may run',
  usage: 'help',
  async run(request) {
    return helpFor(request);
  },
  renderText: renderHelpText,
};

/** The entries `request` may run (pure; the Slack router uses it synchronously). */
export function helpFor(request: HelpRequest): HelpResult {
  const allowed = (audience: HelpAudience): boolean =>
    audience === 'everyone' ||
    (audience === 'requesters' && request.mayRequest) ||
    (audience === 'approvers' && request.mayApprove);
  return {
    kind: 'help',
    entries: helpEntries.filter((entry) => allowed(entry.audience)),
    approverNote: request.mayApprove
      ? 'You approve: press Approve or Reject on a request card (someone else must approve your own).'
      : null,
  };
}

export function renderHelpText(result: HelpResult): string {
  const lines = result.entries.map((entry) => `/migrate ${entry.usage} — ${entry.summary}`);
  if (result.approverNote) lines.push('', result.approverNote);
  return `${lines.join('\n')}\n`;
}

function entryOf(
  module: { name: string; usage: string; summary: string },
  audience: HelpAudience,
): HelpEntry {
  return { name: module.name, usage: module.usage, summary: module.summary, audience };
}
