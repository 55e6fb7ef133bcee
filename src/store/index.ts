/** livemig's durable state (the only importer of lowdb). */

export { lastDrainThatEmptied } from './archive.js';
export { dataDirOwner } from './data-dir-lock.js';
export { type AuditInput, type Change, type HistoryPage, Store, type StoreOptions } from './store.js';
export type * from './types.js';
