/**
 * The `livemig` program, built from the command registry: each entry becomes a commander command
 * with its arguments and flags; a core command's action parses the words by the same schema the
 * Slack router uses, opens what it needs through the composition root, runs it as the local
 * operator, prints the text or `--json` result and sets the exit code.
 */
import { Command } from 'commander';
import type { CommandEntry, CoreEntry } from '../../commands/registry.js';
import { commandsOn, flagsOn } from '../../commands/registry.js';
import type { AnyCommandImpl, CommandInput } from '../../commands/types.js';
import { type CliIo, globalOptions, printResult } from './context.js';
import { processCommands } from './process-commands.js';

/** Builds the `livemig` program. Exported for tests that drive the CLI in-process. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('livemig')
    .description('Live-migrate KVM virtual machines in OpenStack + Ceph RBD clusters, safely.')
    .option('--config <file>', 'livemig.yml to use (default: $LIVEMIG_CONFIG)')
    .option('--json', 'print the machine-readable result on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const entry of commandsOn('cli')) addCommand(program, entry, io, setExitCode);
  return program;
}

function addCommand(
  parent: Command,
  entry: CommandEntry,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const command = parent.command(entry.name).description(entry.summary);
  for (const arg of entry.args) {
    const name = arg.name.toLowerCase();
    const word = arg.variadic ? `${name}...` : name;
    command.argument(arg.optional ? `[${word}]` : `<${word}>`, arg.description);
  }
  for (const flag of flagsOn(entry, 'cli')) {
    const word = flag.value ? `--${flag.name} <${flag.value.toLowerCase()}>` : `--${flag.name}`;
    if (flag.required) command.requiredOption(word, flag.description);
    else command.option(word, flag.description);
  }
  if (entry.kind === 'group') {
    for (const sub of entry.subcommands) addCommand(command, sub, io, setExitCode);
    return;
  }
  if (entry.kind === 'process')
    for (const sub of entry.subcommands ?? []) addCommand(command, sub, io, setExitCode);
  command.action(async (...values: unknown[]) => {
    const self = values.at(-1) as Command;
    const input = inputOf(entry, self);
    if (entry.kind === 'process') {
      setExitCode(await processCommands[entry.process](input, io, globalOptions(self)));
      return;
    }
    await runCore(entry, input, io, self, setExitCode);
  });
}

/** The words commander parsed, in the registry's terms (flag names with dashes). */
function inputOf(entry: CommandEntry, command: Command): CommandInput {
  const options = command.optsWithGlobals<Record<string, string | boolean | undefined>>();
  const flags: Record<string, string | boolean | undefined> = {};
  for (const flag of flagsOn(entry, 'cli')) {
    // commander stores `--no-x` as x: false (true when absent).
    const negated = flag.name.startsWith('no-')
      ? options[camelCase(flag.name.slice(3))] === false
      : undefined;
    flags[flag.name] = negated ?? options[camelCase(flag.name)];
  }
  return { args: command.args, flags };
}

async function runCore(
  entry: CoreEntry,
  input: CommandInput,
  io: CliIo,
  command: Command,
  setExitCode: (code: number) => void,
): Promise<void> {
  const options = globalOptions(command);
  const [impl, { runAsLocalOperator }] = await Promise.all([entry.load(), import('./local-operator.js')]);
  const request = (impl as AnyCommandImpl).parse(input);
  const result = await runAsLocalOperator(impl, request, io, options);
  printResult(io, options, result, () => impl.renderText(result));
  setExitCode(impl.exitCode(result));
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
