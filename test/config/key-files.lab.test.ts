/**
 * A private key livemig cannot use is a config error found once, before any host is contacted:
 * exit 2 with the key's path and the cause, not every host failing one by one.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../src/lab/index.js';
import { SimClock } from '../../src/util/clock.js';
import { runCli } from '../support/run-cli.js';

describe('a private key livemig cannot use', () => {
  let lab: Lab;
  let keys: string;

  beforeAll(async () => {
    lab = await startLab({ clock: new SimClock() });
    keys = join(lab.dir, 'bad-keys');
    await mkdir(keys);
    await writeFile(join(keys, 'garbage'), 'this is not a key\n');
    const locked = ssh2.utils.generateKeyPairSync('ed25519', {
      passphrase: 's3cret',
      cipher: 'aes256-ctr',
      rounds: 16,
    });
    await writeFile(join(keys, 'locked'), locked.private);
    await mkdir(join(keys, 'a-directory'));
  });
  afterAll(async () => {
    await rm(keys, { recursive: true, force: true });
    await lab.stop();
  });

  /** The lab's livemig.yml with ssh.privateKeyPath pointing at `keyPath`. */
  async function configWithKey(name: string, keyPath: string): Promise<string> {
    const text = await readFile(lab.configPath, 'utf8');
    const path = join(keys, `${name}.yml`);
    await writeFile(path, text.replace(/privateKeyPath: .*/, `privateKeyPath: ${keyPath}`));
    return path;
  }

  it.each([
    ['missing', 'no-such-key', 'no such file'],
    ['unreadable', 'a-directory', 'it is a directory'],
    ['garbage', 'garbage', 'is not a private key'],
    ['encrypted without LIVEMIG_SSH_KEY_PASSPHRASE', 'locked', 'is encrypted and no passphrase was given'],
  ])('refuses a %s key with exit 2, naming it, before asking any host', async (_, file, cause) => {
    const keyPath = join(keys, file);
    const config = await configWithKey(file, keyPath);
    const contacted = lab.hosts.reduce((sum, host) => sum + lab.commandLog.entries(host.name).length, 0);
    for (const args of [['check', 'dstest', 'node10'], ['status'], ['audit']]) {
      const run = await runCli([...args, '--config', config]);
      expect([args[0], run.code]).toEqual([args[0], 2]);
      expect(run.stderr).toContain(keyPath);
      expect(run.stderr).toContain(cause);
      expect(run.stdout).toBe('');
    }
    expect(lab.hosts.reduce((sum, host) => sum + lab.commandLog.entries(host.name).length, 0)).toBe(
      contacted,
    );
  });

  it('uses an encrypted key when LIVEMIG_SSH_KEY_PASSPHRASE unlocks it, and says when it is wrong', async () => {
    const config = await configWithKey('locked', join(keys, 'locked'));
    const wrong = await runCli(['status', '--config', config], { LIVEMIG_SSH_KEY_PASSPHRASE: 'nope' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('could not be decrypted: wrong passphrase');
    const right = await runCli(['status', '--config', config], { LIVEMIG_SSH_KEY_PASSPHRASE: 's3cret' });
    expect(right.stderr).toBe('');
    expect(right.code).toBe(0);
  });
});
