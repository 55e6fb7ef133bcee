import { isJsonObject } from './api/args.js';
import type { Block, JsonObject, SimView } from './model/types.js';
import type { PressedButton } from './payloads.js';

/** Interactive elements of a block: an actions block's elements or a section's accessory. */
function elementsOf(block: Block): JsonObject[] {
  if (block.type === 'actions' && Array.isArray(block.elements)) return block.elements.filter(isJsonObject);
  if (block.type === 'section' && isJsonObject(block.accessory)) return [block.accessory];
  return [];
}

/**
 * The button a user would press: the first with `actionId` (and `value`, when several buttons
 * share an action_id, as one button per request does).
 */
export function findButton(
  blocks: Block[] | undefined,
  actionId: string,
  value?: string,
): PressedButton | undefined {
  for (const [index, block] of (blocks ?? []).entries()) {
    for (const element of elementsOf(block)) {
      if (element.type !== 'button' || element.action_id !== actionId) continue;
      if (value !== undefined && element.value !== value) continue;
      return {
        // Slack fills in a block_id when the app sent none.
        block_id: typeof block.block_id === 'string' ? block.block_id : `b${index}`,
        action_id: actionId,
        text: isJsonObject(element.text) ? element.text : { type: 'plain_text', text: '' },
        ...(typeof element.value === 'string' ? { value: element.value } : {}),
        ...(typeof element.style === 'string' ? { style: element.style } : {}),
      };
    }
  }
  return undefined;
}

/** What a user typed or picked, by the input element's action_id. */
export type InputValues = Record<string, string | string[]>;

/**
 * The `state.values` Slack sends with a view_submission: every input block of the modal, with
 * the user's value for its element (or null, as Slack sends for an untouched optional input).
 */
export function viewStateValues(view: SimView, values: InputValues): SimView['state']['values'] {
  const state: SimView['state']['values'] = {};
  for (const [index, block] of view.blocks.entries()) {
    if (block.type !== 'input' || !isJsonObject(block.element)) continue;
    const element = block.element;
    const actionId = typeof element.action_id === 'string' ? element.action_id : `a${index}`;
    const blockId = typeof block.block_id === 'string' ? block.block_id : `b${index}`;
    state[blockId] = { [actionId]: elementState(element, values[actionId]) };
  }
  return state;
}

function elementState(element: JsonObject, given: string | string[] | undefined): JsonObject {
  const type = String(element.type);
  const options = Array.isArray(element.options) ? element.options.filter(isJsonObject) : [];
  const pick = (value: string): JsonObject | undefined => options.find((option) => option.value === value);
  const chosen = given === undefined ? [] : Array.isArray(given) ? given : [given];
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: chosen[0] === undefined ? null : (pick(chosen[0]) ?? null) };
    case 'checkboxes':
    case 'multi_static_select':
      return { type, selected_options: chosen.map(pick).filter((option) => option !== undefined) };
    case 'users_select':
      return { type, selected_user: chosen[0] ?? null };
    default:
      return { type, value: chosen[0] ?? null };
  }
}
