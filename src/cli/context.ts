import type { Command } from 'commander';

/** What a CLI subcommand needs from the process; injected so tests can run the CLI in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal (live progress bars instead of lines). */
  isTty: boolean;
}

/** Global flags every subcommand sees. */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

/** The global options, read from the root program inside an action. */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/** Prints a result as JSON (with --json) or as the given text. */
export function printResult(io: CliIo, options: GlobalOptions, value: unknown, text: () => string): void {
  if (options.json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout(text().endsWith('\n') ? text() : `${text()}\n`);
}
