import { describe, expect, it } from 'vitest';
import {
  checkDomainName,
  checkHostName,
  checkMigrationId,
  checkReason,
  checkServerName,
  checkUuid,
} from '../../src/cluster/validate.js';

const unsafe = expect.objectContaining({ code: 'unsafe_argument' });

describe('what may reach a remote command', () => {
  it('accepts the canonical forms', () => {
    expect(checkUuid('a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42')).toBe('a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42');
    expect(checkDomainName('instance-0000002a')).toBe('instance-0000002a');
    expect(checkHostName('node05.example.com')).toBe('node05.example.com');
    expect(checkMigrationId('12')).toBe('12');
    expect(checkReason('livemig: draining node05 (ticket OPS-12)')).toBe(
      'livemig: draining node05 (ticket OPS-12)',
    );
    expect(checkServerName('x; rm -rf /')).toBe('x; rm -rf /');
  });

  it.each([
    ['upper-case uuid', () => checkUuid('A1564EC8-3B4F-4C1E-9F0A-2D6C8E1F0B42')],
    ['uuid with a command', () => checkUuid('a1564ec8-3b4f-4c1e-9f0a-2d6c8e1f0b42;reboot')],
    ['domain name with a space', () => checkDomainName('instance-0000002a x')],
    ['host name starting with a dash', () => checkHostName('-oProxyCommand=x')],
    ['host name with $()', () => checkHostName('node$(id)')],
    ['migration id that is not a number', () => checkMigrationId('1 2')],
    ['reason with a backtick', () => checkReason('`id`')],
    ['empty server name', () => checkServerName('')],
    ['server name with a newline', () => checkServerName('web01\nreboot')],
    ['server name that looks like an option', () => checkServerName('--all-tenants')],
    ['overlong server name', () => checkServerName('x'.repeat(256))],
  ])('refuses a %s', (_case, check) => {
    expect(check).toThrow(unsafe);
  });
});
