/**
 * The part of the file system the lab simulates: directories under /var/lib/nova/instances.
 * Everything else is refused like a locked-down host would.
 */
export const INSTANCES_ROOT = '/var/lib/nova/instances';

/** Normalises `a//b/./c/` to `a/b/c`; null for relative paths or `..` (never allowed). */
export function normalizePath(path: string): string | null {
  if (!path.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** True for INSTANCES_ROOT itself or any path below it. */
export function isUnderInstances(path: string): boolean {
  return path === INSTANCES_ROOT || path.startsWith(`${INSTANCES_ROOT}/`);
}

/** The parent directory of an absolute normalised path. */
export function parentDir(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}
