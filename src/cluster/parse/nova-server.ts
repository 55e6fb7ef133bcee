/** `nova show <server>` and `nova list`. */
import type { Server, ServerFlavor, ServerSummary } from '../types.js';
import { uuidPattern } from '../validate.js';
import { optionalInteger, optionalText, requiredText } from './nova-values.js';
import { parseFailed } from './parse-error.js';
import { parseColumnTable, parsePropertyTable } from './prettytable.js';

const showSource = 'nova show';
const listSource = 'nova list';

/** nova's power_state names, for CLIs that print the name instead of the integer. */
const powerStateNumbers: Readonly<Record<string, number>> = {
  nostate: 0,
  running: 1,
  paused: 3,
  shutdown: 4,
  crashed: 6,
  suspended: 7,
};

/** Parses `nova show` (any release: old `flavor | m1.small (2)` or 2.47+ `flavor:*` rows). */
export function parseServerShow(text: string): Server {
  const properties = parsePropertyTable(text, showSource);
  const uuid = requiredText(properties, 'id', showSource);
  if (!uuidPattern.test(uuid)) throw parseFailed(showSource, 'a UUID in "id"', `got "${uuid}"`);
  return {
    uuid,
    name: properties.name?.trim() ?? '',
    status: requiredText(properties, 'status', showSource),
    taskState: optionalText(properties['OS-EXT-STS:task_state']),
    powerState: parsePowerState(properties['OS-EXT-STS:power_state']),
    vmState: optionalText(properties['OS-EXT-STS:vm_state']) ?? '',
    host: optionalText(properties['OS-EXT-SRV-ATTR:host']),
    hypervisorHostname: optionalText(properties['OS-EXT-SRV-ATTR:hypervisor_hostname']),
    instanceName: optionalText(properties['OS-EXT-SRV-ATTR:instance_name']),
    flavor: parseFlavor(properties),
    configDrive: /^(true|1|yes)$/i.test(properties.config_drive?.trim() ?? ''),
    attachedVolumeIds: parseVolumeIds(properties['os-extended-volumes:volumes_attached']),
    created: optionalText(properties.created),
    updated: optionalText(properties.updated),
    tenantId: optionalText(properties.tenant_id),
    properties,
  };
}

/** Parses `nova list` (columns ID | Name | Status | Task State | Power State | Networks). */
export function parseServerList(text: string): ServerSummary[] {
  const table = parseColumnTable(text, listSource);
  for (const column of ['ID', 'Name', 'Status']) {
    if (!table.columns.includes(column)) throw parseFailed(listSource, `a "${column}" column`, 'missing');
  }
  return table.rows.map((row) => {
    const uuid = row.ID ?? '';
    if (!uuidPattern.test(uuid)) throw parseFailed(listSource, 'a UUID in the ID column', `got "${uuid}"`);
    return {
      uuid,
      name: row.Name ?? '',
      status: row.Status ?? '',
      taskState: optionalText(row['Task State']),
      powerState: row['Power State'] ?? '',
      networks: row.Networks ?? '',
    };
  });
}

function parsePowerState(value: string | undefined): number | null {
  const text = optionalText(value);
  if (text === null) return null;
  const named = powerStateNumbers[text.toLowerCase()];
  return named ?? optionalInteger(text, 'OS-EXT-STS:power_state', showSource);
}

function parseFlavor(properties: Readonly<Record<string, string>>): ServerFlavor {
  const embeddedName = optionalText(properties['flavor:original_name']);
  if (embeddedName !== null) {
    const flavor: ServerFlavor = { name: embeddedName };
    const ramMiB = optionalInteger(properties['flavor:ram'], 'flavor:ram', showSource);
    const vcpus = optionalInteger(properties['flavor:vcpus'], 'flavor:vcpus', showSource);
    const diskGiB = optionalInteger(properties['flavor:disk'], 'flavor:disk', showSource);
    if (ramMiB !== null) flavor.ramMiB = ramMiB;
    if (vcpus !== null) flavor.vcpus = vcpus;
    if (diskGiB !== null) flavor.diskGiB = diskGiB;
    return flavor;
  }
  const printed = optionalText(properties.flavor);
  if (printed === null) throw parseFailed(showSource, 'a "flavor" row', 'missing');
  const match = /^(.*) \(([^()]+)\)$/.exec(printed);
  return match ? { name: match[1]!, id: match[2]! } : { name: printed };
}

function parseVolumeIds(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...value.matchAll(/"id":\s*"([^"]+)"/g)].map((match) => match[1]!);
}
