/**
 * The one way the page builds DOM: elements from a tag, attributes and children. Strings become
 * text nodes, so text from the workspace can never turn into markup.
 */

/**
 * @param {string} tag
 * @param {Record<string, string | boolean | EventListener | undefined>} [attributes]
 *   `on<event>` keys add listeners; `true` sets an empty attribute; false/undefined skip it.
 * @param {...(Node | string | null | undefined | false | Array<Node | string | null | undefined | false>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends nodes and strings (as text), skipping empty slots. */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

const keyed = new WeakMap();

/**
 * Renders `items` into `container`, reusing the node of every item whose signature did not
 * change, and moving nothing that is already in place: a message edited by the bot is replaced
 * alone, and a button the user is focused on keeps its focus while others update.
 */
export function renderKeyed(container, items, keyOf, signatureOf, render) {
  const previous = keyed.get(container) ?? new Map();
  const next = new Map();
  const stickToBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  items.forEach((item, index) => {
    const key = keyOf(item);
    const signature = signatureOf(item);
    const known = previous.get(key);
    const node = known && known.signature === signature ? known.node : render(item);
    next.set(key, { signature, node });
    const current = container.children[index];
    if (current !== node) container.insertBefore(node, current ?? null);
  });
  while (container.children.length > items.length) container.lastElementChild.remove();
  keyed.set(container, next);
  if (stickToBottom) container.scrollTop = container.scrollHeight;
}
