import { UUID } from '@lumino/coreutils';

/** Create an element whose content is plain text, so user data can never become markup. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** A labelled field: the label is visible and tied to the input, which names it for screen readers. */
export interface ILabelledInput {
  /** The wrapper holding the label, the input and the hint. */
  node: HTMLElement;
  input: HTMLInputElement;
}

/** Options of `labelledInput`. */
export interface ILabelledInputOptions {
  type?: string;
  autocomplete?: AutoFill;
  value?: string;
  placeholder?: string;
  /** A line under the input that describes it (`aria-describedby`). */
  hint?: string;
}

/** Create a labelled input styled like JupyterLab's own forms. */
export function labelledInput(label: string, options: ILabelledInputOptions = {}): ILabelledInput {
  const node = element('div', 'jp-NotebookGallery-field');
  const input = element('input', 'jp-mod-styled jp-NotebookGallery-input');
  input.id = `jp-NotebookGallery-input-${UUID.uuid4()}`;
  input.type = options.type ?? 'text';
  input.autocomplete = options.autocomplete ?? 'off';
  input.value = options.value ?? '';
  if (options.placeholder) {
    input.placeholder = options.placeholder;
  }
  const labelNode = element('label', 'jp-NotebookGallery-label', label);
  labelNode.htmlFor = input.id;
  node.append(labelNode, input);
  if (options.hint) {
    const hint = element('span', 'jp-NotebookGallery-hint', options.hint);
    hint.id = `${input.id}-hint`;
    input.setAttribute('aria-describedby', hint.id);
    node.append(hint);
  }
  return { node, input };
}
