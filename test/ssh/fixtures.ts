import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readSecrets, type Secrets } from '../../src/config/load-config.js';
import { type Config, configSchema } from '../../src/config/schema.js';
import { LivemigError } from '../../src/errors.js';

/** Secrets as an empty environment gives them. */
export const noSecrets: Secrets = readSecrets({});

/** A temp dir holding a known_hosts file; remove() deletes it. */
export function knownHostsFile(lines: readonly string[]): {
  path: string;
  write: (lines: readonly string[]) => void;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'livemig-ssh-'));
  const path = join(dir, 'known_hosts');
  const write = (content: readonly string[]) => writeFileSync(path, `${content.join('\n')}\n`);
  write(lines);
  return { path, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FixtureHost {
  name: string;
  port: number;
}

/**
 * A valid Config whose controller is the first host and hypervisors the rest, all on 127.0.0.1.
 * With only one host, that host is the hypervisor and the controller is the same server under
 * its own name (`<name>-controller`): config refuses a controller named like a hypervisor.
 */
export function sshTestConfig(
  hosts: readonly FixtureHost[],
  ssh: Record<string, unknown>,
  limits: Partial<Config['limits']> = {},
): Config {
  const endpoint = (host: FixtureHost) => ({ name: host.name, address: '127.0.0.1', port: host.port });
  const [first, ...rest] = hosts;
  if (!first) throw new Error('sshTestConfig needs a host');
  return configSchema.parse({
    cluster:
      rest.length > 0
        ? { controller: endpoint(first), hypervisors: rest.map(endpoint) }
        : {
            controller: endpoint({ ...first, name: `${first.name}-controller` }),
            hypervisors: [endpoint(first)],
          },
    ssh: { user: 'root', privateKeyPath: '/nonexistent/key-given-directly', ...ssh },
    limits,
  });
}

/** The LivemigError a promise rejects with (fails the test if it resolves or throws another). */
export async function rejection(promise: Promise<unknown>): Promise<LivemigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LivemigError);
  return error as LivemigError;
}
