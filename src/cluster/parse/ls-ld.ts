/** `ls -ld <dir>`: `drwxr-xr-x 2 nova nova 4096 Jan  1 00:00 /var/lib/nova/instances/<uuid>`. */
import type { InstanceDirStat } from '../types.js';
import { excerpt, parseFailed } from './parse-error.js';

/** Parses one `ls -ld` line of an existing directory. */
export function parseLsLd(text: string): InstanceDirStat {
  const line = text.trim().split(/\r?\n/)[0] ?? '';
  const match = /^([dlbcps-][rwxsStT-]{9}[.+@]?)\s+\d+\s+(\S+)\s+(\S+)\s+/.exec(line);
  if (!match) throw parseFailed('ls -ld', '"mode links owner group size date path"', `got ${excerpt(line)}`);
  return { exists: true, mode: match[1]!, owner: match[2]!, group: match[3]! };
}

const longLine = /^([dlbcps-][rwxsStT-]{9}[.+@]?)\s+\d+\s+(\S+)\s+(\S+)\s+\d+\s+\S+\s+\d+\s+\S+\s+(.+)$/;

/** Parses `ls -ld PATH...` of several paths: each existing path with its stat, by the path printed. */
export function parseLsLdLines(text: string): Map<string, InstanceDirStat> {
  const stats = new Map<string, InstanceDirStat>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const match = longLine.exec(line);
    if (!match)
      throw parseFailed('ls -ld', '"mode links owner group size date path"', `got ${excerpt(line)}`);
    stats.set(match[4]!, { exists: true, mode: match[1]!, owner: match[2]!, group: match[3]! });
  }
  return stats;
}
