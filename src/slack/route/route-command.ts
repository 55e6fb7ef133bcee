/**
 * The `/migrate` text router, pure: words in, the command to run (or the ephemeral answer) out.
 * `/migrate VM HOST` means migrate; `/migrate migrate VM HOST` reaches a VM named like a
 * subcommand; unknown words get the help with the closest subcommand; a user only reaches (and
 * only sees in help) what config.approval lets them run.
 */
import { type CheckRequest, parseCheckArgs } from '../../../commands/check.js';
import { type HelpResult, helpEntries, helpFor } from '../../../commands/help.js';
import { type HistoryRequest, parseHistoryLimit } from '../../../commands/history.js';
import { LivemigError, userMessage } from '../../errors.js';
import { closestWord } from '../../util/closest-word.js';

export type SubcommandName =
  | 'help'
  | 'check'
  | 'migrate'
  | 'reboot'
  | 'baseline'
  | 'audit'
  | 'hosts'
  | 'status'
  | 'cancel'
  | 'history';

/** What the caller's roles allow (from config.approval and the user's groups). */
export interface CallerRoles {
  mayRequest: boolean;
  mayApprove: boolean;
}

export interface RouteContext extends CallerRoles {
  /** Inventory hypervisor names, to tell `VM HOST` from a mistyped subcommand. */
  hosts: readonly string[];
}

export type RoutedCommand =
  | { kind: 'help'; help: HelpResult }
  | { kind: 'check'; request: CheckRequest }
  | { kind: 'migrate'; request: CheckRequest }
  | { kind: 'reboot'; vm: string }
  | { kind: 'cancel'; id: string }
  | { kind: 'history'; request: HistoryRequest }
  | { kind: 'status' | 'hosts' | 'baseline' | 'audit' }
  /** Nothing runs: the text (ephemeral) says why and what to do; help lists what they may run. */
  | { kind: 'refused'; text: string; help: HelpResult };

const subcommands: readonly SubcommandName[] = [
  'help',
  'check',
  'migrate',
  'reboot',
  'baseline',
  'audit',
  'hosts',
  'status',
  'cancel',
  'history',
];

const requesterOnly: ReadonlySet<SubcommandName> = new Set(['migrate', 'reboot', 'cancel']);

/** Routes the text after `/migrate`. */
export function routeCommand(text: string, context: RouteContext): RoutedCommand {
  const help = helpFor(context);
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'help', help };
  const named = subcommands.find((name) => name === first.toLowerCase());
  if (named === undefined) return routeBare(words, context, help);
  if (requesterOnly.has(named) && !context.mayRequest) {
    return {
      kind: 'refused',
      text: `You may not run \`/migrate ${named}\`: you are not in approval.requesters. Ask an operator to add you, or to run it for you.`,
      help,
    };
  }
  try {
    return routeSubcommand(named, rest, help);
  } catch (error) {
    if (!(error instanceof LivemigError) || error.code !== 'usage') throw error;
    return { kind: 'refused', text: userMessage(error), help };
  }
}

/** Words that do not start with a subcommand: `VM HOST [flags]`, or a typo. */
function routeBare(words: string[], context: RouteContext, help: HelpResult): RoutedCommand {
  const first = words[0]!;
  const second = words.filter((word) => !word.startsWith('--'))[1];
  const suggestion = closestWord(first, subcommands);
  const looksLikeMigrate = second !== undefined && context.hosts.includes(second);
  if (!looksLikeMigrate) {
    const didYouMean = suggestion ? ` Did you mean \`/migrate ${suggestion}\`?` : '';
    const hostHint =
      second !== undefined && !second.startsWith('--')
        ? ` (\`${second}\` is not a hypervisor in the inventory.)`
        : '';
    return {
      kind: 'refused',
      text: `I don't know \`${first}\`.${didYouMean}${hostHint} To migrate, type \`/migrate VM HOST\`.`,
      help,
    };
  }
  if (!context.mayRequest) {
    return {
      kind: 'refused',
      text: 'You may not request migrations: you are not in approval.requesters. Ask an operator to add you.',
      help,
    };
  }
  try {
    return { kind: 'migrate', request: parseCheckArgs(words) };
  } catch (error) {
    if (!(error instanceof LivemigError) || error.code !== 'usage') throw error;
    return { kind: 'refused', text: userMessage(error).replaceAll('check VM', 'VM'), help };
  }
}

function routeSubcommand(name: SubcommandName, words: string[], help: HelpResult): RoutedCommand {
  switch (name) {
    case 'help':
      return { kind: 'help', help };
    case 'check':
      return { kind: 'check', request: parseCheckArgs(words) };
    case 'migrate':
      return { kind: 'migrate', request: parseCheckArgs(words) };
    case 'reboot':
      return { kind: 'reboot', vm: single(words, 'reboot VM', 'a VM name or UUID') };
    case 'cancel':
      return { kind: 'cancel', id: single(words, 'cancel ID', 'a request or migration id (req-… or mig-…)') };
    case 'history':
      return { kind: 'history', request: parseHistory(words) };
    case 'status':
    case 'hosts':
    case 'baseline':
    case 'audit':
      if (words.length > 0) {
        throw new LivemigError('usage', `\`${name}\` takes no arguments`, {
          hint: `usage: /migrate ${name}`,
        });
      }
      return { kind: name };
  }
}

function single(words: string[], usage: string, what: string): string {
  const [only, ...extra] = words;
  if (only === undefined || extra.length > 0 || only.startsWith('--')) {
    throw new LivemigError('usage', `expected ${what}`, { hint: `usage: /migrate ${usage}` });
  }
  return only;
}

function parseHistory(words: string[]): HistoryRequest {
  const usage = helpEntries.find((entry) => entry.name === 'history')!.usage;
  const request: HistoryRequest = { limit: 20 };
  for (let i = 0; i < words.length; i += 2) {
    const flag = words[i];
    const value = words[i + 1];
    if (flag === '--limit') request.limit = parseHistoryLimit(value);
    else if (flag === '--vm' && value !== undefined) request.vm = value;
    else throw new LivemigError('usage', `unexpected \`${flag}\``, { hint: `usage: /migrate ${usage}` });
  }
  return request;
}
