/**
 * The two dialogs: a button's confirm dialog and the app's modal (views.open). Both are native
 * <dialog> elements, so focus is trapped and Esc closes them.
 */

import { renderBlocks, textNodes } from './blocks.js';
import { h } from './dom.js';
import { plainText } from './mrkdwn.js';

/**
 * Shows a button's confirm object; resolves true when the user confirms.
 * @param {HTMLDialogElement} dialog
 */
export function askConfirm(dialog, confirm, userName) {
  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.close();
      resolve(answer);
    };
    const title = plainText(confirm.title) || 'Are you sure?';
    dialog.replaceChildren(
      h('h2', { id: 'confirm-title' }, title),
      h('div', { class: 'dialog-text' }, ...textNodes(confirm.text, userName)),
      h(
        'div',
        { class: 'dialog-buttons' },
        h(
          'button',
          { type: 'button', class: 'btn', onclick: () => close(false) },
          plainText(confirm.deny) || 'Cancel',
        ),
        h(
          'button',
          {
            type: 'button',
            class: `btn ${confirm.style === 'danger' ? 'danger' : 'primary'}`,
            onclick: () => close(true),
          },
          plainText(confirm.confirm) || 'Yes',
        ),
      ),
    );
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    dialog.oncancel = (event) => {
      event.preventDefault();
      close(false);
    };
    dialog.showModal();
  });
}

/**
 * Shows (or refreshes) the user's top modal. `onSubmit(values)` gets the inputs by action_id and
 * resolves to an error text or null; `onClose()` asks the workspace to close it.
 * @param {HTMLDialogElement} dialog
 */
export function showModal(dialog, view, { userName, onButton, onSubmit, onClose }) {
  if (dialog.dataset.viewId === view.id && dialog.dataset.hash === view.hash && dialog.open) return;
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'modal-title' }, plainText(view.title) || 'Modal'),
    renderBlocks(view.blocks ?? [], { userName, onButton }),
    error,
    h(
      'div',
      { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'btn', onclick: onClose }, plainText(view.close) || 'Cancel'),
      view.submit ? h('button', { type: 'submit', class: 'btn primary' }, plainText(view.submit)) : null,
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {};
    for (const field of form.querySelectorAll('input[name], textarea[name]'))
      values[field.name] = field.value;
    error.textContent = (await onSubmit(values)) ?? '';
  });
  dialog.replaceChildren(form);
  dialog.dataset.viewId = view.id;
  dialog.dataset.hash = view.hash;
  dialog.setAttribute('aria-labelledby', 'modal-title');
  dialog.oncancel = (event) => {
    event.preventDefault();
    onClose();
  };
  if (!dialog.open) dialog.showModal();
}

/** Closes the modal dialog when the workspace has no modal open for the user any more. */
export function hideModal(dialog) {
  delete dialog.dataset.viewId;
  if (dialog.open) dialog.close();
}
