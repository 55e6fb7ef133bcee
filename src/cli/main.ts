import { Command, CommanderError } from 'commander';
import { LivemigError, userMessage } from '../errors.js';
import type { CliIo } from './context.js';
import { subcommands } from './subcommands/index.js';

/** Builds the `livemig` program. Exported for tests that drive the CLI in-process. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('livemig')
    .description('Live-migrate KVM virtual machines in OpenStack + Ceph RBD clusters, safely.')
    .option('--config <file>', 'livemig.yml to use (default: $LIVEMIG_CONFIG)')
    .option('--json', 'print the machine-readable result on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const register of subcommands) register(program, io, setExitCode);
  return program;
}

/** Runs the CLI and returns the process exit code. Never prints a stack trace for known errors. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    io.stderr(`livemig: ${userMessage(error)}\n`);
    if (!(error instanceof LivemigError) && io.env.LIVEMIG_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return error instanceof LivemigError ? 2 : 1;
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTty: process.stdout.isTTY === true,
  };
}
