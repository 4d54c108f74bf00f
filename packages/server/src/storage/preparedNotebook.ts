import {
  notebookSearchText,
  serializeNotebook,
  stripNotebook,
  validateNotebook,
  type INotebook,
  type INotebookSearchText
} from '@notebook-gallery/core';
import { gitBlobId } from './gitRepository';

/** A notebook ready to commit: validated, stripped and serialised exactly as it will be stored. */
export interface IPreparedNotebook {
  notebook: INotebook;
  bytes: Buffer;
  /** Git object id of `bytes`, used to skip saves that change nothing. */
  blobId: string;
  searchText: INotebookSearchText;
}

/**
 * Validates, strips and serialises whatever a client sent, so stored notebooks never carry outputs.
 * @throws {NotebookFormatError} when `value` is not an acceptable nbformat 4 notebook.
 */
export function prepareNotebook(value: unknown): IPreparedNotebook {
  const notebook = stripNotebook(validateNotebook(value));
  const bytes = Buffer.from(serializeNotebook(notebook), 'utf8');
  return { notebook, bytes, blobId: gitBlobId(bytes), searchText: notebookSearchText(notebook) };
}
