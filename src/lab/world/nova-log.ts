/**
 * nova's log line format (logging_context_format_string):
 * `2026-01-01 00:00:00.000 1234 ERROR nova.compute.manager [req-… user tenant] [instance: …] msg`.
 */
import type { WorldHost } from './model.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface LogContext {
  requestId: string;
  userId: string;
  tenantId: string;
  instanceUuid?: string;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, as oslo.log prints asctime + msecs. */
function formatLogTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** Appends one line (or several, for a multi-line message) to the host's nova log. */
export function appendNovaLog(
  host: WorldHost,
  atMs: number,
  level: LogLevel,
  logger: string,
  context: LogContext,
  message: string,
): void {
  const prefix = `${formatLogTime(atMs)} ${host.novaPid} ${level} ${logger} [${context.requestId} ${context.userId} ${context.tenantId}]`;
  const instance = context.instanceUuid ? ` [instance: ${context.instanceUuid}]` : '';
  for (const line of message.split('\n')) host.log.push(`${prefix}${instance} ${line}`);
}
