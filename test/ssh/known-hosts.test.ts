import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostKeyVerifier, hostKeyError } from '../../src/ssh/host-key-verifier.js';
import {
  entryMatches,
  fingerprintOf,
  hashHostName,
  knownHostsName,
  parseKnownHosts,
} from '../../src/ssh/known-hosts.js';
import { generateKeyPair } from '../support/ssh-server.js';
import { hasSystemBinary } from '../support/system.js';
import { knownHostsFile } from './fixtures.js';

function publicKey(type: 'ed25519' | 'ecdsa' = 'ed25519'): { blob: Buffer; line: string } {
  const pair = generateKeyPair(type);
  const parsed = ssh2.utils.parseKey(pair.public);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('key');
  return { blob: parsed.getPublicSSH(), line: `${parsed.type} ${parsed.getPublicSSH().toString('base64')}` };
}

const keyA = publicKey();
const keyB = publicKey();
const keyC = publicKey('ecdsa');
const files: Array<{ remove: () => void }> = [];
afterEach(() => {
  for (const file of files.splice(0)) file.remove();
});

describe('parseKnownHosts', () => {
  it('reads plain, bracketed, listed and hashed entries and skips comments, blanks and junk', () => {
    const hashed = hashHostName('10.0.0.9', randomBytes(20));
    const entries = parseKnownHosts(
      [
        '# a comment',
        '',
        `node01,10.0.0.1 ${keyA.line} root@node01`,
        `[10.0.0.2]:2222 ${keyB.line}`,
        `${hashed} ${keyC.line}`,
        '@cert-authority *.example.org ssh-ed25519 AAAA',
        `@revoked 10.0.0.3 ${keyA.line}`,
        'garbage line',
        `10.0.0.4 ssh-rsa ${keyA.line.split(' ')[1]}`,
      ].join('\n'),
    );
    expect(entries.map((e) => [e.hosts, e.keyType, e.revoked, e.line])).toEqual([
      ['node01,10.0.0.1', 'ssh-ed25519', false, 3],
      ['[10.0.0.2]:2222', 'ssh-ed25519', false, 4],
      [hashed, 'ecdsa-sha2-nistp256', false, 5],
      ['10.0.0.3', 'ssh-ed25519', true, 7],
    ]);
  });

  it('writes port 22 bare and other ports in brackets, like OpenSSH', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('matches hashed entries only for the hashed name, port included', () => {
    const [entry] = parseKnownHosts(`${hashHostName('[10.0.0.2]:2222', randomBytes(20))} ${keyA.line}`);
    expect(entryMatches(entry!, '[10.0.0.2]:2222')).toBe(true);
    expect(entryMatches(entry!, '10.0.0.2')).toBe(false);
    expect(entryMatches(entry!, '[10.0.0.2]:2223')).toBe(false);
  });

  it('honours wildcards and negation in host patterns', () => {
    const [entry] = parseKnownHosts(`10.0.0.*,!10.0.0.13 ${keyA.line}`);
    expect(entryMatches(entry!, '10.0.0.12')).toBe(true);
    expect(entryMatches(entry!, '10.0.0.13')).toBe(false);
    expect(entryMatches(entry!, '10.0.1.12')).toBe(false);
  });
});

describe.skipIf(!hasSystemBinary('/usr/bin/ssh-keygen'))('agreement with OpenSSH ssh-keygen', () => {
  it('hashes a host name so that ssh-keygen -F finds it', () => {
    const file = knownHostsFile([`${hashHostName('[127.0.0.1]:2222', randomBytes(20))} ${keyA.line}`]);
    files.push(file);
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file.path], {
      encoding: 'utf8',
    });
    expect(found).toContain(keyA.line);
  });

  it('matches the entries ssh-keygen -H hashed', () => {
    const file = knownHostsFile([`[127.0.0.1]:2222 ${keyA.line}`, `node07 ${keyB.line}`]);
    files.push(file);
    execFileSync('ssh-keygen', ['-H', '-f', file.path], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file.path, 'utf8'));
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    const verifier = createHostKeyVerifier(entries, {});
    expect(verifier.check({ address: '127.0.0.1', port: 2222 }, keyA.blob)).toEqual({ outcome: 'ok' });
    expect(verifier.check({ address: 'node07', port: 22 }, keyB.blob)).toEqual({ outcome: 'ok' });
  });

  it('prints the same fingerprint as ssh-keygen -l', () => {
    const file = knownHostsFile([keyC.line]);
    files.push(file);
    const printed = execFileSync('ssh-keygen', ['-l', '-f', join(file.path)], { encoding: 'utf8' });
    expect(printed.split(' ')[1]).toBe(fingerprintOf(keyC.blob));
  });
});

