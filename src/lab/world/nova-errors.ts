/**
 * How python-novaclient prints API errors, and the nova exception texts the lab reproduces
 * (nova/exception.py msg_fmt strings of the releases concerned).
 */
import type { ExecReply } from '../types.js';

/** `ERROR (BadRequest): <message> (HTTP 400) (Request-ID: req-…)`, exit status 1. */
export function apiError(
  kind: 'BadRequest' | 'Conflict' | 'NotFound',
  message: string,
  requestId: string,
): ExecReply {
  const code = { BadRequest: 400, Conflict: 409, NotFound: 404 }[kind];
  return {
    stdout: '',
    stderr: `ERROR (${kind}): ${message} (HTTP ${code}) (Request-ID: ${requestId})\n`,
    code: 1,
  };
}

/** novaclient's client-side errors: `ERROR (CommandError): <message>`, exit status 1. */
export function commandError(message: string): ExecReply {
  return { stdout: '', stderr: `ERROR (CommandError): ${message}\n`, code: 1 };
}

/** libvirt's compareCPU verdict text as nova's driver formats it (ret 0 = incompatible). */
export const INVALID_CPU_INFO =
  "Unacceptable CPU info: CPU doesn't have compatibility.\n\n0\n\nRefer to http://libvirt.org/html/libvirt-libvirt.html#virCPUCompareResult";

/** InvalidSharedStorage's text (Icehouse's test-file check, or a local disk on Juno+). */
export function invalidSharedStorage(destHost: string): string {
  return `${destHost} is not on shared storage: Live migration can not be used without shared storage.`;
}

/** InvalidLocalStorage's text: block migration asked for with shared (RBD) storage. */
export function invalidLocalStorage(destHost: string): string {
  return `${destHost} is not on local storage: Block migration can not be used with shared storage.`;
}

/** DestinationDiskExists's text: Juno+ found the instance dir already on the destination. */
export function destinationDiskExists(path: string): string {
  return `The supplied disk path (${path}) already exists, it is expected not to exist.`;
}

/** Icehouse's NoBlockMigrationForConfigDriveInLibVirt. */
export const NO_BLOCK_MIGRATION_FOR_CONFIG_DRIVE =
  'Block migration of instances with config drives is not supported in libvirt.';

/** Juno's NoLiveMigrationForConfigDriveInLibVirt. */
export const NO_LIVE_MIGRATION_FOR_CONFIG_DRIVE =
  'Live migration of instances with config drives is not supported in libvirt unless libvirt instance path and drive data is shared across compute nodes.';

/** A remote (RPC) exception as oslo.messaging names it when it crosses the bus. */
export function remoteError(exceptionName: string, message: string): string {
  return `Remote error: ${exceptionName}_Remote ${message}`;
}
