/**
 * Block Kit validation as loose as Slack's and no stricter: the limits a bot really hits
 * (block counts, text lengths, button fields, duplicate ids). Each violation is reported the way
 * Slack words it, with a json-pointer, so a failing bot test points at the offending block.
 */

/** Where the blocks are shown: messages hold 50 blocks, modals and Home tabs 100. */
export type BlockSurface = 'message' | 'modal' | 'home';

const maxBlocks: Record<BlockSurface, number> = { message: 50, modal: 100, home: 100 };

const knownBlockTypes = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

type Issue = (message: string, pointer: string) => void;

/** Every violation in `blocks` (empty when Slack would accept them). */
export function findBlockKitViolations(blocks: unknown, surface: BlockSurface): string[] {
  const issues: string[] = [];
  const report: Issue = (message, pointer) => {
    issues.push(`${message} [json-pointer:${pointer}]`);
  };
  if (!Array.isArray(blocks)) {
    report('must be an array', '/blocks');
    return issues;
  }
  if (blocks.length > maxBlocks[surface]) report(`must have at most ${maxBlocks[surface]} items`, '/blocks');
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const pointer = `/blocks/${index}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      report('missing required field: type', pointer);
      return;
    }
    if (!knownBlockTypes.has(block.type)) report(`unsupported type: ${block.type}`, `${pointer}/type`);
    if (block.block_id !== undefined) {
      const id = String(block.block_id);
      if (id.length > 255) report('must be less than 256 characters', `${pointer}/block_id`);
      if (blockIds.has(id)) report(`duplicate block_id: ${id}`, `${pointer}/block_id`);
      blockIds.add(id);
    }
    checkBlock(block, pointer, report);
  });
  return issues;
}

function checkBlock(block: Record<string, unknown>, pointer: string, report: Issue): void {
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) {
        report('must provide either text or fields', pointer);
      }
      if (block.text !== undefined) checkText(block.text, 3000, `${pointer}/text`, report);
      if (block.fields !== undefined) {
        const fields = Array.isArray(block.fields) ? block.fields : [];
        if (fields.length > 10) report('must have at most 10 items', `${pointer}/fields`);
        fields.forEach((field, i) => {
          checkText(field, 2000, `${pointer}/fields/${i}`, report);
        });
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${pointer}/accessory`, report);
      return;
    case 'header':
      checkText(block.text, 150, `${pointer}/text`, report, 'plain_text');
      return;
    case 'actions':
      checkElements(block.elements, 25, pointer, report, true);
      return;
    case 'context':
      checkElements(block.elements, 10, pointer, report, false);
      return;
    case 'input':
      checkText(block.label, 2000, `${pointer}/label`, report, 'plain_text');
      if (!isObject(block.element)) report('missing required field: element', pointer);
      else checkElement(block.element, `${pointer}/element`, report);
      return;
  }
}

function checkElements(
  elements: unknown,
  max: number,
  pointer: string,
  report: Issue,
  interactive: boolean,
): void {
  if (!Array.isArray(elements) || elements.length === 0) {
    report('must have at least 1 item', `${pointer}/elements`);
    return;
  }
  if (elements.length > max) report(`must have at most ${max} items`, `${pointer}/elements`);
  const actionIds = new Set<string>();
  elements.forEach((element, i) => {
    const at = `${pointer}/elements/${i}`;
    if (!interactive) {
      if (isObject(element) && (element.type === 'mrkdwn' || element.type === 'plain_text')) {
        checkText(element, 3000, at, report);
      }
      return;
    }
    checkElement(element, at, report);
    if (isObject(element) && typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id))
        report(`duplicate action_id: ${element.action_id}`, `${at}/action_id`);
      actionIds.add(element.action_id);
    }
  });
}

function checkElement(element: unknown, pointer: string, report: Issue): void {
  if (!isObject(element) || typeof element.type !== 'string') {
    report('missing required field: type', pointer);
    return;
  }
  if (element.action_id !== undefined && String(element.action_id).length > 255) {
    report('must be less than 256 characters', `${pointer}/action_id`);
  }
  if (element.type !== 'button') return;
  checkText(element.text, 75, `${pointer}/text`, report, 'plain_text');
  if (element.value !== undefined && String(element.value).length > 2000) {
    report('must be less than 2001 characters', `${pointer}/value`);
  }
  if (element.url !== undefined && String(element.url).length > 3000) {
    report('must be less than 3001 characters', `${pointer}/url`);
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    report('must be one of: primary, danger', `${pointer}/style`);
  }
}

function checkText(
  text: unknown,
  max: number,
  pointer: string,
  report: Issue,
  onlyType?: 'plain_text' | 'mrkdwn',
): void {
  if (!isObject(text) || (text.type !== 'plain_text' && text.type !== 'mrkdwn')) {
    report('must be a text object (plain_text or mrkdwn)', pointer);
    return;
  }
  if (onlyType && text.type !== onlyType) report(`must be ${onlyType}`, `${pointer}/type`);
  if (typeof text.text !== 'string' || text.text.length === 0) {
    report('must be more than 0 characters', `${pointer}/text`);
  } else if (text.text.length > max) {
    report(`must be less than ${max + 1} characters`, `${pointer}/text`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
