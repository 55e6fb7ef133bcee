import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
 * emulator's channels and demo approvers (anyone may request). Written as text rather than with
 * the yaml library: one short flow line per host stays readable and costs nothing for 1000 hosts.
 * Strings are JSON-quoted (JSON strings are YAML), so no host name can turn into a number.
 */
export function labConfigText(endpoints: readonly LabEndpoint[], release: NovaRelease): string {
  const controller = endpoints.find((endpoint) => endpoint.spec.role === 'controller');
  if (controller === undefined) throw new Error('the lab world has no controller host');
  const endpointFields = ({ spec, port }: LabEndpoint) =>
    `name: ${JSON.stringify(spec.name)}, address: ${JSON.stringify(address)}, port: ${port}` +
    (spec.linkMiBps === undefined ? '' : `, linkMiBps: ${spec.linkMiBps}`);
  const hypervisors = endpoints
    .filter((endpoint) => endpoint.spec.role === 'hypervisor')
    .map((endpoint) => `    - { ${endpointFields(endpoint)} }`);
  return [
    '# Written by `livemig lab`: the embedded lab cluster on 127.0.0.1.',
    '# Use it with `livemig serve --config <this file>`; it is rewritten each time the lab starts.',
    'cluster:',
    `  controller: { ${endpointFields(controller)} }`,
    '  hypervisors:',
    ...hypervisors,
    'ssh:',
    '  user: root',
    '  privateKeyPath: id_ed25519',
    '  knownHostsPath: known_hosts',
    'nova:',
    `  release: ${release}`,
    'slack:',
    `  requestChannel: ${labSlack.requestChannel}`,
    `  notificationChannel: ${labSlack.notificationChannel}`,
    'approval:',
    '  approvers:',
    `    users: [${labApprovers.join(', ')}]`,
    'dataDir: data',
    '',
  ].join('\n');
}

/**
 * The ports a previous lab in `dir` gave its hosts, read back from the livemig.yml it wrote, so a
 * restarted lab can keep them and a `livemig serve` still using that file reaches it again.
 * Empty when there is no such file.
 */
export async function previousLabPorts(dir: string): Promise<Map<string, number>> {
  let text: string;
  try {
    text = await readFile(join(dir, 'livemig.yml'), 'utf8');
  } catch {
    return new Map();
  }
  const ports = new Map<string, number>();
  for (const match of text.matchAll(/\{ name: ("[^"]*"), address: "[^"]*", port: (\d+)/g)) {
    ports.set(JSON.parse(match[1]!) as string, Number(match[2]));
  }
  return ports;
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
