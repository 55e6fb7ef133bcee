/**
 * Runs one RemoteCommand and turns a non-zero exit into a RemoteCommandFailed that names the
 * command, the host and stderr's last line (nova's `ERROR (BadRequest): …` kept intact, because
 * the engine shows it to users).
 */
import { LivemigError } from '../errors.js';
import { quoteArg } from '../ssh/quote.js';
import type { CommandResult, RemoteCommand, RemoteExecutor, RunOptions } from '../ssh/types.js';

/** A remote command that ran and exited non-zero (or died of a signal). */
export class RemoteCommandFailed extends LivemigError {
  readonly host: string;
  /** The command as a user would type it (for messages, not for running). */
  readonly commandText: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly stdout: string;
  /** The last non-empty line of stderr (or stdout when stderr is empty). */
  readonly lastLine: string;

  constructor(host: string, command: RemoteCommand, result: CommandResult) {
    const commandText = [command.program, ...command.args].map(quoteArg).join(' ');
    const lastLine = lastNonEmptyLine(result.stderr) ?? lastNonEmptyLine(result.stdout) ?? '';
    const status = result.code === null ? `signal ${result.signal ?? 'unknown'}` : `exit ${result.code}`;
    super(
      'remote_command_failed',
      `${commandText} failed on ${host} (${status})${lastLine ? `: ${lastLine}` : ''}`,
    );
    this.host = host;
    this.commandText = commandText;
    this.exitCode = result.code;
    this.stderr = result.stderr;
    this.stdout = result.stdout;
    this.lastLine = lastLine;
  }
}

/** Runs `command` on `host`; resolves to stdout when it exits 0, else throws RemoteCommandFailed. */
export async function runChecked(
  executor: RemoteExecutor,
  host: string,
  command: RemoteCommand,
  options?: RunOptions,
): Promise<string> {
  const result = await executor.run(host, command, options);
  if (result.code !== 0) throw new RemoteCommandFailed(host, command, result);
  return result.stdout;
}

/** Runs `command` and hands back the result whatever the exit code (for tests like `test -d`). */
export function runRaw(
  executor: RemoteExecutor,
  host: string,
  command: RemoteCommand,
  options?: RunOptions,
): Promise<CommandResult> {
  return executor.run(host, command, options);
}

function lastNonEmptyLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1);
}
