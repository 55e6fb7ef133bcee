import { domainsOn } from '../../domains.js';
import { type CommandHandler, ok } from '../command.js';

/** `virsh list [--all]` in the table layout of libvirt 1.x. */
export const list: CommandHandler = ({ state, host, args }) => {
  const all = args.includes('--all');
  const rows = domainsOn(state, host.name)
    .filter((domain) => all || domain.state !== 'shut off')
    .sort(
      (a, b) =>
        (a.id ?? Number.MAX_SAFE_INTEGER) - (b.id ?? Number.MAX_SAFE_INTEGER) ||
        a.vm.instanceName.localeCompare(b.vm.instanceName),
    );
  const line = (id: string, name: string, domainState: string): string =>
    ` ${id.padEnd(5)} ${name.padEnd(30)} ${domainState}\n`;
  const body = rows
    .map((row) => line(row.id === null ? '-' : String(row.id), row.vm.instanceName, row.state))
    .join('');
  return ok(`${line('Id', 'Name', 'State')}${'-'.repeat(52)}\n${body}\n`);
};
