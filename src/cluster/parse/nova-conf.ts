/**
 * nova.conf as oslo.config reads it: `[section]` headers, `key = value` (or `key: value`),
 * `#`/`;` comment lines, indented continuation lines, matching quotes stripped. Icehouse still
 * honours the deprecated [DEFAULT] libvirt_cpu_mode / libvirt_cpu_model spellings.
 */
import type { NovaConf } from '../types.js';
import { excerpt, parseFailed } from './parse-error.js';

const source = 'cat /etc/nova/nova.conf';

/** Parses nova.conf text into the keys livemig uses plus every section's raw values. */
export function parseNovaConf(text: string): NovaConf {
  const sections = parseIni(text);
  const libvirt = sections.libvirt ?? {};
  const defaults = sections.DEFAULT ?? {};
  const compute = sections.compute ?? {};
  const cpuModelsValue = libvirt.cpu_models;
  const cpuModelValue = libvirt.cpu_model ?? defaults.libvirt_cpu_model;
  const cpuModelKey =
    cpuModelsValue !== undefined ? 'cpu_models' : cpuModelValue !== undefined ? 'cpu_model' : null;
  const flags = libvirt.live_migration_flag ?? defaults.live_migration_flag;
  return {
    cpuMode: nonEmpty(libvirt.cpu_mode ?? defaults.libvirt_cpu_mode)?.toLowerCase() ?? null,
    cpuModels: splitList(cpuModelsValue ?? cpuModelValue),
    cpuModelKey,
    liveMigrationFlags: flags === undefined ? null : splitList(flags),
    liveMigrationBandwidthMiBps: integer(libvirt, 'live_migration_bandwidth'),
    liveMigrationDowntimeMs: integer(libvirt, 'live_migration_downtime'),
    liveMigrationCompletionTimeoutSec: integer(libvirt, 'live_migration_completion_timeout'),
    liveMigrationPermitPostCopy: boolean(libvirt, 'live_migration_permit_post_copy'),
    liveMigrationPermitAutoConverge: boolean(libvirt, 'live_migration_permit_auto_converge'),
    maxConcurrentLiveMigrations:
      integer(compute, 'max_concurrent_live_migrations') ??
      integer(defaults, 'max_concurrent_live_migrations'),
    instancesPath: nonEmpty(defaults.instances_path),
    sections,
  };
}

/** Section names keep their case except DEFAULT; keys are lower-cased as oslo does. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  let lastKey: string | null = null;
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*([#;].*)?$/.test(line)) return;
    if (/^\s/.test(line) && current !== null && lastKey !== null) {
      current[lastKey] = `${current[lastKey]}\n${line.trim()}`;
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      const key = name.toUpperCase() === 'DEFAULT' ? 'DEFAULT' : name;
      sections[key] ??= {};
      current = sections[key]!;
      lastKey = null;
      return;
    }
    const pair = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair || current === null) {
      throw parseFailed(source, `"[section]" or "key = value" at line ${index + 1}`, `got ${excerpt(line)}`);
    }
    lastKey = pair[1]!.toLowerCase();
    current[lastKey] = unquote(pair[2]!.trim());
  });
  return sections;
}

function unquote(value: string): string {
  const first = value[0];
  return value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)
    ? value.slice(1, -1)
    : value;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function integer(section: Readonly<Record<string, string>>, key: string): number | null {
  const value = nonEmpty(section[key]);
  if (value === null) return null;
  if (!/^-?\d+$/.test(value)) throw parseFailed(source, `an integer for ${key}`, `got "${value}"`);
  return Number(value);
}

function boolean(section: Readonly<Record<string, string>>, key: string): boolean | null {
  const value = nonEmpty(section[key])?.toLowerCase();
  if (value === undefined) return null;
  if (['true', 'yes', 'on', '1'].includes(value)) return true;
  if (['false', 'no', 'off', '0'].includes(value)) return false;
  throw parseFailed(source, `true or false for ${key}`, `got "${value}"`);
}
