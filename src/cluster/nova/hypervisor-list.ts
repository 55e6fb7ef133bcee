import { parseHypervisorList } from '../parse/nova-hypervisor.js';
import { runChecked } from '../run-command.js';
import type { ClusterOperation, HypervisorSummary } from '../types.js';
import { novaCommand } from './nova-command.js';

/** `nova hypervisor-list`. */
export const hypervisorList: ClusterOperation<Record<string, never>, HypervisorSummary[]> = async (
  executor,
  controller,
) => parseHypervisorList(await runChecked(executor, controller, novaCommand('hypervisor-list')));