describe('host key verifier', () => {
  const node = { address: '10.0.0.5', port: 22, inventoryName: 'node05' };

  it('accepts any of several keys listed for a host', () => {
    const verifier = createHostKeyVerifier(
      parseKnownHosts(`10.0.0.5 ${keyA.line}\n10.0.0.5 ${keyC.line}`),
      {},
    );
    expect(verifier.check(node, keyA.blob).outcome).toBe('ok');
    expect(verifier.check(node, keyC.blob).outcome).toBe('ok');
    expect(verifier.knownKeyTypes(node)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
  });

  it('calls a host without entries unknown, and one with other keys changed', () => {
    const verifier = createHostKeyVerifier(parseKnownHosts(`[10.0.0.5]:2222 ${keyA.line}`), {});
    expect(verifier.check(node, keyA.blob)).toEqual({
      outcome: 'unknown',
      presented: fingerprintOf(keyA.blob),
    });
    expect(verifier.check({ ...node, port: 2222 }, keyB.blob)).toEqual({
      outcome: 'changed',
      presented: fingerprintOf(keyB.blob),
      expected: [fingerprintOf(keyA.blob)],
      source: 'known_hosts',
    });
  });

  it('refuses a @revoked key even when another line lists it', () => {
    const verifier = createHostKeyVerifier(
      parseKnownHosts(`10.0.0.5 ${keyA.line}\n@revoked * ${keyA.line}`),
      {},
    );
    expect(verifier.check(node, keyA.blob).outcome).toBe('revoked');
  });

  it('lets a pinned fingerprint decide for its host, over known_hosts', () => {
    const entries = parseKnownHosts(`10.0.0.5 ${keyA.line}`);
    const pinnedToB = createHostKeyVerifier(entries, { node05: fingerprintOf(keyB.blob) });
    expect(pinnedToB.check(node, keyB.blob).outcome).toBe('ok');
    expect(pinnedToB.check(node, keyA.blob)).toMatchObject({ outcome: 'changed', source: 'pinned' });
    expect(
      pinnedToB.check({ address: '10.0.0.5', port: 22, inventoryName: 'node06' }, keyA.blob).outcome,
    ).toBe('ok');
  });

  it('turns refusals into errors naming the host and every fingerprint', () => {
    const changed = hostKeyError(
      node,
      { outcome: 'changed', presented: 'SHA256:new', expected: ['SHA256:old'], source: 'known_hosts' },
      '/etc/livemig/known_hosts',
    );
    expect(changed.code).toBe('ssh_host_key_changed');
    expect(changed.message).toBe(
      'host key of node05 (10.0.0.5:22) has CHANGED: /etc/livemig/known_hosts expects SHA256:old, but the host presented SHA256:new',
    );
    const unknown = hostKeyError(node, { outcome: 'unknown', presented: 'SHA256:new' });
    expect(unknown.code).toBe('ssh_host_key_unknown');
    expect(unknown.message).toContain('node05 (10.0.0.5:22)');
    expect(unknown.message).toContain('SHA256:new');
    expect(unknown.hint).toContain('ssh-keyscan -p 22 10.0.0.5 >> known_hosts');
  });
});
