/**
 * `help`: the commands a caller may run on a surface, from the registry. Who may run what comes
 * from config.approval (requesters, approvers); everyone may look (check, status, history, …).
 */
import { type Audience, allowed, type CallerRoles, commandsOn, type Surface, usageOf } from './registry.js';
import type { CommandImpl } from './types.js';

export interface HelpEntry {
  name: string;
  /** As typed after `/migrate` (Slack) or `livemig` (CLI). */
  usage: string;
  summary: string;
  audience: Audience;
}

export interface HelpResult {
  kind: 'help';
  surface: Surface;
  entries: HelpEntry[];
  /** What an approver does on a request card (only shown to approvers). */
  approverNote: string | null;
}

/** The entries `roles` may run on `surface` (pure; the Slack router uses it synchronously). */
export function helpFor(roles: CallerRoles, surface: Surface): HelpResult {
  return {
    kind: 'help',
    surface,
    entries: commandsOn(surface)
      .filter((entry) => allowed(entry, roles))
      .map((entry) => ({
        name: entry.name,
        usage: usageOf(entry, surface),
        summary: entry.summary,
        audience: entry.audience,
      })),
    approverNote: roles.mayApprove
      ? 'You approve: press Approve or Reject on a request card (someone else must approve your own).'
      : null,
  };
}

export const helpCommand: CommandImpl<Record<string, never>, HelpResult, 'nothing'> = {
  needs: 'nothing',
  parse: () => ({}),
  async run(_request, _services, caller) {
    return helpFor(caller, caller.surface);
  },
  renderText: renderHelpText,
  exitCode: () => 0,
};

export function renderHelpText(result: HelpResult): string {
  const prefix = result.surface === 'slack' ? '/migrate' : 'livemig';
  const lines = result.entries.map((entry) => `${prefix} ${entry.usage} — ${entry.summary}`);
  if (result.approverNote) lines.push('', result.approverNote);
  return `${lines.join('\n')}\n`;
}
