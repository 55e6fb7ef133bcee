import { parseLsLd } from '../parse/ls-ld.js';
import { RemoteCommandFailed, runRaw } from '../run-command.js';
import type { ClusterOperation, InstanceDirStat } from '../types.js';
import { type InstanceDirArgs, instanceDirPath } from './instance-dir-path.js';

/** `ls -ld <instances>/<uuid>`: owner, group and mode, or exists=false when there is none. */
export const statInstanceDir: ClusterOperation<InstanceDirArgs, InstanceDirStat> = async (
  executor,
  host,
  args,
) => {
  const command = { program: 'ls', args: ['-ld', instanceDirPath(args)] };
  const result = await runRaw(executor, host, command);
  if (result.code === 0) return parseLsLd(result.stdout);
  if (/No such file or directory/.test(result.stderr))
    return { exists: false, owner: null, group: null, mode: null };
  throw new RemoteCommandFailed(host, command, result);
};
