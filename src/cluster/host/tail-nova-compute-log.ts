import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { checkLineCount } from '../validate.js';

/** Where nova-compute logs on the distributions' packages. */
export const novaComputeLogPath = '/var/log/nova/nova-compute.log';

/** `tail -n N /var/log/nova/nova-compute.log`: the last lines, oldest first. */
export const tailNovaComputeLog: ClusterOperation<{ lines: number }, string[]> = async (
  executor,
  host,
  { lines },
) => {
  const stdout = await runChecked(executor, host, {
    program: 'tail',
    args: ['-n', String(checkLineCount(lines)), novaComputeLogPath],
  });
  const logLines = stdout.split(/\r?\n/);
  if (logLines.at(-1) === '') logLines.pop();
  return logLines;
};
