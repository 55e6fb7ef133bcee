import { type BlockSurface, findBlockKitViolations } from '../model/block-kit-limits.js';
import type { Block } from '../model/types.js';
import { type ApiArgs, jsonArg } from './args.js';
import { type ApiReply, failWithDetails } from './method.js';

/**
 * Reads and checks a `blocks` value: `{ blocks: undefined }` when absent, the blocks when Slack
 * would accept them, or the reply Slack gives (`invalid_blocks_format` / `errorCode`).
 */
export function readBlocks(
  value: unknown,
  surface: BlockSurface,
  errorCode: string,
): { ok: true; blocks: Block[] | undefined } | { ok: false; reply: ApiReply } {
  if (value === undefined || value === '') return { ok: true, blocks: undefined };
  const violations = findBlockKitViolations(value, surface);
  if (violations.length > 0) return { ok: false, reply: failWithDetails(errorCode, violations) };
  return { ok: true, blocks: value as Block[] };
}

/** Reads the `blocks` argument of a chat.* call. */
export function readMessageBlocks(args: ApiArgs): ReturnType<typeof readBlocks> {
  const parsed = jsonArg(args, 'blocks');
  if (!parsed.ok) return { ok: false, reply: failWithDetails('invalid_blocks_format', [parsed.error]) };
  return readBlocks(parsed.value, 'message', 'invalid_blocks');
}
