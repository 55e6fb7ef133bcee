import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLine, quoteArg } from '../../src/ssh/quote.js';

/** What /bin/sh makes of a quoted word: printf %s prints it back byte for byte. */
function shellRoundTrip(arg: string): string {
  return execFileSync('/bin/sh', ['-c', `printf %s ${quoteArg(arg)}`], { encoding: 'utf8' });
}

// Shell metacharacters, quotes, control characters and non-ASCII text, mixed with anything.
const nasty = fc.constantFrom(
  "'",
  '"',
  '\\',
  '$',
  '`',
  '$(id)',
  '`id`',
  '\n',
  '\r',
  '\t',
  ' ',
  ';',
  '&',
  '|',
  '*',
  '?',
  '~',
  '#',
  '!',
  '{',
  '}',
  '(',
  ')',
  '<',
  '>',
  '\x01',
  '\x1b[31m',
  '\x7f',
  'é',
  '日本',
  '🙂',
  '-n',
  '--',
);
// NUL is left out: an argv string ends at the first NUL byte, so no process (sh included) can
// receive one; commandLine refuses arguments that contain it instead.
const withoutNul = (s: string) => s.replaceAll('\0', '');
const anyArgument = fc
  .array(fc.oneof(fc.string({ unit: 'binary' }), nasty), { maxLength: 6 })
  .map((parts) => withoutNul(parts.join('')));

describe('quoteArg', () => {
  it('survives /bin/sh unchanged for any string without NUL', () => {
    // Each run spawns a shell, so keep the count moderate; the generator is biased to nasties.
    fc.assert(
      fc.property(anyArgument, (arg) => {
        expect(shellRoundTrip(arg)).toBe(arg);
      }),
      { numRuns: 150 },
    );
    // 150 shells take a second on an idle machine and far longer on a busy one.
  }, 180_000);

  it('leaves plain words bare and quotes the empty string', () => {
    expect(quoteArg('node05')).toBe('node05');
    expect(quoteArg('/var/lib/nova/instances/abc-1')).toBe('/var/lib/nova/instances/abc-1');
    expect(quoteArg('a=b,c:d@e%f+g')).toBe('a=b,c:d@e%f+g');
    expect(quoteArg('')).toBe("''");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('$(reboot)')).toBe(`'$(reboot)'`);
  });
});

describe('commandLine', () => {
  it('quotes every argument after the program', () => {
    expect(commandLine({ program: 'virsh', args: ['dumpxml', 'instance-0000001a', 'a b'] }, false)).toBe(
      "virsh dumpxml instance-0000001a 'a b'",
    );
  });

  it('runs through sudo -n when the command or the configuration asks', () => {
    expect(commandLine({ program: 'virsh', args: ['list'], sudo: true }, false)).toBe('sudo -n virsh list');
    expect(commandLine({ program: 'virsh', args: ['list'] }, true)).toBe('sudo -n virsh list');
  });

  it.each(['rm -rf /', 'ls;id', '$(id)', '', '-rf', 'a|b', 'é'])('refuses the program %j', (program) => {
    expect(() => commandLine({ program, args: [] }, false)).toThrow(
      expect.objectContaining({ code: 'unsafe_argument' }),
    );
  });

  it('refuses an argument containing a NUL byte', () => {
    expect(() => commandLine({ program: 'echo', args: ['a\0b'] }, false)).toThrow(/NUL/);
  });
});
