import {
  notebookEnvironment,
  notebookSearchText,
  runnableCells,
  serializeNotebook,
  stripNotebook,
  validateNotebook,
  type INotebook,
  type INotebookSearchText
} from '@notebook-gallery/core';
import type { IRevisionEnvironment } from '../repositories/environmentRepository';
import { gitBlobId } from './gitRepository';
import { sourceHash } from './sourceHash';

/** A notebook ready to commit: validated, stripped and serialised exactly as it will be stored. */
export interface IPreparedNotebook {
  notebook: INotebook;
  bytes: Buffer;
  /** Git object id of `bytes`, used to skip saves that change nothing. */
  blobId: string;
  searchText: INotebookSearchText;
  /** Reproducibility metadata, recorded with the revision. */
  recorded: IRevisionEnvironment;
}

/**
 * Validates, strips and serialises whatever a client sent, so stored notebooks never carry outputs.
 * @throws {NotebookFormatError} when `value` is not an acceptable nbformat 4 notebook.
 */
export function prepareNotebook(value: unknown): IPreparedNotebook {
  const notebook = stripNotebook(validateNotebook(value));
  const bytes = Buffer.from(serializeNotebook(notebook), 'utf8');
  return {
    notebook,
    bytes,
    blobId: gitBlobId(bytes),
    searchText: notebookSearchText(notebook),
    recorded: revisionEnvironment(notebook)
  };
}

/** What a revision needs to run, and the hash of its code cells (same code, same hash). */
export function revisionEnvironment(notebook: INotebook): IRevisionEnvironment {
  return {
    environment: notebookEnvironment(notebook),
    codeHash: sourceHash(JSON.stringify(runnableCells(notebook).map(cell => cell.source)))
  };
}
