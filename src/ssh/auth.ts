import { createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';
import { LivemigError } from '../errors.js';
import type { AuthMaterial } from './dial.js';

/** Where credentials come from: config ssh.*, the passphrase secret, the agent socket. */
export interface AuthSources {
  privateKeyPath: string | undefined;
  /** Key contents given directly (the lab, tests); takes the place of privateKeyPath. */
  privateKey: Buffer | undefined;
  passphrase: string | undefined;
  useAgent: boolean;
  agentSocket: string | undefined;
}

/**
 * Reads and decrypts the private key once (decrypting an OpenSSH key runs bcrypt_pbkdf, far too
 * slow to repeat per connection) and checks the agent socket is known. Messages name the key
 * file and the variable to set, never the key or the passphrase.
 */
export async function loadAuthMaterial(sources: AuthSources): Promise<AuthMaterial> {
  const material: AuthMaterial = {};
  if (sources.useAgent) {
    if (!sources.agentSocket) {
      throw new LivemigError('config_invalid', 'ssh.useAgent is true but SSH_AUTH_SOCK is not set', {
        hint: 'Start livemig where an ssh-agent is running (eval $(ssh-agent); ssh-add KEY), or set ssh.privateKeyPath.',
      });
    }
    material.agentSocket = sources.agentSocket;
  }
  const keyName = sources.privateKeyPath ?? 'the configured private key';
  let keyText = sources.privateKey;
  if (keyText === undefined && sources.privateKeyPath !== undefined) {
    try {
      keyText = await readFile(sources.privateKeyPath);
    } catch (error) {
      throw new LivemigError(
        'config_invalid',
        `cannot read ssh.privateKeyPath ${sources.privateKeyPath}: ${readFailure(error as NodeJS.ErrnoException)}`,
        {
          hint: 'Point ssh.privateKeyPath at a readable OpenSSH private key file.',
        },
      );
    }
  }
  if (keyText !== undefined) material.privateKey = parsePrivateKey(keyText, sources.passphrase, keyName);
  return material;
}

/** Why a key file could not be read, in words (the errno code in brackets). */
function readFailure(error: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
  };
  const code = error.code ?? 'unreadable';
  return words[code] === undefined ? code : `${words[code]} (${code})`;
}

function parsePrivateKey(keyText: Buffer, passphrase: string | undefined, keyName: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(keyText, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined) {
    const message = key instanceof Error ? key.message : '';
    if (/passphrase/i.test(message)) {
      throw new LivemigError(
        'config_invalid',
        passphrase === undefined
          ? `SSH private key ${keyName} is encrypted and no passphrase was given`
          : `SSH private key ${keyName} could not be decrypted: wrong passphrase`,
        { hint: "Set LIVEMIG_SSH_KEY_PASSPHRASE to the key's passphrase." },
      );
    }
    throw new LivemigError(
      'config_invalid',
      `SSH private key ${keyName} is not a private key ssh2 can read`,
      {
        hint: 'Use an OpenSSH private key (ssh-keygen -t ed25519).',
      },
    );
  }
  if (key.isPrivateKey() === false) {
    throw new LivemigError('config_invalid', `SSH private key ${keyName} holds only a public key`);
  }
  return preparedSigningKey(key);
}

/**
 * ssh2 signs with the key's PEM text, which OpenSSL parses again on every signature (about a
 * millisecond, more than the signature itself). This view of the key signs with a KeyObject
 * parsed once; ssh2 still sees its own parsed key through the prototype.
 */
export function preparedSigningKey(key: ParsedKey): ParsedKey {
  const pem = key.getPrivatePEM();
  const keyObject = createPrivateKey(pem);
  const prepared: ParsedKey = Object.create(key);
  // ssh2 expects an Error value (not a throw) from a failed signature, whatever the typings say.
  prepared.sign = ((data: Buffer, algo?: string): Buffer | Error => {
    // Without an explicit hash only ed25519 is unambiguous (it takes none); others keep ssh2's default.
    if (!algo && key.type !== 'ssh-ed25519') return key.sign(data);
    try {
      return cryptoSign(algo || null, data, keyObject);
    } catch (error) {
      return error as Error;
    }
  }) as ParsedKey['sign'];
  return prepared;
}
