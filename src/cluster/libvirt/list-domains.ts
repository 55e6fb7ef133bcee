import { parseVirshList } from '../parse/virsh-list.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, DomainListEntry } from '../types.js';
import { virshCommand } from './virsh-command.js';

/** `virsh list --all`: every domain defined on the hypervisor, running or not. */
export const listDomains: ClusterOperation<Record<string, never>, DomainListEntry[]> = async (
  executor,
  hypervisor,
) => parseVirshList(await runChecked(executor, hypervisor, virshCommand('list', '--all')));
