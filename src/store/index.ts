/** livemig's durable state (the only importer of lowdb). */
export { type AuditInput, type Change, type HistoryPage, Store, type StoreOptions } from './store.js';
export type * from './types.js';
