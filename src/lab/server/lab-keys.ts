import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { LivemigError } from '../../errors.js';

// ssh2 is CommonJS: Node's ESM loader only sees some of its exports as named ones.
const { utils } = ssh2;

// Key files are small and read once at start (1000 of them for a large lab): synchronous file
// access is faster here than 1000 promises queued on libuv's four threads.

/** The lab's SSH client identity: what livemig.yml's ssh.privateKeyPath points at. */
export interface LabClientKey {
  privateKeyPath: string;
  /** Parsed public half, compared against what a connecting client offers. */
  publicKey: ParsedKey;
}

/** One host's identity: the key its listener presents and the known_hosts key text. */
export interface LabHostKey {
  privateKey: ParsedKey;
  /** `ssh-ed25519 AAAA…` (type and base64 blob, no comment). */
  publicKeyText: string;
}

const clientKeyFile = 'id_ed25519';
const hostKeyDir = 'host-keys';

/**
 * Loads DIR/id_ed25519, or creates it (OpenSSH private key format, mode 0600, plus the .pub
 * line) so both livemig and OpenSSH's `ssh -i` can use it. Kept across restarts of the lab.
 */
export function loadOrCreateClientKey(dir: string): LabClientKey {
  const privateKeyPath = join(dir, clientKeyFile);
  let text = readIfExists(privateKeyPath);
  if (text === undefined) {
    const pair = generateEd25519('livemig-lab-client');
    text = pair.private;
    writeFileSync(privateKeyPath, text, { mode: 0o600 });
    // An existing file keeps its mode on write: make sure OpenSSH accepts it.
    chmodSync(privateKeyPath, 0o600);
    writeFileSync(`${privateKeyPath}.pub`, `${pair.public}\n`);
  }
  return { privateKeyPath, publicKey: parsePrivateKey(text, privateKeyPath) };
}

/** Loads DIR/host-keys/NAME, or creates it: a restarted lab keeps every host's identity. */
export function loadOrCreateHostKey(dir: string, host: string): LabHostKey {
  const text = readIfExists(hostKeyPath(dir, host));
  return text === undefined ? replaceHostKey(dir, host) : hostKeyFrom(text, hostKeyPath(dir, host));
}

/** Gives a host a brand-new identity (the "host key changed" fault) and persists it. */
export function replaceHostKey(dir: string, host: string): LabHostKey {
  mkdirSync(join(dir, hostKeyDir), { recursive: true });
  const pair = generateEd25519(`livemig-lab-${host}`);
  writeFileSync(hostKeyPath(dir, host), pair.private, { mode: 0o600 });
  return hostKeyFrom(pair.private, hostKeyPath(dir, host));
}

/** The known_hosts line OpenSSH and livemig look up for a host key on a non-default port. */
export function knownHostsLine(address: string, port: number, key: LabHostKey): string {
  return `[${address}]:${port} ${key.publicKeyText}`;
}

/**
 * An ed25519 key pair in OpenSSH format. ssh2's generator drops a leading zero byte of the public
 * key (about 1 key in 300), producing a file neither ssh2 nor OpenSSH can read; such a pair is
 * simply drawn again.
 */
function generateEd25519(comment: string): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}

function hostKeyFrom(text: string, path: string): LabHostKey {
  const privateKey = parsePrivateKey(text, path);
  return { privateKey, publicKeyText: `${privateKey.type} ${privateKey.getPublicSSH().toString('base64')}` };
}

function hostKeyPath(dir: string, host: string): string {
  return join(dir, hostKeyDir, host);
}

function parsePrivateKey(text: string, path: string): ParsedKey {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) {
    throw new LivemigError('config_invalid', `${path}: not a usable private key: ${parsed.message}`, {
      hint: 'Delete the file and start the lab again: it creates a new key.',
    });
  }
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
