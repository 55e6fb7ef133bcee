/**
 * The few error classes livemig throws. Expected outcomes (a failed check, a refused approval,
 * a non-zero exit) are values, not exceptions; these are for broken infrastructure and bad input
 * that stops a command. Each carries a code so that one place (userMessage) maps it to text.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'config_missing'
  | 'usage'
  | 'ssh_connect_failed'
  | 'ssh_auth_failed'
  | 'ssh_host_key_unknown'
  | 'ssh_host_key_changed'
  | 'ssh_timeout'
  | 'ssh_output_too_large'
  | 'ssh_channel_refused'
  | 'ssh_disconnected'
  | 'unknown_host'
  | 'remote_command_failed'
  | 'parse_failed'
  | 'not_found'
  | 'ambiguous'
  | 'cpu_incompatible_set'
  | 'unsafe_argument'
  | 'state_conflict'
  | 'store_failed'
  | 'wait_timeout';

export class LivemigError extends Error {
  readonly code: ErrorCode;
  /** What the user should do about it; shown after the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LivemigError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** Errors that say a host did not answer (or could not be trusted), not what it would answer. */
export function isContactLost(error: unknown): error is LivemigError {
  return (
    error instanceof LivemigError &&
    [
      'ssh_connect_failed',
      'ssh_timeout',
      'ssh_disconnected',
      'ssh_channel_refused',
      'ssh_auth_failed',
      'ssh_host_key_changed',
      'ssh_host_key_unknown',
    ].includes(error.code)
  );
}

/** The one place an error becomes the text a user reads (CLI stderr, Slack ephemeral). */
export function userMessage(error: unknown): string {
  if (error instanceof LivemigError) {
    return error.hint ? `${error.message}\n${error.hint}` : error.message;
  }
  if (error instanceof Error) return `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}
