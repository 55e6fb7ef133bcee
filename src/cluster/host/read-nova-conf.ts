import { parseNovaConf } from '../parse/nova-conf.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, NovaConf } from '../types.js';

/** Where nova's packages install the configuration. */
export const novaConfPath = '/etc/nova/nova.conf';

/** `cat /etc/nova/nova.conf` on a host, parsed. */
export const readNovaConf: ClusterOperation<Record<string, never>, NovaConf> = async (executor, host) =>
  parseNovaConf(await runChecked(executor, host, { program: 'cat', args: [novaConfPath] }));
