import type { MigrationRecord } from '../../store/types.js';
import type { RunnerContext } from './context.js';
import type { ProgressEvent, ProgressPayload } from './events.js';

/** Emits `payload` about migration `m`, stamped with the clock's time. */
export function emitFor(ctx: RunnerContext, m: MigrationRecord, payload: ProgressPayload): void {
  ctx.hub.emit({
    ...payload,
    migrationId: m.id,
    requestId: m.requestId,
    vm: m.vm,
    at: ctx.clock.now(),
  } as ProgressEvent);
}
