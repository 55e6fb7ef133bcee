/**
 * `virsh SUBCOMMAND ...` on a hypervisor: one file per subcommand, listed here.
 */
import { type CommandHandler, fail } from '../command.js';
import { capabilities } from './capabilities.js';
import { cpuBaseline } from './cpu-baseline.js';
import { cpuCompare } from './cpu-compare.js';
import { domdirtyrateCalc } from './domdirtyrate-calc.js';
import { domjobabort } from './domjobabort.js';
import { domjobinfo } from './domjobinfo.js';
import { domstate } from './domstate.js';
import { domstats } from './domstats.js';
import { dumpxml } from './dumpxml.js';
import { list } from './list.js';

const virshSubcommands: Record<string, CommandHandler> = {
  capabilities,
  'cpu-baseline': cpuBaseline,
  'cpu-compare': cpuCompare,
  'domdirtyrate-calc': domdirtyrateCalc,
  domjobabort,
  domjobinfo,
  domstate,
  domstats,
  dumpxml,
  list,
};

/** virsh itself: connection flags are accepted and ignored, root is needed for qemu:///system. */
export const virshCommand: CommandHandler = (context) => {
  const args = [...context.args];
  while (args[0] === '-c' || args[0] === '--connect' || args[0] === '-q' || args[0] === '--quiet') {
    args.splice(0, args[0] === '-c' || args[0] === '--connect' ? 2 : 1);
  }
  const [subcommand, ...rest] = args;
  if (subcommand === undefined) return fail('error: virsh interactive shell is not available in the lab\n');
  const handler = virshSubcommands[subcommand];
  if (!handler) return fail(`error: unknown command: '${subcommand}'\n`);
  if (!context.request.sudo) {
    return fail(
      "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied\n",
    );
  }
  return handler({ ...context, args: rest });
};
