import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExecCommand } from '../../../src/lab/server/parse-exec-command.js';
import { splitWords } from '../../../src/lab/server/split-words.js';
import { commandLine } from '../../../src/ssh/quote.js';
import { hasSystemBinary } from '../../support/system.js';

const program = fc.stringMatching(/^[A-Za-z0-9_./][A-Za-z0-9_./-]{0,15}$/);
const anyArg = fc.string({ unit: 'binary', maxLength: 24 }).filter((s) => !s.includes('\0'));
const nastyArg = fc
  .array(fc.constantFrom("'", '"', '\\', ' ', '\t', '\n', '$', '`', ';', '|', '&', '*', '~', '#', 'a', '='), {
    maxLength: 12,
  })
  .map((chars) => chars.join(''));

describe('the lab shell reads what the livemig client sends', () => {
  it('round-trips every argv quoted by the SSH client', () => {
    fc.assert(
      fc.property(
        program,
        fc.array(fc.oneof(anyArg, nastyArg), { maxLength: 8 }),
        fc.boolean(),
        (prog, args, sudo) => {
          const parsed = parseExecCommand(commandLine({ program: prog, args }, sudo), 'root');
          expect(parsed).toEqual({ kind: 'run', argv: [prog, ...args], sudo: true });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('strips sudo -n and marks the command privileged for a non-root user', () => {
    const line = commandLine({ program: 'virsh', args: ['list', '--all'], sudo: true }, false);
    expect(parseExecCommand(line, 'stack')).toEqual({
      kind: 'run',
      argv: ['virsh', 'list', '--all'],
      sudo: true,
    });
    expect(parseExecCommand('virsh list', 'stack')).toEqual({
      kind: 'run',
      argv: ['virsh', 'list'],
      sudo: false,
    });
  });

  it('answers like sudo when a non-root user forgets -n', () => {
    const parsed = parseExecCommand('sudo virsh list', 'stack');
    expect(parsed.kind === 'reply' && parsed.reply).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('a password is required'),
    });
  });

  it('keeps a quoted metacharacter argument as one literal word', () => {
    expect(parseExecCommand("nova show 'x; rm -rf /'", 'root')).toEqual({
      kind: 'run',
      argv: ['nova', 'show', 'x; rm -rf /'],
      sudo: true,
    });
  });

  it('handles double quotes and backslashes like bash', () => {
    expect(splitWords(String.raw`echo "a \"b\" \x" c\ d '' "" e\\`)).toEqual({
      kind: 'words',
      words: ['echo', String.raw`a "b" \x`, 'c d', '', '', 'e\\'],
    });
    expect(splitWords('echo a\\\nb')).toEqual({ kind: 'words', words: ['echo', 'ab'] });
  });

  it.each([
    ['virsh list | grep dstest', '|'],
    ['virsh list; reboot', ';'],
    ['sleep 1 &', '&'],
    ['virsh dumpxml x > /tmp/x', '>'],
    ['cat < /etc/passwd', '<'],
    ['echo `id`', '`'],
    ['echo $(id)', '$'],
    ['echo "$HOME"', '$'],
    ['ls /tmp/*', '*'],
    ['cat ~/.ssh/id_rsa', '~'],
  ])('refuses unquoted shell syntax in %j with status 2', (line, syntax) => {
    const parsed = parseExecCommand(line, 'root');
    expect(parsed.kind).toBe('reply');
    if (parsed.kind !== 'reply') return;
    expect(parsed.reply.code).toBe(2);
    expect(parsed.reply.stderr).toBe(
      `bash: syntax not supported in lab: unquoted '${syntax}' (the lab runs one simple command per exec; quote every argument)\n`,
    );
  });

  it('reports an unterminated quote with the message bash prints', () => {
    const parsed = parseExecCommand("nova show 'dstest", 'root');
    expect(parsed).toEqual({
      kind: 'reply',
      reply: {
        stdout: '',
        stderr: "bash: -c: line 1: unexpected EOF while looking for matching `''\n",
        code: 2,
      },
    });
  });

  it('runs an empty command line as a successful no-op', () => {
    expect(parseExecCommand('   ', 'root')).toEqual({
      kind: 'reply',
      reply: { stdout: '', stderr: '', code: 0 },
    });
  });
});

describe.skipIf(!hasSystemBinary('/bin/bash'))('the lab shell agrees with bash', () => {
  it('splits quotes, escapes and blanks into the same words as bash', () => {
    const line = fc
      .array(fc.constantFrom("'", '"', '\\', ' ', 'a', 'b', '\t'), { maxLength: 14 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(line, (tail) => {
        const full = `printf '%s\\0' X ${tail}`;
        const ours = splitWords(full);
        const bash = spawnSync('/bin/bash', ['-c', full], { encoding: 'utf8' });
        if (ours.kind === 'unterminated') {
          expect(bash.status).toBe(2);
          return;
        }
        expect(ours.kind).toBe('words');
        if (ours.kind !== 'words') return;
        expect(bash.status).toBe(0);
        expect(ours.words.slice(2)).toEqual(bash.stdout.split('\0').slice(0, -1));
      }),
      { numRuns: 60 },
    );
    // 60 bash processes: seconds on an idle machine, far more when CI shares its two cores.
  }, 120_000);
});
