/** `virsh list --all` and `virsh domstate <domain>`. */
import type { DomainListEntry, DomainState } from '../types.js';
import { excerpt, parseFailed } from './parse-error.js';

const domainStates: readonly DomainState[] = [
  'running',
  'idle',
  'paused',
  'in shutdown',
  'shut off',
  'crashed',
  'pmsuspended',
];

/**
 * Parses the `virsh list` table: a ` Id  Name  State` header, a dashed rule, then one domain per
 * line (`-` as the id of an inactive domain). Column widths vary across libvirt versions, so rows
 * are split on whitespace: names of nova's domains never contain spaces, states may (`shut off`).
 */
export function parseVirshList(text: string): DomainListEntry[] {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((line) => /^\s*Id\s+Name\s+State\s*$/.test(line));
  if (header === -1 || !/^-+$/.test(lines[header + 1]?.trim() ?? '')) {
    throw parseFailed(
      'virsh list',
      'the " Id Name State" header and its dashed rule',
      `got ${excerpt(text)}`,
    );
  }
  return lines
    .slice(header + 2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^\s*(\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(line);
      if (!match) throw parseFailed('virsh list', '"Id Name State" rows', `got ${excerpt(line)}`);
      return { id: match[1] === '-' ? null : Number(match[1]), name: match[2]!, state: match[3]! };
    });
}

/** Parses `virsh domstate`: the first line, e.g. `running` or `shut off` (`--reason` suffix ignored). */
export function parseDomState(text: string): DomainState {
  const firstLine = text.trim().split(/\r?\n/)[0] ?? '';
  const state = firstLine.replace(/\s*\(.*\)$/, '');
  const known = domainStates.find((candidate) => candidate === state);
  if (known === undefined) {
    throw parseFailed('virsh domstate', domainStates.join(', '), `got ${excerpt(firstLine)}`);
  }
  return known;
}
