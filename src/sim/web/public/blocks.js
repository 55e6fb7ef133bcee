/**
 * Block Kit to DOM: header, section (text, fields, button accessory), context, divider, actions
 * with buttons, image, and input blocks with plain_text_input (modals). Buttons call
 * `onButton(element)`; the caller asks for the element's confirm dialog first.
 */
import { h } from './dom.js';
import { mrkdwn, plainText } from './mrkdwn.js';

let inputCounter = 0;

/**
 * @param {object[]} blocks
 * @param {{ userName: (id: string) => string, onButton: (button: object) => void }} options
 * @returns {HTMLElement}
 */
export function renderBlocks(blocks, options) {
  return h(
    'div',
    { class: 'blocks' },
    blocks.map((block) => renderBlock(block, options)),
  );
}

/** A text object: mrkdwn or plain_text. */
export function textNodes(textObject, userName) {
  if (!textObject) return [];
  return textObject.type === 'mrkdwn'
    ? mrkdwn(String(textObject.text ?? ''), userName)
    : [plainText(textObject)];
}

function renderBlock(block, options) {
  switch (block.type) {
    case 'header':
      return h('h3', { class: 'block-header' }, plainText(block.text));
    case 'section':
      return section(block, options);
    case 'context':
      return h(
        'div',
        { class: 'block-context' },
        (block.elements ?? []).map((element) =>
          element.type === 'image'
            ? h('img', {
                src: safeImage(element.image_url),
                alt: element.alt_text ?? '',
                width: '16',
                height: '16',
              })
            : h('span', {}, ...textNodes(element, options.userName)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'block-divider' });
    case 'actions':
      return h(
        'div',
        { class: 'block-actions' },
        (block.elements ?? []).map((element) => interactive(element, options)),
      );
    case 'image':
      return h('img', { class: 'block-image', src: safeImage(block.image_url), alt: block.alt_text ?? '' });
    case 'input':
      return input(block);
    default:
      return null;
  }
}

function section(block, options) {
  return h(
    'div',
    { class: 'block-section' },
    h(
      'div',
      { class: 'section-main' },
      block.text ? h('div', { class: 'section-text' }, ...textNodes(block.text, options.userName)) : null,
      block.fields
        ? h(
            'div',
            { class: 'section-fields' },
            block.fields.map((field) => h('div', {}, ...textNodes(field, options.userName))),
          )
        : null,
    ),
    block.accessory ? interactive(block.accessory, options) : null,
  );
}

function interactive(element, options) {
  if (element.type === 'button') {
    const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
    return h(
      'button',
      {
        type: 'button',
        class: `btn${style}`,
        'data-action-id': element.action_id ?? '',
        onclick: () => options.onButton(element),
      },
      plainText(element.text),
    );
  }
  if (element.type === 'image')
    return h('img', {
      src: safeImage(element.image_url),
      alt: element.alt_text ?? '',
      class: 'accessory-image',
    });
  return h('span', { class: 'unsupported' }, `(${element.type} is not shown here)`);
}

/** An input block: a labelled text field named by its action_id (read back on submit). */
function input(block) {
  inputCounter += 1;
  const id = `input-${inputCounter}`;
  const element = block.element ?? {};
  const common = {
    id,
    name: element.action_id ?? id,
    'data-block-id': block.block_id ?? '',
    required: block.optional ? undefined : true,
    maxlength: element.max_length ? String(element.max_length) : undefined,
    placeholder: element.placeholder ? plainText(element.placeholder) : undefined,
  };
  const field =
    element.type === 'plain_text_input' && element.multiline
      ? h('textarea', { ...common, rows: '4' }, element.initial_value ?? '')
      : h('input', { ...common, type: 'text', value: element.initial_value ?? undefined });
  return h(
    'div',
    { class: 'block-input' },
    h(
      'label',
      { for: id },
      plainText(block.label),
      block.optional ? h('span', { class: 'optional' }, ' (optional)') : null,
    ),
    field,
    block.hint ? h('div', { class: 'hint' }, plainText(block.hint)) : null,
  );
}

/** Only http(s) and data: images; anything else is dropped rather than loaded. */
function safeImage(url) {
  return typeof url === 'string' && /^(https?:|data:image\/)/i.test(url) ? url : '';
}
