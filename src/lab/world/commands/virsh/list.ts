import { type CommandHandler, ok } from '../command.js';
import { domainState } from './domain-arg.js';

/** `virsh list [--all]` in the table layout of libvirt 1.x. */
export const list: CommandHandler = ({ state, host, args }) => {
  const all = args.includes('--all');
  const rows = state.vms
    .filter((vm) => vm.host === host.name)
    .map((vm) => ({ vm, state: domainState(vm) }))
    .filter((row) => all || row.state !== 'shut off')
    .sort(
      (a, b) =>
        (a.vm.domainId ?? Number.MAX_SAFE_INTEGER) - (b.vm.domainId ?? Number.MAX_SAFE_INTEGER) ||
        a.vm.instanceName.localeCompare(b.vm.instanceName),
    );
  const line = (id: string, name: string, domainState: string): string =>
    ` ${id.padEnd(5)} ${name.padEnd(30)} ${domainState}\n`;
  const body = rows
    .map((row) =>
      line(row.state === 'shut off' ? '-' : String(row.vm.domainId), row.vm.instanceName, row.state),
    )
    .join('');
  return ok(`${line('Id', 'Name', 'State')}${'-'.repeat(52)}\n${body}\n`);
};
