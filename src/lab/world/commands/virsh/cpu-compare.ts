import {
  compareCpu,
  expandGuestCpu,
  expandHostCpu,
  type GuestCpu,
  parseGuestCpu,
  parseHostCpu,
} from '../../../../cpu/index.js';
import { LivemigError } from '../../../../errors.js';
import { labCpu } from '../../host-cpu.js';
import { type CommandHandler, fail, ok } from '../command.js';
import { readInputFile } from './input-file.js';

/** A host `<cpu>` (with `<arch>`) is compared as a guest that needs all of its features. */
function cpuToCompare(xml: string): GuestCpu {
  if (!xml.includes('<domain') && xml.includes('<arch>')) {
    const host = parseHostCpu(xml, 'FILE');
    return {
      mode: 'custom',
      match: 'exact',
      model: host.model,
      ...(host.vendor ? { vendor: host.vendor } : {}),
      features: host.features.map((name) => ({ name, policy: 'require' as const })),
      live: false,
    };
  }
  return parseGuestCpu(xml, 'FILE');
}

/** `virsh cpu-compare FILE`: virsh's three verdicts; incompatible exits 1. */
export const cpuCompare: CommandHandler = (context) => {
  const xml = readInputFile(context, 'cpu-compare');
  if (typeof xml !== 'string') return xml;
  const file = context.args.find((arg) => !arg.startsWith('--'))!;
  const host = labCpu(context.host.cpuName).hostCpu;
  try {
    const guest = cpuToCompare(xml);
    const verdict = compareCpu(guest, host);
    if (!verdict.compatible)
      return { stdout: `CPU described in ${file} is incompatible with host CPU\n\n`, stderr: '', code: 1 };
    const guestFeatures = expandGuestCpu(guest)?.features.join(' ');
    const identical = guestFeatures !== undefined && guestFeatures === expandHostCpu(host).join(' ');
    return ok(
      identical
        ? `CPU described in ${file} is identical to host CPU\n\n`
        : `Host CPU is a superset of CPU described in ${file}\n\n`,
    );
  } catch (error) {
    if (error instanceof LivemigError) return fail(`error: ${error.message}\n`);
    throw error;
  }
};
