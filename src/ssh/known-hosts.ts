import { createHash, createHmac } from 'node:crypto';

/** One usable key line of a known_hosts file. */
export interface KnownHostEntry {
  /** `@revoked` lines list keys that must be refused; `@cert-authority` lines are skipped. */
  revoked: boolean;
  /** The host field as written: patterns (`a,b,[c]:2222`) or one hashed `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  keyBlob: Buffer;
  /** 1-based line number, for messages. */
  line: number;
}

/**
 * Parses OpenSSH known_hosts text. Comments, blank lines, `@cert-authority` lines (livemig does
 * not use host certificates) and lines that are not `hosts keytype base64` are skipped, as
 * OpenSSH skips them.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let revoked = false;
    if (fields[0].startsWith('@')) {
      if (fields[0] === '@cert-authority') return;
      if (fields[0] !== '@revoked') return;
      revoked = true;
      fields.shift();
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) return;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return;
    const keyBlob = Buffer.from(base64, 'base64');
    if (blobKeyType(keyBlob) !== keyType) return;
    entries.push({ revoked, hosts, keyType, keyBlob, line: index + 1 });
  });
  return entries;
}

/** How OpenSSH writes a host in known_hosts: bare for port 22, `[host]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** Whether an entry's host field names `hostName` (already in knownHostsName form). */
export function entryMatches(entry: KnownHostEntry, hostName: string): boolean {
  if (entry.hosts.startsWith('|1|')) return hashedMatches(entry.hosts, hostName);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, hostName)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** A key's fingerprint exactly as `ssh-keygen -l` prints it: `SHA256:` + unpadded base64. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The `|1|salt|hash` form `ssh-keygen -H` writes for a host name, with the given salt. */
export function hashHostName(hostName: string, salt: Buffer): string {
  const hash = createHmac('sha1', salt).update(hostName).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
export function blobKeyType(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || keyBlob.length < 4 + length) return undefined;
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

function hashedMatches(field: string, hostName: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(hostName).digest('base64') === hash;
}

/** OpenSSH host patterns: `*` any run of characters, `?` one character, case-insensitive. */
function globMatches(pattern: string, hostName: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return pattern.toLowerCase() === hostName.toLowerCase();
  }
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(hostName);
}
