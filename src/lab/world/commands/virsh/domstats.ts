import { libvirtHas } from '../../libvirt-version.js';
import { type CommandHandler, fail, ok } from '../command.js';
import { isReply, resolveDomain } from './domain-arg.js';

/** Seconds the host has been up when the lab starts (calc_start_time counts from boot). */
const HOST_UPTIME_SEC = 8_640_000;

/** `virsh domstats --dirtyrate DOMAIN`: the dirtyrate.* group (libvirt 9 layout). */
export const domstats: CommandHandler = (context) => {
  // The dirtyrate group came with libvirt 7.2; older virsh refuses the option outright.
  if (!libvirtHas(context.state, 'dirtyrate-calc')) {
    return fail("error: command 'domstats' doesn't support option --dirtyrate\n");
  }
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const { vm } = domain;
  const calc = vm.dirtyRateCalc;
  const lines = [`Domain: '${vm.instanceName}'`];
  if (!calc) {
    lines.push('  dirtyrate.calc_status=0', '  dirtyrate.calc_start_time=0', '  dirtyrate.calc_period=0');
  } else {
    const measured = context.nowMs >= calc.startMs + calc.periodSec * 1000;
    // The guest must keep running for the whole window for the number to mean anything.
    const rate = domain.state === 'running' ? calc.mibPerSec : 0;
    const startSec = HOST_UPTIME_SEC + Math.floor((calc.startMs - context.state.startMs) / 1000);
    lines.push(
      `  dirtyrate.calc_status=${measured ? 2 : 1}`,
      `  dirtyrate.calc_start_time=${startSec}`,
      `  dirtyrate.calc_period=${calc.periodSec}`,
    );
    if (measured) lines.push(`  dirtyrate.megabytes_per_second=${rate}`);
  }
  lines.push('  dirtyrate.calc_mode=page-sampling');
  return ok(`${lines.join('\n')}\n\n`);
};
