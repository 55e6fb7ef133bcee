import { type CommandHandler, fail, ok } from '../command.js';
import { isUnderInstances, normalizePath } from '../paths.js';

const KNOWN_USERS = new Set(['root', 'nova', 'libvirt-qemu', 'qemu']);
const KNOWN_GROUPS = new Set(['root', 'nova', 'kvm', 'libvirt', 'libvirt-qemu', 'qemu']);

/** `chown [-R] USER[:GROUP] PATH...` for dirs under the instances dir. */
export const chownCommand: CommandHandler = ({ host, args, request }) => {
  const recursive = args.includes('-R');
  const [spec, ...rawPaths] = args.filter((arg) => arg !== '-R');
  if (spec === undefined || rawPaths.length === 0) {
    return fail(
      `chown: missing operand${spec === undefined ? '' : ` after '${spec}'`}\nTry 'chown --help' for more information.\n`,
    );
  }
  const [owner = '', group] = spec.split(':');
  if (!KNOWN_USERS.has(owner)) return fail(`chown: invalid user: '${spec}'\n`);
  if (group !== undefined && group !== '' && !KNOWN_GROUPS.has(group))
    return fail(`chown: invalid group: '${spec}'\n`);
  const errors: string[] = [];
  for (const rawPath of rawPaths) {
    const path = normalizePath(rawPath);
    if (path === null || !isUnderInstances(path)) {
      errors.push(`chown: changing ownership of '${rawPath}': Operation not permitted\n`);
      continue;
    }
    const entry = host.dirs.get(path);
    if (!entry) {
      errors.push(`chown: cannot access '${rawPath}': No such file or directory\n`);
      continue;
    }
    if (!request.sudo) {
      errors.push(`chown: changing ownership of '${rawPath}': Operation not permitted\n`);
      continue;
    }
    const targets = recursive
      ? [...host.dirs.keys()].filter((dir) => dir === path || dir.startsWith(`${path}/`))
      : [path];
    for (const target of targets) {
      const dir = host.dirs.get(target)!;
      dir.owner = owner;
      if (group) dir.group = group;
    }
  }
  return errors.length > 0 ? fail(errors.join('')) : ok('');
};
