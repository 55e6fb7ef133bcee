/** `nova migration-list`, `nova server-migration-list` and `nova server-migration-show`. */
import type { MigrationRecord, ServerMigration } from '../types.js';
import { uuidPattern } from '../validate.js';
import { firstOf, optionalInteger, optionalText, requiredText } from './nova-values.js';
import { parseFailed } from './parse-error.js';
import { parseColumnTable, parsePropertyTable } from './prettytable.js';

const listSource = 'nova migration-list';
const serverListSource = 'nova server-migration-list';
const showSource = 'nova server-migration-show';

/** Parses migration-list; `Id` and `Type` columns exist from 2.23 on. */
export function parseMigrationList(text: string): MigrationRecord[] {
  const table = parseColumnTable(text, listSource);
  for (const column of ['Status', 'Instance UUID']) {
    if (!table.columns.includes(column)) throw parseFailed(listSource, `a "${column}" column`, 'missing');
  }
  return table.rows.map((row) => {
    const instanceUuid = requiredText(row, 'Instance UUID', listSource);
    if (!uuidPattern.test(instanceUuid)) {
      throw parseFailed(listSource, 'a UUID in the Instance UUID column', `got "${instanceUuid}"`);
    }
    return {
      id: optionalText(row.Id),
      sourceNode: optionalText(row['Source Node']),
      destNode: optionalText(row['Dest Node']),
      sourceCompute: optionalText(row['Source Compute']),
      destCompute: optionalText(row['Dest Compute']),
      destHost: optionalText(row['Dest Host']),
      status: requiredText(row, 'Status', listSource),
      instanceUuid,
      type: optionalText(row.Type),
      createdAt: optionalText(row['Created At']),
      updatedAt: optionalText(row['Updated At']),
    };
  });
}

/** Parses server-migration-show (a Property | Value table with API field names). */
export function parseServerMigrationShow(text: string): ServerMigration {
  return toServerMigration(parsePropertyTable(text, showSource), showSource, {
    id: ['id'],
    serverUuid: ['server_uuid'],
    status: ['status'],
    sourceCompute: ['source_compute'],
    destCompute: ['dest_compute'],
    sourceNode: ['source_node'],
    destNode: ['dest_node'],
    destHost: ['dest_host'],
    memoryTotalBytes: ['memory_total_bytes'],
    memoryProcessedBytes: ['memory_processed_bytes'],
    memoryRemainingBytes: ['memory_remaining_bytes'],
    diskTotalBytes: ['disk_total_bytes'],
    diskProcessedBytes: ['disk_processed_bytes'],
    diskRemainingBytes: ['disk_remaining_bytes'],
    createdAt: ['created_at'],
    updatedAt: ['updated_at'],
  });
}

/** Parses server-migration-list (display column names). */
export function parseServerMigrationList(text: string): ServerMigration[] {
  const table = parseColumnTable(text, serverListSource);
  return table.rows.map((row) =>
    toServerMigration(row, serverListSource, {
      id: ['Id'],
      serverUuid: ['Server UUID'],
      status: ['Status'],
      sourceCompute: ['Source Compute'],
      destCompute: ['Dest Compute'],
      sourceNode: ['Source Node'],
      destNode: ['Dest Node'],
      destHost: ['Dest Host'],
      memoryTotalBytes: ['Total Memory Bytes', 'Memory Total Bytes'],
      memoryProcessedBytes: ['Processed Memory Bytes', 'Memory Processed Bytes'],
      memoryRemainingBytes: ['Remaining Memory Bytes', 'Memory Remaining Bytes'],
      diskTotalBytes: ['Total Disk Bytes', 'Disk Total Bytes'],
      diskProcessedBytes: ['Processed Disk Bytes', 'Disk Processed Bytes'],
      diskRemainingBytes: ['Remaining Disk Bytes', 'Disk Remaining Bytes'],
      createdAt: ['Created At'],
      updatedAt: ['Updated At'],
    }),
  );
}

type FieldNames = Record<keyof ServerMigration, readonly string[]>;

function toServerMigration(
  row: Readonly<Record<string, string>>,
  source: string,
  names: FieldNames,
): ServerMigration {
  const text = (field: keyof ServerMigration) => optionalText(firstOf(row, names[field]));
  const required = (field: keyof ServerMigration) => {
    const value = text(field);
    if (value === null) throw parseFailed(source, `a value for "${names[field][0]}"`, 'missing');
    return value;
  };
  const bytes = (field: keyof ServerMigration) =>
    optionalInteger(firstOf(row, names[field]), names[field][0]!, source);
  const serverUuid = required('serverUuid');
  if (!uuidPattern.test(serverUuid)) throw parseFailed(source, 'a server UUID', `got "${serverUuid}"`);
  return {
    id: required('id'),
    serverUuid,
    status: required('status'),
    sourceCompute: text('sourceCompute'),
    destCompute: text('destCompute'),
    sourceNode: text('sourceNode'),
    destNode: text('destNode'),
    destHost: text('destHost'),
    memoryTotalBytes: bytes('memoryTotalBytes'),
    memoryProcessedBytes: bytes('memoryProcessedBytes'),
    memoryRemainingBytes: bytes('memoryRemainingBytes'),
    diskTotalBytes: bytes('diskTotalBytes'),
    diskProcessedBytes: bytes('diskProcessedBytes'),
    diskRemainingBytes: bytes('diskRemainingBytes'),
    createdAt: text('createdAt'),
    updatedAt: text('updatedAt'),
  };
}
