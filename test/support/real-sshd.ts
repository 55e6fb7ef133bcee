import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const sshdPath = '/usr/sbin/sshd';

/** A running OpenSSH sshd on 127.0.0.1 with its own host key and one authorized client key. */
export interface RealSshd {
  address: '127.0.0.1';
  port: number;
  /** The user sshd lets in (the one running the tests). */
  user: string;
  /** known_hosts line for this sshd's ed25519 host key. */
  knownHostsLine: string;
  /** known_hosts line for its second host key, ECDSA P-256 (real hosts have several). */
  ecdsaKnownHostsLine: string;
  clientPrivateKey: Buffer;
  /** A temp dir, removed by stop(), for the test's own files. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts `/usr/sbin/sshd -D -e` as the current user on a free loopback port, with fresh ed25519
 * and ECDSA host keys, an authorized ed25519 client key and MaxSessions `maxSessions`.
 * Everything lives in a 0700 temp dir (sshd refuses group/world-readable keys). Stop it with
 * stop().
 */
export async function startRealSshd(
  options: { maxSessions?: number; loginShellStartMs?: number } = {},
): Promise<RealSshd> {
  // Debian's sshd checks that its privilege separation directory exists before it starts.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'livemig-sshd-'));
  chmodSync(dir, 0o700);
  const keygen = (file: string, type = 'ed25519') =>
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'livemig-test', '-f', join(dir, file)]);
  mkdirSync(join(dir, 'home'), { mode: 0o700 });
  keygen('host_key');
  keygen('host_key_ecdsa', 'ecdsa');
  keygen('client_key');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  const hostPublic = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ');
  const ecdsaPublic = readFileSync(join(dir, 'host_key_ecdsa.pub'), 'utf8').trim().split(' ');

  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const configPath = join(dir, 'sshd_config');
    writeFileSync(
      configPath,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `HostKey ${join(dir, 'host_key_ecdsa')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        `MaxSessions ${options.maxSessions ?? 10}`,
        'MaxStartups 100',
        'LogLevel INFO',
        // sshd runs every command through the user's login shell, which reads the tester's
        // ~/.bashrc (one that runs `pyenv init` costs seconds per command). The sessions get an
        // empty home of their own instead, so the tests measure livemig, not the tester's dotfiles.
        `SetEnv HOME=${join(dir, 'home')}`,
        ...slowLoginShell(options.loginShellStartMs),
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const child = spawn(sshdPath, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    const listening = await waitForListening(child);
    if (listening === true) {
      return {
        address: '127.0.0.1',
        port,
        user: userInfo().username,
        knownHostsLine: `[127.0.0.1]:${port} ${hostPublic[0]} ${hostPublic[1]}`,
        ecdsaKnownHostsLine: `[127.0.0.1]:${port} ${ecdsaPublic[0]} ${ecdsaPublic[1]}`,
        clientPrivateKey: readFileSync(join(dir, 'client_key')),
        dir,
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    // Another process may have taken the port between probing and sshd's bind: try another.
    if (attempt === 3 || !/Address already in use/.test(listening)) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${listening}`);
    }
  }
}

/** Resolves true once sshd logs that it listens, or with its stderr if it exits first. */
function waitForListening(child: ChildProcess): Promise<true | string> {
  return new Promise((resolve) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`no "Server listening" within 10 s: ${stderr}`);
    }, 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.includes('Server listening on 127.0.0.1')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(`exit ${code}: ${stderr}`);
    });
  });
}

/**
 * A login shell that takes `startMs` to start, as on a real host whose ~/.bashrc is slow, for
 * tests that must hold however slow the shell is. sshd runs the forced command through the shell.
 */
function slowLoginShell(startMs: number | undefined): string[] {
  if (startMs === undefined) return [];
  return [`ForceCommand sleep ${(startMs / 1000).toFixed(3)}; eval "$SSH_ORIGINAL_COMMAND"`];
}
