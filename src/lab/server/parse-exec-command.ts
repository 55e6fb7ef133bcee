import type { ExecReply } from '../types.js';
import { splitWords } from './split-words.js';

/** What to do with an SSH exec request's command line. */
export type ParsedExecCommand =
  | { kind: 'run'; argv: string[]; sudo: boolean }
  /** The shell itself (or sudo) answers; the world never sees the command. */
  | { kind: 'reply'; reply: ExecReply };

const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Turns the command line of an exec request into argv, as `bash -c LINE` on the host would,
 * with `sudo -n` stripped and remembered. Shell syntax beyond one simple command answers
 * `bash: syntax not supported in lab…` with bash's syntax-error status 2; an unterminated quote
 * answers exactly like bash. `user` is the SSH user: root needs no sudo, others get sudo's
 * password complaint when they forget `-n`.
 */
export function parseExecCommand(rawCommand: string, user: string): ParsedExecCommand {
  const split = splitWords(rawCommand);
  if (split.kind === 'unterminated') {
    return bashError(`bash: -c: line 1: unexpected EOF while looking for matching \`${split.quote}'`);
  }
  if (split.kind === 'unsupported') return unsupported(`unquoted '${split.syntax}'`);
  let words = split.words;
  let sudo = user === 'root';
  if (words[0] === 'sudo') {
    const nonInteractive = words[1] === '-n';
    words = words.slice(nonInteractive ? 2 : 1);
    if (!nonInteractive && user !== 'root') {
      return {
        kind: 'reply',
        reply: {
          stdout: '',
          stderr:
            'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n',
          code: 1,
        },
      };
    }
    if (words.length === 0) {
      return { kind: 'reply', reply: { stdout: '', stderr: 'usage: sudo -h | -K | -k | -V\n', code: 1 } };
    }
    sudo = true;
  }
  // bash runs an empty command line successfully and prints nothing.
  if (words.length === 0) return { kind: 'reply', reply: { stdout: '', stderr: '', code: 0 } };
  if (assignment.test(words[0]!)) return unsupported('environment assignment before the command');
  return { kind: 'run', argv: words, sudo };
}

function unsupported(what: string): ParsedExecCommand {
  return bashError(
    `bash: syntax not supported in lab: ${what} (the lab runs one simple command per exec; quote every argument)`,
  );
}

function bashError(line: string): ParsedExecCommand {
  return { kind: 'reply', reply: { stdout: '', stderr: `${line}\n`, code: 2 } };
}
