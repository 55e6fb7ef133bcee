import { z } from 'zod';
import { LivemigError } from '../errors.js';

const migrationPoint = z.enum(['preparing', 'copying', 'switchover']);

/** One fault to inject into a running lab; also the control socket's wire format (JSON). */
export const labFaultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('down'), host: z.string() }),
  z.strictObject({ kind: z.literal('hang'), host: z.string() }),
  z.strictObject({ kind: z.literal('slow'), host: z.string(), delayMs: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('lossy'), host: z.string(), probability: z.number().min(0).max(1) }),
  z.strictObject({ kind: z.literal('auth-fail'), host: z.string() }),
  z.strictObject({ kind: z.literal('rekey'), host: z.string() }),
  z.strictObject({ kind: z.literal('nova-compute-down'), host: z.string() }),
  z.strictObject({
    kind: z.literal('fail-migration'),
    vm: z.string().min(1),
    point: migrationPoint,
    message: z.string().optional(),
  }),
  /** Without a host: every transport fault of every host and every world fault. */
  z.strictObject({ kind: z.literal('clear'), host: z.string().optional() }),
]);

export type LabFault = z.infer<typeof labFaultSchema>;
export type MigrationFailurePoint = z.infer<typeof migrationPoint>;

/** Fault injection on a running lab (transport faults per host, world faults in the simulation). */
export interface LabFaults {
  /** Applies one fault; throws LivemigError('unknown_host') for a host the lab does not have. */
  apply(fault: LabFault): Promise<void>;
}

/** `livemig lab fault` words: the actions, and the arguments each one takes. */
export const faultUsage =
  'HOST down | HOST hang | HOST slow MS | HOST lossy P | HOST auth-fail | HOST rekey | ' +
  'HOST nova-compute-down | any fail-migration VM preparing|copying|switchover [MESSAGE] | HOST|all clear';

/**
 * Parses `livemig lab fault HOST ACTION [ARGS…]` into a LabFault. For fail-migration the HOST
 * word is not used (the failure follows the VM wherever it migrates); `all clear` clears
 * everything.
 */
export function parseFaultWords(host: string, action: string, args: readonly string[]): LabFault {
  const arity: Record<string, number> = { slow: 1, lossy: 1, 'fail-migration': 2, clear: 0 };
  const wanted = arity[action] ?? 0;
  const allowedExtra = action === 'fail-migration' ? 1 : 0;
  if (args.length < wanted || args.length > wanted + allowedExtra)
    usage(`wrong number of arguments for ${action}`);
  const candidate =
    action === 'slow'
      ? { kind: action, host, delayMs: Number(args[0]) }
      : action === 'lossy'
        ? { kind: action, host, probability: Number(args[0]) }
        : action === 'fail-migration'
          ? {
              kind: action,
              vm: args[0],
              point: args[1],
              ...(args[2] === undefined ? {} : { message: args[2] }),
            }
          : action === 'clear'
            ? { kind: action, ...(host === 'all' ? {} : { host }) }
            : { kind: action, host };
  const parsed = labFaultSchema.safeParse(candidate);
  if (!parsed.success)
    usage(`cannot read "${[host, action, ...args].join(' ')}": ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function usage(problem: string): never {
  throw new LivemigError('usage', `livemig lab fault: ${problem}`, {
    hint: `Usage: livemig lab fault --out DIR ${faultUsage}`,
  });
}
