import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { type InstanceDirArgs, instanceDirPath } from './instance-dir-path.js';

/**
 * `mkdir -p` + `chown nova:nova` of the destination's instance directory: what patched Icehouse
 * needs before `nova live-migration` (and what Juno+ refuses with DestinationDiskExists).
 */
export const createInstanceDir: ClusterOperation<InstanceDirArgs, void> = async (executor, host, args) => {
  const path = instanceDirPath(args);
  await runChecked(executor, host, { program: 'mkdir', args: ['-p', path] });
  await runChecked(executor, host, { program: 'chown', args: ['nova:nova', path] });
};
