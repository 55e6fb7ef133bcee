import { readFile, stat } from 'node:fs/promises';
import { LivemigError } from '../errors.js';
import {
  entryMatches,
  fingerprintOf,
  type KnownHostEntry,
  knownHostsName,
  parseKnownHosts,
} from './known-hosts.js';

/** The host a key was presented by: where we connected, and its inventory name if it has one. */
export interface HostKeySubject {
  address: string;
  port: number;
  /** Inventory name (pinned fingerprints are keyed by it); absent for the jump host. */
  inventoryName?: string;
}

/** What checking a presented host key found. Anything but `ok` refuses the connection. */
export type HostKeyCheck =
  | { outcome: 'ok' }
  | { outcome: 'unknown'; presented: string }
  | { outcome: 'changed'; presented: string; expected: string[]; source: 'known_hosts' | 'pinned' }
  | { outcome: 'revoked'; presented: string };

/** Checks host keys against pinned fingerprints first, then known_hosts. Never trusts on first use. */
export interface HostKeyVerifier {
  check(subject: HostKeySubject, keyBlob: Buffer): HostKeyCheck;
  /** Key types known_hosts holds for the subject, so the handshake can ask for one of those. */
  knownKeyTypes(subject: HostKeySubject): string[];
}

/**
 * A verifier over parsed known_hosts entries and pinned fingerprints (inventory name ->
 * `SHA256:…`). A pinned host is checked only against its pin: the pin is the operator's
 * explicit statement and must not be widened by a stale known_hosts line.
 */
export function createHostKeyVerifier(
  entries: readonly KnownHostEntry[],
  pinned: Readonly<Record<string, string>>,
): HostKeyVerifier {
  const byName = new Map<string, KnownHostEntry[]>();
  const patterned: KnownHostEntry[] = [];
  for (const entry of entries) {
    if (/[|*?!]/.test(entry.hosts)) {
      patterned.push(entry);
      continue;
    }
    for (const name of entry.hosts.toLowerCase().split(',')) {
      byName.set(name, [...(byName.get(name) ?? []), entry]);
    }
  }
  const entriesFor = (subject: HostKeySubject): KnownHostEntry[] => {
    const name = knownHostsName(subject.address, subject.port);
    return [
      ...(byName.get(name.toLowerCase()) ?? []),
      ...patterned.filter((entry) => entryMatches(entry, name)),
    ];
  };
  return {
    check(subject, keyBlob) {
      const presented = fingerprintOf(keyBlob);
      const pin = subject.inventoryName === undefined ? undefined : pinned[subject.inventoryName];
      if (pin !== undefined) {
        return samePin(pin, presented)
          ? { outcome: 'ok' }
          : { outcome: 'changed', presented, expected: [pin], source: 'pinned' };
      }
      const matching = entriesFor(subject);
      if (matching.some((entry) => entry.revoked && entry.keyBlob.equals(keyBlob))) {
        return { outcome: 'revoked', presented };
      }
      const trusted = matching.filter((entry) => !entry.revoked);
      if (trusted.some((entry) => entry.keyBlob.equals(keyBlob))) return { outcome: 'ok' };
      if (trusted.length === 0) return { outcome: 'unknown', presented };
      const expected = [...new Set(trusted.map((entry) => fingerprintOf(entry.keyBlob)))];
      return { outcome: 'changed', presented, expected, source: 'known_hosts' };
    },
    knownKeyTypes(subject) {
      const types = entriesFor(subject)
        .filter((entry) => !entry.revoked)
        .map((entry) => entry.keyType);
      return [...new Set(types)];
    },
  };
}

/** The error for a refused host key: names the host, address:port and every fingerprint involved. */
export function hostKeyError(
  subject: HostKeySubject,
  check: Exclude<HostKeyCheck, { outcome: 'ok' }>,
  knownHostsPath?: string,
): LivemigError {
  const label = subject.inventoryName
    ? `${subject.inventoryName} (${subject.address}:${subject.port})`
    : `${subject.address}:${subject.port}`;
  const file = knownHostsPath ?? 'known_hosts';
  switch (check.outcome) {
    case 'unknown':
      return new LivemigError(
        'ssh_host_key_unknown',
        `host key of ${label} is not known: it presented ${check.presented}, which is in neither ${file} nor ssh.hostKeyFingerprints`,
        {
          hint: `Check ${check.presented} on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add it: ssh-keyscan -p ${subject.port} ${subject.address} >> ${file}`,
        },
      );
    case 'changed':
      return new LivemigError(
        'ssh_host_key_changed',
        `host key of ${label} has CHANGED: ${check.source === 'pinned' ? 'ssh.hostKeyFingerprints pins' : `${file} expects`} ${check.expected.join(' or ')}, but the host presented ${check.presented}`,
        {
          hint: 'This may be an attack or a reinstalled host. Find out which before you update the fingerprint.',
        },
      );
    case 'revoked':
      return new LivemigError(
        'ssh_host_key_changed',
        `host key ${check.presented} of ${label} is marked @revoked in ${file}`,
        { hint: 'The host must be given a new host key; livemig will not connect with a revoked one.' },
      );
  }
}

/**
 * Reads known_hosts, re-parsing only when the file changed: a pool opening a thousand
 * connections asks a thousand times within a second, so the file is looked at (stat) at most
 * once per `recheckMs` and concurrent callers share one read. A missing file counts as empty, so
 * every host is unknown and the error says how to add it.
 */
export function knownHostsLoader(
  path: string | undefined,
  recheckMs = 1000,
): () => Promise<KnownHostEntry[]> {
  let cached: { stamp: string; entries: KnownHostEntry[] } | undefined;
  let checked: { atMs: number; entries: Promise<KnownHostEntry[]> } | undefined;
  const refresh = async (): Promise<KnownHostEntry[]> => {
    if (path === undefined) return [];
    let stamp: string;
    try {
      const info = await stat(path);
      stamp = `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    if (cached?.stamp !== stamp) cached = { stamp, entries: parseKnownHosts(await readFile(path, 'utf8')) };
    return cached.entries;
  };
  return () => {
    const nowMs = Date.now();
    if (!checked || nowMs - checked.atMs >= recheckMs) {
      const entries = refresh();
      checked = { atMs: nowMs, entries };
      // A failed read is not remembered: the next connection tries again.
      entries.catch(() => {
        if (checked?.entries === entries) checked = undefined;
      });
    }
    return checked.entries;
  };
}

function samePin(pin: string, presented: string): boolean {
  return pin.replace(/=+$/, '') === presented;
}
