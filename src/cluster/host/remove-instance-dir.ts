import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { type InstanceDirArgs, instanceDirPath } from './instance-dir-path.js';

/**
 * `rm -rf <instances>/<uuid>`: the source's leftover directory after a patched-Icehouse migration,
 * or a stale destination directory that would make Juno+ fail with DestinationDiskExists.
 */
export const removeInstanceDir: ClusterOperation<InstanceDirArgs, void> = async (executor, host, args) => {
  await runChecked(executor, host, { program: 'rm', args: ['-rf', instanceDirPath(args)] });
};
