import { describe, expect, it } from 'vitest';
import { parseFaultWords } from '../../src/lab/fault-command.js';

describe('livemig lab fault words', () => {
  it.each([
    [['node05', 'down', []], { kind: 'down', host: 'node05' }],
    [['node05', 'hang', []], { kind: 'hang', host: 'node05' }],
    [['node05', 'slow', ['250']], { kind: 'slow', host: 'node05', delayMs: 250 }],
    [['node05', 'lossy', ['0.2']], { kind: 'lossy', host: 'node05', probability: 0.2 }],
    [['node05', 'auth-fail', []], { kind: 'auth-fail', host: 'node05' }],
    [['node05', 'rekey', []], { kind: 'rekey', host: 'node05' }],
    [['node05', 'nova-compute-down', []], { kind: 'nova-compute-down', host: 'node05' }],
    [
      ['any', 'fail-migration', ['dstest', 'copying']],
      { kind: 'fail-migration', vm: 'dstest', point: 'copying' },
    ],
    [
      ['any', 'fail-migration', ['dstest', 'switchover', 'qemu died']],
      { kind: 'fail-migration', vm: 'dstest', point: 'switchover', message: 'qemu died' },
    ],
    [['node05', 'clear', []], { kind: 'clear', host: 'node05' }],
    [['all', 'clear', []], { kind: 'clear' }],
  ] as const)('reads %j', ([host, action, args], fault) => {
    expect(parseFaultWords(host, action, args)).toEqual(fault);
  });

  it.each([
    [['node05', 'slow', []], 'wrong number of arguments for slow'],
    [['node05', 'slow', ['soon']], 'cannot read "node05 slow soon"'],
    [['node05', 'lossy', ['1.5']], 'cannot read "node05 lossy 1.5"'],
    [['node05', 'down', ['now']], 'wrong number of arguments for down'],
    [['any', 'fail-migration', ['dstest', 'halfway']], 'cannot read "any fail-migration dstest halfway"'],
    [['node05', 'explode', []], 'cannot read "node05 explode"'],
  ] as const)('refuses %j with a usage error', ([host, action, args], message) => {
    expect(() => parseFaultWords(host, action, args)).toThrow(message);
  });
});
