import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { NovaRelease } from '../config/schema.js';
import { knownHostsLine, type LabHostKey } from './server/lab-keys.js';
import type { LabHostSpec } from './types.js';

/** A started lab host: what livemig.yml and known_hosts say about it. */
export interface LabEndpoint {
  spec: LabHostSpec;
  port: number;
  hostKey: LabHostKey;
}

/** Slack channel ids the emulator and the lab's livemig.yml agree on. */
export const labSlack = { requestChannel: 'C0OPS', notificationChannel: 'C0NOTIFY' } as const;
/** Demo approvers (emulator users); anyone may request. */
export const labApprovers = ['U0APPROVER1', 'U0APPROVER2'] as const;

const address = '127.0.0.1';

/**
 * The lab's livemig.yml: the inventory with each host's loopback port, the lab's own key and
 * known_hosts (relative paths, resolved against the file's directory), the nova release, the
 * emulator's channels and demo approvers.
 */
export function labConfigText(endpoints: readonly LabEndpoint[], release: NovaRelease): string {
  const controller = endpoints.find((endpoint) => endpoint.spec.role === 'controller');
  if (controller === undefined) throw new Error('the lab world has no controller host');
  const config = {
    cluster: {
      controller: { name: controller.spec.name, address, port: controller.port },
      hypervisors: endpoints
        .filter((endpoint) => endpoint.spec.role === 'hypervisor')
        .map(({ spec, port }) => ({
          name: spec.name,
          address,
          port,
          ...(spec.linkMiBps === undefined ? {} : { linkMiBps: spec.linkMiBps }),
        })),
    },
    ssh: { user: 'root', privateKeyPath: 'id_ed25519', knownHostsPath: 'known_hosts' },
    nova: { release },
    slack: { ...labSlack },
    approval: { approvers: { users: [...labApprovers] } },
    dataDir: 'data',
  };
  const header =
    '# Written by `livemig lab`: the embedded lab cluster on 127.0.0.1.\n' +
    '# Use it with `livemig serve --config <this file>`; it is rewritten each time the lab starts.\n';
  return header + stringify(config);
}

/** known_hosts for the lab: one `[127.0.0.1]:PORT ssh-ed25519 AAAA…` line per host. */
export function labKnownHostsText(endpoints: readonly LabEndpoint[]): string {
  return endpoints.map(({ port, hostKey }) => knownHostsLine(address, port, hostKey)).join('\n') + '\n';
}

/** Writes DIR/livemig.yml and DIR/known_hosts; returns the config file's path. */
export async function writeLabFiles(
  dir: string,
  endpoints: readonly LabEndpoint[],
  release: NovaRelease,
): Promise<{ configPath: string; configText: string }> {
  const configPath = join(dir, 'livemig.yml');
  const configText = labConfigText(endpoints, release);
  await writeFile(configPath, configText);
  await writeFile(join(dir, 'known_hosts'), labKnownHostsText(endpoints));
  return { configPath, configText };
}
