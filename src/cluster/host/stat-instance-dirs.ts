import { parseLsLdLines } from '../parse/ls-ld.js';
import { RemoteCommandFailed, runRaw } from '../run-command.js';
import type { ClusterOperation, InstanceDirStat } from '../types.js';
import { instanceDirPath } from './instance-dir-path.js';

/**
 * `ls -ld <instances>/<uuid>...` for many servers in one command (a drain asks every candidate
 * destination about every VM once): the stat of each directory by uuid, exists=false where ls says
 * "No such file or directory" (it then exits 2 but still lists the others).
 */
export const statInstanceDirs: ClusterOperation<
  { instancesPath: string; uuids: readonly string[] },
  Map<string, InstanceDirStat>
> = async (executor, host, { instancesPath, uuids }) => {
  const stats = new Map<string, InstanceDirStat>();
  if (uuids.length === 0) return stats;
  const paths = uuids.map((uuid) => instanceDirPath({ instancesPath, uuid }));
  const command = { program: 'ls', args: ['-ld', ...paths] };
  const result = await runRaw(executor, host, command);
  const missing = result.stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .every((line) => /No such file or directory/.test(line));
  if (result.code !== 0 && !(result.code === 2 && missing))
    throw new RemoteCommandFailed(host, command, result);
  const listed = parseLsLdLines(result.stdout);
  uuids.forEach((uuid, index) => {
    stats.set(uuid, listed.get(paths[index]!) ?? { exists: false, owner: null, group: null, mode: null });
  });
  return stats;
};
