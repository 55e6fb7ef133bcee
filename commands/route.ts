/**
 * The `/migrate` text router, pure: words in, the command to run (or the answer) out, all from the
 * registry. `/migrate VM HOST` means migrate; `/migrate migrate VM HOST` reaches a VM named like a
 * subcommand; an unknown word gets the closest subcommand; a user only reaches (and only sees in
 * help) what their roles let them run.
 */
import { LivemigError, userMessage } from '../src/errors.js';
import { closestWord } from '../src/util/closest-word.js';
import { type HelpResult, helpFor } from './help.js';
import {
  allowed,
  type CallerRoles,
  type CommandEntry,
  type CoreEntry,
  commandsOn,
  flagsOn,
  type Surface,
  usageOf,
} from './registry.js';
import type { AnyCommandImpl, CommandInput } from './types.js';

export interface RouteContext extends CallerRoles {
  /** Inventory hypervisor names, to tell `VM HOST` from a mistyped subcommand. */
  hosts: readonly string[];
}

export type RoutedCommand =
  /** The command and its request, parsed by the command itself. */
  | { kind: 'run'; entry: CoreEntry; impl: AnyCommandImpl; input: CommandInput; request: unknown }
  /** Nothing runs: the text says why and what to do; help lists what they may run. */
  | { kind: 'refused'; text: string; help: HelpResult };

const surface: Surface = 'slack';

/** Routes the text after `/migrate`; the command's own parser checks its words (async: it loads). */
export async function routeCommand(text: string, context: RouteContext): Promise<RoutedCommand> {
  const help = helpFor(context, surface);
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  const entries = commandsOn(surface).filter((entry): entry is CoreEntry => entry.kind === 'core');
  if (first === undefined) return run(entries.find((e) => e.name === 'help')!, [], context, help);
  const named = entries.find((entry) => entry.name === first.toLowerCase());
  if (named !== undefined) return run(named, rest, context, help);
  return routeBare(words, entries, context, help);
}

/** Words that do not start with a subcommand: `VM HOST [flags]`, or a typo. */
function routeBare(
  words: string[],
  entries: CoreEntry[],
  context: RouteContext,
  help: HelpResult,
): Promise<RoutedCommand> | RoutedCommand {
  const first = words[0]!;
  const second = words.filter((word) => !word.startsWith('--'))[1];
  const shorthand = entries.find((e) => e.slackShorthand);
  if (shorthand && second !== undefined && context.hosts.includes(second))
    return run(shorthand, words, context, help);
  const suggestion = closestWord(
    first,
    entries.map((entry) => entry.name),
  );
  if (suggestion === null && second !== undefined) {
    // `/migrate dstest node99`: the VM may well exist; the host does not.
    return {
      kind: 'refused',
      text: `\`${second}\` is not a hypervisor in the inventory (${inventoryList(context.hosts)}). To migrate, type \`/migrate VM HOST\`.`,
      help,
    };
  }
  const didYouMean = suggestion ? ` Did you mean \`/migrate ${suggestion}\`?` : '';
  const hostHint = second !== undefined ? ` (\`${second}\` is not a hypervisor in the inventory.)` : '';
  return {
    kind: 'refused',
    text: `I don't know \`${first}\`.${didYouMean}${hostHint} To migrate, type \`/migrate VM HOST\`.`,
    help,
  };
}

function inventoryList(hosts: readonly string[]): string {
  const shown = hosts.slice(0, 6).join(', ');
  return hosts.length > 6 ? `${shown}, … ${hosts.length} in all` : shown || 'none configured';
}

async function run(
  entry: CoreEntry,
  words: readonly string[],
  context: RouteContext,
  help: HelpResult,
): Promise<RoutedCommand> {
  if (!allowed(entry, context)) {
    const role = entry.audience === 'approvers' ? 'approval.approvers' : 'approval.requesters';
    return {
      kind: 'refused',
      text: `You may not run \`/migrate ${entry.name}\`: you are not in ${role}. Ask an operator to add you, or to run it for you.`,
      help,
    };
  }
  try {
    const input = parseWords(entry, words, surface);
    const impl = await entry.load();
    return { kind: 'run', entry, impl, input, request: impl.parse(input) };
  } catch (error) {
    if (!(error instanceof LivemigError) || error.code !== 'usage') throw error;
    return { kind: 'refused', text: userMessage(error), help };
  }
}

/**
 * Parses words by the entry's schema: `--flag` switches, `--flag VALUE`, then exactly the
 * positional arguments it declares. Errors carry the usage line.
 */
export function parseWords(entry: CommandEntry, words: readonly string[], on: Surface): CommandInput {
  const usage = usageOf(entry, on);
  const fail = (message: string): never => {
    throw new LivemigError('usage', message, { hint: `usage: ${usage}` });
  };
  const known = flagsOn(entry, on);
  const flags: Record<string, string | boolean> = {};
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--')) {
      args.push(word);
      continue;
    }
    const flag = known.find((f) => `--${f.name}` === word);
    if (flag === undefined) fail(`unknown option ${word}`);
    else if (flag.value === undefined) flags[flag.name] = true;
    else {
      const value = words[i + 1];
      if (value === undefined || value.startsWith('--')) fail(`${word} needs a value (${flag.value})`);
      flags[flag.name] = value!;
      i++;
    }
  }
  const variadic = entry.args.some((arg) => arg.variadic);
  const required = entry.args.filter((arg) => !arg.optional).length;
  const tooFew = args.length < required;
  const tooMany = !variadic && args.length > entry.args.length;
  if (tooFew || tooMany) {
    if (entry.args.length === 0) fail(`\`${entry.name}\` takes no arguments`);
    const names = entry.args.map((arg) => arg.name).join(' ');
    fail(`\`${entry.name}\` needs ${names}${tooMany ? ' and nothing more' : ''}`);
  }
  return { args, flags };
}

// Shared with config's did-you-mean for unknown keys.
export { closestWord, editDistance } from '../src/util/closest-word.js';
