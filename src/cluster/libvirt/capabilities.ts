import { runChecked } from '../run-command.js';
import type { ClusterOperation } from '../types.js';
import { virshCommand } from './virsh-command.js';

/** `virsh capabilities` on a hypervisor: the XML document, for src/cpu's parseHostCpu. */
export const capabilities: ClusterOperation<Record<string, never>, string> = (executor, hypervisor) =>
  runChecked(executor, hypervisor, virshCommand('capabilities'));
