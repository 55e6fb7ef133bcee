/**
 * The shape every simulated program has: it gets the world, the host it runs on and its
 * arguments, and answers like the real tool would (stdout, stderr, exit status).
 */
import type { ExecReply, ExecRequest } from '../../types.js';
import type { WorldHost, WorldState } from '../model.js';

export interface CommandContext {
  state: WorldState;
  host: WorldHost;
  request: ExecRequest;
  /** Arguments after the program (or after the subcommand, for nova and virsh). */
  args: string[];
  nowMs: number;
}

export type CommandHandler = (context: CommandContext) => ExecReply;

/** A successful answer. */
export function ok(stdout: string): ExecReply {
  return { stdout, stderr: '', code: 0 };
}

/** A failed answer. */
export function fail(stderr: string, code = 1): ExecReply {
  return { stdout: '', stderr, code };
}
