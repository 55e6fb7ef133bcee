import { abortMigration } from '../../migrations.js';
import type { CommandHandler } from '../command.js';
import { migrationActionCommand } from './migration-action.js';

/** `nova live-migration-abort SERVER ID` (API 2.24): cancels a running copy. */
export const liveMigrationAbort: CommandHandler = migrationActionCommand(
  'live-migration-abort',
  abortMigration,
  'Cannot abort live migration',
);
