import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { LivemigError } from '../../errors.js';

// ssh2 is CommonJS: Node's ESM loader only sees some of its exports as named ones.
const { utils } = ssh2;

/** The lab's SSH client identity: what livemig.yml's ssh.privateKeyPath points at. */
export interface LabClientKey {
  privateKeyPath: string;
  /** Parsed public half, compared against what a connecting client offers. */
  publicKey: ParsedKey;
}

/** One host's identity: the private key its listener presents and the known_hosts key text. */
export interface LabHostKey {
  privateKey: string;
  /** `ssh-ed25519 AAAA…` (type and base64 blob, no comment). */
  publicKeyText: string;
}

const clientKeyFile = 'id_ed25519';
const hostKeyDir = 'host-keys';

/**
 * Loads DIR/id_ed25519, or creates it (OpenSSH private key format, mode 0600, plus the .pub
 * line) so both livemig and OpenSSH's `ssh -i` can use it. Kept across restarts of the lab.
 */
export async function loadOrCreateClientKey(dir: string): Promise<LabClientKey> {
  const privateKeyPath = join(dir, clientKeyFile);
  let text = await readIfExists(privateKeyPath);
  if (text === undefined) {
    const pair = utils.generateKeyPairSync('ed25519', { comment: 'livemig-lab-client' });
    text = pair.private;
    await writeFile(privateKeyPath, text, { mode: 0o600 });
    await chmod(privateKeyPath, 0o600);
    await writeFile(`${privateKeyPath}.pub`, `${pair.public}\n`);
  }
  return { privateKeyPath, publicKey: parsePrivateKey(text, privateKeyPath) };
}

/** Loads DIR/host-keys/NAME, or creates it: a restarted lab keeps every host's identity. */
export async function loadOrCreateHostKey(dir: string, host: string): Promise<LabHostKey> {
  const text = await readIfExists(hostKeyPath(dir, host));
  return text === undefined ? replaceHostKey(dir, host) : hostKeyFrom(text, hostKeyPath(dir, host));
}

/** Gives a host a brand-new identity (the "host key changed" fault) and persists it. */
export async function replaceHostKey(dir: string, host: string): Promise<LabHostKey> {
  await mkdir(join(dir, hostKeyDir), { recursive: true });
  const pair = utils.generateKeyPairSync('ed25519', { comment: `livemig-lab-${host}` });
  await writeFile(hostKeyPath(dir, host), pair.private, { mode: 0o600 });
  return hostKeyFrom(pair.private, hostKeyPath(dir, host));
}

/** The known_hosts line OpenSSH and livemig look up for a host key on a non-default port. */
export function knownHostsLine(address: string, port: number, key: LabHostKey): string {
  return `[${address}]:${port} ${key.publicKeyText}`;
}

function hostKeyFrom(privateKey: string, path: string): LabHostKey {
  const parsed = parsePrivateKey(privateKey, path);
  return { privateKey, publicKeyText: `${parsed.type} ${parsed.getPublicSSH().toString('base64')}` };
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

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
