import { RemoteCommandFailed, runRaw } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { type InstanceDirArgs, instanceDirPath } from './instance-dir-path.js';

/** `test -d <instances>/<uuid>`: exit 0 yes, 1 no, anything else is a failure. */
export const instanceDirExists: ClusterOperation<InstanceDirArgs, boolean> = async (executor, host, args) => {
  const command = { program: 'test', args: ['-d', instanceDirPath(args)] };
  const result = await runRaw(executor, host, command);
  if (result.code === 0) return true;
  if (result.code === 1) return false;
  throw new RemoteCommandFailed(host, command, result);
};
