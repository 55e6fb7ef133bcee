/** `nova hypervisor-show <host>` and `nova hypervisor-list`. */
import type { Hypervisor, HypervisorCpuInfo, HypervisorServer, HypervisorSummary } from '../types.js';
import { uuidPattern } from '../validate.js';
import { optionalInteger, optionalText, optionalWord, requiredText } from './nova-values.js';
import { excerpt, parseFailed } from './parse-error.js';
import { parseColumnTable, parsePropertyTable } from './prettytable.js';

const showSource = 'nova hypervisor-show';
const listSource = 'nova hypervisor-list';
const serversSource = 'nova hypervisor-servers';

/** Parses hypervisor-show; fields dropped by newer microversions (2.88) come back as null. */
export function parseHypervisorShow(text: string): Hypervisor {
  const row = parsePropertyTable(text, showSource);
  const integer = (key: string) => optionalInteger(row[key], key, showSource);
  return {
    id: requiredText(row, 'id', showSource),
    hypervisorHostname: requiredText(row, 'hypervisor_hostname', showSource),
    serviceHost: optionalText(row.service_host),
    cpuInfo: parseCpuInfo(row.cpu_info),
    memoryMiB: integer('memory_mb'),
    memoryUsedMiB: integer('memory_mb_used'),
    freeRamMiB: integer('free_ram_mb'),
    vcpus: integer('vcpus'),
    vcpusUsed: integer('vcpus_used'),
    runningVms: integer('running_vms'),
    state: optionalWord(row.state, ['up', 'down'] as const, 'state', showSource),
    status: optionalWord(row.status, ['enabled', 'disabled'] as const, 'status', showSource),
    hostIp: optionalText(row.host_ip),
  };
}

/** Parses hypervisor-list (`ID | Hypervisor hostname [| State | Status]`). */
export function parseHypervisorList(text: string): HypervisorSummary[] {
  const table = parseColumnTable(text, listSource);
  if (!table.columns.includes('Hypervisor hostname')) {
    throw parseFailed(listSource, 'a "Hypervisor hostname" column', 'missing');
  }
  return table.rows.map((row) => ({
    id: requiredText(row, 'ID', listSource),
    hypervisorHostname: requiredText(row, 'Hypervisor hostname', listSource),
    state: optionalWord(row.State, ['up', 'down'] as const, 'State', listSource),
    status: optionalWord(row.Status, ['enabled', 'disabled'] as const, 'Status', listSource),
  }));
}

/**
 * Parses hypervisor-servers (`ID | Name | Hypervisor ID | Hypervisor Hostname`). Name is the
 * libvirt instance name; the rows cover every hypervisor whose hostname contained the pattern.
 */
export function parseHypervisorServers(text: string): HypervisorServer[] {
  const table = parseColumnTable(text, serversSource);
  for (const column of ['ID', 'Name', 'Hypervisor Hostname']) {
    if (!table.columns.includes(column)) throw parseFailed(serversSource, `a "${column}" column`, 'missing');
  }
  return table.rows.map((row) => {
    const uuid = requiredText(row, 'ID', serversSource);
    if (!uuidPattern.test(uuid)) throw parseFailed(serversSource, 'a UUID in the ID column', `got "${uuid}"`);
    return {
      uuid,
      instanceName: requiredText(row, 'Name', serversSource),
      hypervisorId: optionalText(row['Hypervisor ID']),
      hypervisorHostname: requiredText(row, 'Hypervisor Hostname', serversSource),
    };
  });
}

/** cpu_info is libvirt's host CPU as JSON (vendor, model, arch, features, topology). */
function parseCpuInfo(value: string | undefined): HypervisorCpuInfo | null {
  // A long JSON value may have been wrapped onto continuation rows: rejoin without the breaks.
  const text = optionalText(value?.replaceAll('\n', ''));
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw parseFailed(showSource, 'cpu_info to be JSON', `got ${excerpt(text)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw parseFailed(showSource, 'cpu_info to be a JSON object', `got ${excerpt(text)}`);
  }
  const info = parsed as Record<string, unknown>;
  const stringField = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : null);
  const features = Array.isArray(info.features) ? info.features.filter((f) => typeof f === 'string') : [];
  const topology: HypervisorCpuInfo['topology'] = {};
  if (typeof info.topology === 'object' && info.topology !== null) {
    for (const key of ['sockets', 'cores', 'threads', 'cells'] as const) {
      const count = (info.topology as Record<string, unknown>)[key];
      if (typeof count === 'number') topology[key] = count;
    }
  }
  return {
    vendor: stringField('vendor'),
    model: stringField('model'),
    arch: stringField('arch'),
    features,
    topology,
  };
}
