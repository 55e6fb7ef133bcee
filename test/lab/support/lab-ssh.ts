import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'ssh2';
import type { Lab } from '../../../src/lab/lab.js';

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The host key known_hosts holds for a lab host (what a strict client expects). */
export function knownHostKey(lab: Lab, host: string): Buffer {
  const prefix = `[127.0.0.1]:${lab.hostPort(host)} `;
  const line = readFileSync(join(lab.dir, 'known_hosts'), 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(prefix));
  if (line === undefined) throw new Error(`no known_hosts line for ${host}`);
  return Buffer.from(line.split(' ')[2]!, 'base64');
}

/**
 * Opens a strictly verified ssh2 connection to a lab host with the lab's key: the way any SSH
 * client would, independent of livemig's own executor.
 */
export function connectToLab(
  lab: Lab,
  host: string,
  options: { user?: string; readyTimeoutMs?: number } = {},
): Promise<Client> {
  const expected = knownHostKey(lab, host);
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      // Later resets (the lab stopping, a fault) are what tests provoke; they surface per command.
      client.on('error', () => {});
      resolve(client);
    });
    client.on('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: lab.hostPort(host),
      username: options.user ?? 'root',
      privateKey: readFileSync(join(lab.dir, 'id_ed25519')),
      readyTimeout: options.readyTimeoutMs ?? 5_000,
      hostVerifier: (key: Buffer) => key.equals(expected),
    });
  });
}

/** Runs one command line on an open connection; stdin is written and closed. */
export function execOn(client: Client, command: string, stdin = ''): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      stream.on('exit', (exitCode: number | null) => {
        code = exitCode;
      });
      stream.on('close', () => resolve({ stdout, stderr, code }));
      stream.end(stdin);
    });
  });
}

/** Connects, runs one command, disconnects. */
export async function runOnLab(lab: Lab, host: string, command: string, stdin = ''): Promise<ExecOutcome> {
  const client = await connectToLab(lab, host);
  try {
    return await execOn(client, command, stdin);
  } finally {
    client.end();
  }
}
