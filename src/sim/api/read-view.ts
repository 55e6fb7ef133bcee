import type { JsonObject, SimViewType } from '../model/types.js';
import type { ViewInput } from '../model/view-store.js';
import { isJsonObject } from './args.js';
import { type ApiReply, failWithDetails } from './method.js';
import { readBlocks } from './read-blocks.js';

/** A modal's title, submit and close labels are plain_text of at most 24 characters. */
const maxModalLabelLength = 24;

/**
 * Checks a view (from views.* arguments or a `response_action`) the way Slack does and returns
 * it as a ViewInput, or the `invalid_arguments` reply listing the problems.
 */
export function parseViewInput(
  value: unknown,
  type: SimViewType,
): { ok: true; view: ViewInput } | { ok: false; reply: ApiReply } {
  if (!isJsonObject(value)) {
    return {
      ok: false,
      reply: failWithDetails('invalid_arguments', ['view must be a JSON object [json-pointer:/view]']),
    };
  }
  const view = value;
  if (view.type !== type) {
    return {
      ok: false,
      reply: failWithDetails('invalid_arguments', [`must be ${type} [json-pointer:/view/type]`]),
    };
  }
  const blocks = readBlocks(view.blocks ?? [], type, 'invalid_arguments');
  if (!blocks.ok) return blocks;
  const labelProblems = type === 'modal' ? modalLabelProblems(view) : [];
  if (labelProblems.length > 0)
    return { ok: false, reply: failWithDetails('invalid_arguments', labelProblems) };
  const optionalText = (key: string): string | undefined =>
    typeof view[key] === 'string' ? view[key] : undefined;
  const optionalObject = (key: string): JsonObject | undefined =>
    isJsonObject(view[key]) ? view[key] : undefined;
  const input: ViewInput = { type, blocks: blocks.blocks ?? [] };
  const title = optionalObject('title');
  const submit = optionalObject('submit');
  const close = optionalObject('close');
  if (title) input.title = title;
  if (submit) input.submit = submit;
  if (close) input.close = close;
  const privateMetadata = optionalText('private_metadata');
  const callbackId = optionalText('callback_id');
  const externalId = optionalText('external_id');
  if (privateMetadata !== undefined) input.private_metadata = privateMetadata;
  if (callbackId !== undefined) input.callback_id = callbackId;
  if (externalId !== undefined) input.external_id = externalId;
  input.clear_on_close = view.clear_on_close === true;
  input.notify_on_close = view.notify_on_close === true;
  return { ok: true, view: input };
}

function modalLabelProblems(view: JsonObject): string[] {
  const problems: string[] = [];
  for (const key of ['title', 'submit', 'close']) {
    const label = view[key];
    if (label === undefined && key !== 'title') continue;
    if (!isJsonObject(label) || label.type !== 'plain_text' || typeof label.text !== 'string') {
      problems.push(`must be a plain_text object [json-pointer:/view/${key}]`);
    } else if (label.text.length > maxModalLabelLength) {
      problems.push(
        `must be less than ${maxModalLabelLength + 1} characters [json-pointer:/view/${key}/text]`,
      );
    }
  }
  return problems;
}
