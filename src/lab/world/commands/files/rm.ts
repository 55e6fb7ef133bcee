import { type CommandHandler, fail, ok } from '../command.js';
import { INSTANCES_ROOT, isUnderInstances, normalizePath } from '../paths.js';

/** `rm -rf PATH...` for dirs under the instances dir (never the instances dir itself). */
export const rmCommand: CommandHandler = ({ host, args, request }) => {
  const flags = args.filter((arg) => arg.startsWith('-'));
  const paths = args.filter((arg) => !arg.startsWith('-'));
  const recursive = flags.some((flag) => /^-[a-zA-Z]*[rR]/.test(flag));
  const force = flags.some((flag) => /^-[a-zA-Z]*f/.test(flag));
  if (paths.length === 0) {
    return force ? ok('') : fail("rm: missing operand\nTry 'rm --help' for more information.\n");
  }
  const errors: string[] = [];
  for (const rawPath of paths) {
    const path = normalizePath(rawPath);
    if (path === null || !isUnderInstances(path)) {
      errors.push(`rm: cannot remove '${rawPath}': Permission denied\n`);
      continue;
    }
    if (path === INSTANCES_ROOT) {
      // A mount point on most compute nodes.
      errors.push(`rm: cannot remove '${rawPath}': Device or resource busy\n`);
      continue;
    }
    if (!host.dirs.has(path)) {
      if (!force) errors.push(`rm: cannot remove '${rawPath}': No such file or directory\n`);
      continue;
    }
    if (!recursive) {
      errors.push(`rm: cannot remove '${rawPath}': Is a directory\n`);
      continue;
    }
    if (!request.sudo) {
      errors.push(`rm: cannot remove '${rawPath}': Permission denied\n`);
      continue;
    }
    for (const dir of [...host.dirs.keys()]) {
      if (dir === path || dir.startsWith(`${path}/`)) host.dirs.delete(dir);
    }
  }
  return errors.length > 0 ? fail(errors.join('')) : ok('');
};
