import { libvirtHas } from '../../libvirt-version.js';
import { deriveRng } from '../../rng.js';
import { type CommandHandler, fail, ok } from '../command.js';
import { isReply, resolveDomain } from './domain-arg.js';

/**
 * `virsh domdirtyrate-calc DOMAIN [--seconds N]` (libvirt 7.2+): starts a measurement of the
 * guest's dirty rate; `virsh domstats --dirtyrate` shows the result once N seconds have passed.
 */
export const domdirtyrateCalc: CommandHandler = (context) => {
  if (!libvirtHas(context.state, 'dirtyrate-calc'))
    return fail("error: unknown command: 'domdirtyrate-calc'\n");
  const domain = resolveDomain(context);
  if (isReply(domain)) return domain;
  const { vm } = domain;
  const secondsIndex = context.args.indexOf('--seconds');
  const seconds = secondsIndex === -1 ? 1 : Number(context.args[secondsIndex + 1]);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60) {
    return fail(`error: seconds option must be in range [1, 60]\n`);
  }
  if (domain.state !== 'running')
    return fail('error: Requested operation is not valid: domain is not running\n');
  // A sample of a fluctuating rate: ±10 % around the guest's mean, the same for the same instant.
  const noise = deriveRng(context.state.seed, `dirtyrate-${vm.uuid}-${context.nowMs}`).next();
  const mibPerSec = Math.round(vm.dirtyRateMiBps * (0.9 + 0.2 * noise));
  vm.dirtyRateCalc = { startMs: context.nowMs, periodSec: seconds, mibPerSec };
  return ok("Start to calculate domain's memory dirty rate successfully.\n");
};
