import type { DirEntry, WorldHost } from '../../model.js';
import { type CommandHandler, ok } from '../command.js';
import { isUnderInstances, normalizePath } from '../paths.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 86_400_000;

/** ls's time column: `Jan  1 00:00` for recent files, `Jan  1  2025` for older ones. */
function formatLsTime(mtimeMs: number, nowMs: number): string {
  const date = new Date(mtimeMs);
  const head = `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')}`;
  if (nowMs - mtimeMs > SIX_MONTHS_MS || mtimeMs > nowMs) return `${head}  ${date.getUTCFullYear()}`;
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return `${head} ${time}`;
}

function children(host: WorldHost, path: string): string[] {
  return (
    [...host.dirs.keys()]
      .filter((dir) => dir.startsWith(`${path}/`) && !dir.slice(path.length + 1).includes('/'))
      .map((dir) => dir.slice(path.length + 1))
      // Byte order, as ls sorts under LC_ALL=C.
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  );
}

function longLine(host: WorldHost, path: string, entry: DirEntry, shownName: string, nowMs: number): string {
  const links = 2 + children(host, path).length;
  return `drwxr-xr-x ${links} ${entry.owner} ${entry.group} 4096 ${formatLsTime(entry.mtimeMs, nowMs)} ${shownName}`;
}

/** `ls [-l] [-d] PATH` for dirs under the instances dir. */
export const lsCommand: CommandHandler = ({ host, args, nowMs }) => {
  const flags = args.filter((arg) => arg.startsWith('-')).join('');
  const long = flags.includes('l');
  const dirOnly = flags.includes('d');
  const paths = args.filter((arg) => !arg.startsWith('-'));
  const out: string[] = [];
  const errors: string[] = [];
  for (const rawPath of paths.length > 0 ? paths : ['.']) {
    const path = normalizePath(rawPath);
    if (path === null || !isUnderInstances(path)) {
      errors.push(`ls: cannot access '${rawPath}': Permission denied\n`);
      continue;
    }
    const entry = host.dirs.get(path);
    if (!entry) {
      errors.push(`ls: cannot access '${rawPath}': No such file or directory\n`);
      continue;
    }
    if (dirOnly) {
      out.push(long ? longLine(host, path, entry, rawPath, nowMs) : rawPath);
      continue;
    }
    const names = children(host, path);
    if (long) {
      out.push(`total ${names.length * 4}`);
      for (const name of names)
        out.push(longLine(host, `${path}/${name}`, host.dirs.get(`${path}/${name}`)!, name, nowMs));
    } else {
      out.push(...names);
    }
  }
  const stdout = out.length > 0 ? `${out.join('\n')}\n` : '';
  return errors.length > 0 ? { stdout, stderr: errors.join(''), code: 2 } : ok(stdout);
};
