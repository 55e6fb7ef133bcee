import { type CommandHandler, fail, ok } from '../command.js';

const NOVA_LOG = '/var/log/nova/nova-compute.log';

/** `tail [-n N | -nN | -N] /var/log/nova/nova-compute.log` on a hypervisor. */
export const tailCommand: CommandHandler = ({ host, args, request }) => {
  let count = 10;
  const files: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value =
      arg === '-n'
        ? args[++index]
        : arg.startsWith('-n')
          ? arg.slice(2)
          : /^-\d+$/.test(arg)
            ? arg.slice(1)
            : undefined;
    if (value !== undefined || arg === '-n') {
      if (value === undefined || !/^\d+$/.test(value))
        return fail(`tail: invalid number of lines: '${value ?? ''}'\n`);
      count = Number(value);
    } else {
      files.push(arg);
    }
  }
  const [file] = files;
  if (file === undefined || files.length > 1)
    return fail('tail: reading from standard input is not supported here\n');
  if (file !== NOVA_LOG || host.role !== 'hypervisor') {
    return fail(`tail: cannot open '${file}' for reading: No such file or directory\n`);
  }
  if (!request.sudo) return fail(`tail: cannot open '${file}' for reading: Permission denied\n`);
  const lines = count === 0 ? [] : host.log.slice(-count);
  return ok(lines.length > 0 ? `${lines.join('\n')}\n` : '');
};
