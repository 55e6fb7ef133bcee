import { LivemigError } from '../errors.js';
import type { RemoteCommand } from './types.js';

/** Characters that mean nothing to a POSIX shell, so an argument made only of them stays bare. */
const safeArgument = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** A program is a plain name or path: no spaces, no shell syntax, no options. */
const safeProgram = /^[A-Za-z0-9_./-]+$/;

/**
 * Quotes one argument for a POSIX shell: bare when it holds only harmless characters, otherwise
 * single-quoted with every `'` written as `'\''` (inside single quotes nothing else is special).
 */
export function quoteArg(s: string): string {
  if (s === '') return "''";
  if (safeArgument.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The remote command line for a RemoteCommand: the program, then each argument quoted, behind
 * `sudo -n` when the command asks for it or the configuration forces it (`-n` so that a missing
 * sudo rule fails at once instead of waiting for a password nobody types).
 */
export function commandLine(cmd: RemoteCommand, forceSudo: boolean): string {
  if (!safeProgram.test(cmd.program) || cmd.program.startsWith('-')) {
    throw new LivemigError('unsafe_argument', `refusing to run program ${JSON.stringify(cmd.program)}`, {
      hint: 'A remote program must be a plain name or path (letters, digits, _ . / -).',
    });
  }
  if (cmd.args.some((arg) => arg.includes('\0'))) {
    // A NUL byte cannot be part of any process argument; the remote shell would cut it short.
    throw new LivemigError(
      'unsafe_argument',
      `refusing an argument of ${cmd.program} that contains a NUL byte`,
    );
  }
  const words = [cmd.program, ...cmd.args.map(quoteArg)];
  if (cmd.sudo || forceSudo) words.unshift('sudo', '-n');
  return words.join(' ');
}
