import { describe, expect, it } from 'vitest';
import { parseLsLd } from '../../../src/cluster/parse/ls-ld.js';

describe('ls -ld', () => {
  it('reads mode, owner and group of a directory', () => {
    expect(
      parseLsLd(
        'drwxr-xr-x 2 nova nova 4096 Nov 26 00:12 /var/lib/nova/instances/a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42\n',
      ),
    ).toEqual({ exists: true, mode: 'drwxr-xr-x', owner: 'nova', group: 'nova' });
  });

  it('reads a root-owned directory with an ACL marker', () => {
    expect(parseLsLd('drwxr-x---+ 3 root root 4096 Jan  1  2025 /x')).toMatchObject({
      owner: 'root',
      mode: 'drwxr-x---+',
    });
  });

  it('fails on an error message', () => {
    expect(() => parseLsLd("ls: cannot access '/x': Permission denied")).toThrow(
      expect.objectContaining({ code: 'parse_failed' }),
    );
  });
});
