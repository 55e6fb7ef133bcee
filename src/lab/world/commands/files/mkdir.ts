import { type CommandHandler, fail, ok } from '../command.js';
import { isUnderInstances, normalizePath, parentDir } from '../paths.js';

/** `mkdir [-p] PATH...` under the instances dir; a new dir belongs to the caller (root with sudo). */
export const mkdirCommand: CommandHandler = ({ host, args, request, nowMs }) => {
  const parents = args.includes('-p');
  const paths = args.filter((arg) => arg !== '-p');
  if (paths.length === 0) return fail("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
  const errors: string[] = [];
  for (const rawPath of paths) {
    const path = normalizePath(rawPath);
    const cannot = (reason: string): void => {
      errors.push(`mkdir: cannot create directory '${rawPath}': ${reason}\n`);
    };
    if (path === null || !isUnderInstances(path) || !request.sudo) {
      if (path !== null && host.dirs.has(path) && parents) continue;
      cannot('Permission denied');
      continue;
    }
    if (host.dirs.has(path)) {
      if (!parents) cannot('File exists');
      continue;
    }
    if (!parents && !host.dirs.has(parentDir(path))) {
      cannot('No such file or directory');
      continue;
    }
    let current = path;
    const created: string[] = [];
    while (isUnderInstances(current) && !host.dirs.has(current)) {
      created.push(current);
      current = parentDir(current);
    }
    for (const dir of created) host.dirs.set(dir, { owner: 'root', group: 'root', mtimeMs: nowMs });
  }
  return errors.length > 0 ? fail(errors.join('')) : ok('');
};
