import type { ExecReply } from '../../../types.js';
import { type CommandContext, fail } from '../command.js';

/** The XML file a virsh command reads: only /dev/stdin (the request's stdin) exists in the lab. */
export function readInputFile(context: CommandContext, command: string): string | ExecReply {
  const file = context.args.find((arg) => !arg.startsWith('--'));
  if (file === undefined) return fail(`error: command '${command}' requires <file> option\n`);
  if (file === '/dev/stdin' || file === '-') return context.request.stdin;
  return fail(`error: Failed to open file '${file}': No such file or directory\n`);
}
