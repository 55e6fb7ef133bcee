import { type CommandHandler, fail, ok } from '../command.js';
import { isUnderInstances, normalizePath } from '../paths.js';

/** System directories every host has (answers `test -d` outside the simulated tree). */
const SYSTEM_DIRS = new Set([
  '/',
  '/etc',
  '/etc/nova',
  '/var',
  '/var/lib',
  '/var/lib/nova',
  '/var/log',
  '/var/log/nova',
  '/tmp',
  '/proc',
]);

/** `test -d PATH` / `test -e PATH`: silent, exit 0 when it is there, 1 when not. */
export const testCommand: CommandHandler = ({ host, args }) => {
  const [flag, rawPath, ...rest] = args;
  if ((flag !== '-d' && flag !== '-e') || rawPath === undefined || rest.length > 0) {
    return fail('bash: test: too many arguments\n', 2);
  }
  const path = normalizePath(rawPath);
  if (path === null) return fail('', 1);
  const exists = isUnderInstances(path) ? host.dirs.has(path) : SYSTEM_DIRS.has(path);
  return exists ? ok('') : fail('', 1);
};
