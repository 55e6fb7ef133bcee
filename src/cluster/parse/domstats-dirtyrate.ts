/**
 * `virsh domstats --dirtyrate <domain>` (libvirt 7.2+), after `virsh domdirtyrate-calc`:
 *
 *   Domain: 'instance-0000002a'
 *     dirtyrate.calc_status=2
 *     dirtyrate.calc_start_time=1534523
 *     dirtyrate.calc_period=1
 *     dirtyrate.megabytes_per_second=5
 *
 * calc_status is virDomainDirtyRateStatus (0 unstarted, 1 measuring, 2 measured); the rate is in
 * MiB/s and only present once measured. Newer libvirt adds calc_mode and per-vCPU lines.
 */
import { excerpt, parseFailed } from './parse-error.js';

/** The state of the domain's last dirty rate calculation. */
export interface DomainDirtyRate {
  status: 'unstarted' | 'measuring' | 'measured';
  /** MiB/s; null until measured. */
  mibPerSec: number | null;
  /** Length of the measurement window in seconds (calc_period), when reported. */
  periodSec: number | null;
  /** page-sampling, dirty-bitmap or dirty-ring (libvirt 8.1+), when reported. */
  mode: string | null;
}

const source = 'virsh domstats --dirtyrate';
const statuses = ['unstarted', 'measuring', 'measured'] as const;

/** Parses the dirtyrate.* lines; a missing calc_status or a malformed number is a parse failure. */
export function parseDomStatsDirtyRate(text: string): DomainDirtyRate {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*dirtyrate\.([a-z_]+)=(.*)$/.exec(line);
    if (match) values.set(match[1]!, match[2]!.trim());
  }
  const status = values.get('calc_status');
  if (status === undefined) throw parseFailed(source, 'a dirtyrate.calc_status line', `got ${excerpt(text)}`);
  // virsh prints the enum as a number; the first proposal printed its name.
  const statusName = /^\d+$/.test(status)
    ? statuses[Number(status)]
    : statuses.find((name) => name === status);
  if (statusName === undefined) throw parseFailed(source, 'calc_status 0, 1 or 2', `got "${status}"`);
  const mibPerSec = integer(values.get('megabytes_per_second'), 'megabytes_per_second');
  return {
    status: statusName,
    mibPerSec: statusName === 'measured' ? mibPerSec : null,
    periodSec: integer(values.get('calc_period'), 'calc_period'),
    mode: values.get('calc_mode') ?? null,
  };
}

function integer(value: string | undefined, key: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw parseFailed(source, `an integer for dirtyrate.${key}`, `got "${value}"`);
  return Number(value);
}
