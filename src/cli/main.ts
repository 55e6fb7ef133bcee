import { CommanderError } from 'commander';
import { LivemigError, userMessage } from '../errors.js';
import type { CliIo } from './context.js';
import { buildProgram } from './program.js';

export { buildProgram };

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
