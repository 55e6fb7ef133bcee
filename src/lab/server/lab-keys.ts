import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { LivemigError } from '../../errors.js';

// ssh2 is CommonJS: Node's ESM loader only sees some of its exports as named ones.
const { utils } = ssh2;

// Key files are small and read once at start: synchronous access keeps startup simple.

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
const hostKeysFile = 'host-keys.json';

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

/**
 * Every host's private key, in one file (DIR/host-keys.json, mode 0600): a restarted lab keeps
 * every host's identity, and a 1000-host lab opens one file instead of a thousand.
 */
export class HostKeyStore {
  readonly #path: string;
  readonly #texts: Record<string, string>;
  /** Each rekeyed host's identity before its first rekey, for `clear` to give back. */
  readonly #beforeRekey = new Map<string, string>();
  #changed = false;

  private constructor(path: string, texts: Record<string, string>) {
    this.#path = path;
    this.#texts = texts;
  }

  /** Reads DIR/host-keys.json (an absent file is an empty store). */
  static open(dir: string): HostKeyStore {
    const path = join(dir, hostKeysFile);
    const text = readIfExists(path);
    let texts: unknown = {};
    if (text !== undefined) {
      try {
        texts = JSON.parse(text);
      } catch {
        texts = undefined;
      }
    }
    if (typeof texts !== 'object' || texts === null || Array.isArray(texts)) {
      throw new LivemigError('config_invalid', `${path}: not the lab's host key file`, {
        hint: 'Delete it and start the lab again: every host gets a new key (and known_hosts is rewritten).',
      });
    }
    return new HostKeyStore(path, texts as Record<string, string>);
  }

  /** The host's key, created on first use. */
  keyOf(host: string): LabHostKey {
    const text = this.#texts[host];
    if (text !== undefined) return hostKeyFrom(text, `${this.#path} (${host})`);
    return this.#generate(host);
  }

  /** Gives a host a brand-new identity (the "host key changed" fault) and saves it at once. */
  replace(host: string): LabHostKey {
    const original = this.#texts[host];
    if (original !== undefined && !this.#beforeRekey.has(host)) this.#beforeRekey.set(host, original);
    const key = this.#generate(host);
    this.save();
    return key;
  }

  /**
   * Undoes `replace`: the host gets back the identity known_hosts has for it, saved at once.
   * Returns undefined for a host that was not rekeyed since the lab started.
   */
  restore(host: string): LabHostKey | undefined {
    const original = this.#beforeRekey.get(host);
    if (original === undefined) return undefined;
    this.#beforeRekey.delete(host);
    this.#texts[host] = original;
    this.#changed = true;
    this.save();
    return hostKeyFrom(original, `${this.#path} (${host})`);
  }

  /** Writes the file when a key was created or replaced since the last save. */
  save(): void {
    if (!this.#changed) return;
    // Write-then-rename: a lab killed mid-write must not lose every host's identity.
    const temporary = `${this.#path}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.#texts, null, 1)}\n`, { mode: 0o600 });
    renameSync(temporary, this.#path);
    this.#changed = false;
  }

  #generate(host: string): LabHostKey {
    const text = generateEd25519(`livemig-lab-${host}`).private;
    this.#texts[host] = text;
    this.#changed = true;
    return hostKeyFrom(text, `${this.#path} (${host})`);
  }
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
