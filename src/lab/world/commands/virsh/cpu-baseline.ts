import { baselineCpus, formatBaselineXml, parseHostCpus } from '../../../../cpu/index.js';
import { LivemigError } from '../../../../errors.js';
import { type CommandHandler, fail, ok } from '../command.js';
import { readInputFile } from './input-file.js';

/** `virsh cpu-baseline FILE [--features] [--migratable]`, computed by src/cpu like libvirt does. */
export const cpuBaseline: CommandHandler = (context) => {
  const xml = readInputFile(context, 'cpu-baseline');
  if (typeof xml !== 'string') return xml;
  const features = context.args.includes('--features');
  const migratable = context.args.includes('--migratable');
  try {
    const result = baselineCpus(parseHostCpus(xml, 'FILE'), { features, migratable });
    return ok(`${formatBaselineXml(result, { features })}\n`);
  } catch (error) {
    if (error instanceof LivemigError) return fail(`error: ${error.message}\n`);
    throw error;
  }
};
