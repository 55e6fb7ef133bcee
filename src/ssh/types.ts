/**
 * The contract every other folder uses to run something on a host. Only src/ssh imports ssh2;
 * everyone else builds RemoteCommand values and receives CommandResult values.
 */

/** A command as data: never a string. src/ssh/quote.ts turns it into the remote command line. */
export interface RemoteCommand {
  program: string;
  args: readonly string[];
  /** Run through `sudo -n` (also forced on for every command when config ssh.sudo is true). */
  sudo?: boolean;
  /** Written to the command's standard input, then closed. */
  stdin?: string;
}

/** What a finished remote command gave back. A non-zero exit is a value, not an exception. */
export interface CommandResult {
  /** Exit code; null when the process died of a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  /** Overrides limits.sshCommandTimeoutMs for this command. */
  timeoutMs?: number;
  /** Overrides limits.sshMaxOutputBytes (stdout + stderr) for this command. */
  maxOutputBytes?: number;
  /** Aborting rejects run() with the signal's reason: a queued command never starts, a running one has its channel closed. */
  signal?: AbortSignal;
}

/**
 * Runs commands on inventory hosts (by their inventory name, e.g. "node05" or "control01").
 * Throws LivemigError (ssh_* codes, unknown_host) only when the command could not be run or
 * completed: connection, authentication, host key, timeout, output cap.
 */
export interface RemoteExecutor {
  run(host: string, command: RemoteCommand, options?: RunOptions): Promise<CommandResult>;
  /** Closes every pooled connection. */
  close(): Promise<void>;
}
