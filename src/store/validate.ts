import { LivemigError } from '../errors.js';
import type { ArchiveData, StoreData } from './types.js';

/**
 * Checks the shape of a data file where it enters. Records are livemig's own output, so the check
 * is structural (version and collections); a file from a newer livemig is refused by name.
 */
export function validateStoreFile(path: string): (value: unknown) => StoreData {
  return (value) => checkShape(path, value) as StoreData;
}

/** Same as validateStoreFile, for an archive file. */
export function validateArchiveFile(path: string): (value: unknown) => ArchiveData {
  return (value) => checkShape(path, value) as ArchiveData;
}

function checkShape(path: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    throw new LivemigError('store_failed', `${path}: expected a JSON object`);
  }
  const record = value as Record<string, unknown>;
  if (record.schemaVersion !== 1) {
    throw new LivemigError('store_failed', `${path}: unknown schemaVersion ${String(record.schemaVersion)}`, {
      hint: 'This file was written by another livemig version; use that version or move the file away.',
    });
  }
  for (const key of ['requests', 'migrations', 'audit']) {
    if (!Array.isArray(record[key])) {
      throw new LivemigError('store_failed', `${path}: "${key}" must be a list`);
    }
  }
  // Files from before drains and campaigns had their lists.
  for (const key of ['drains', 'campaigns']) record[key] ??= [];
  return value;
}

export function emptyData(): StoreData {
  return { schemaVersion: 1, requests: [], migrations: [], audit: [], drains: [], campaigns: [] };
}
