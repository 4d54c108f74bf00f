import { firstHeading, type INotebook } from '@notebook-gallery/core';
import * as crypto from 'node:crypto';

/** A source file turned into a notebook, or the reason it could not be. */
export type ParsedNotebookFile = { ok: true; notebook: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Parses the bytes of one `.ipynb` file the way every source does, with the reasons the import report shows: an
 * empty file, one over the server's size limit, one that is not JSON or not an object, and nbformat before 4.
 * Full validation is the import service's, like a save's.
 */
export function parseNotebookFile(bytes: Uint8Array, maxBytes: number): ParsedNotebookFile {
  if (bytes.byteLength === 0) {
    return { ok: false, reason: 'empty file' };
  }
  if (bytes.byteLength > maxBytes) {
    return { ok: false, reason: tooBigReason(bytes.byteLength, maxBytes) };
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a notebook (the JSON is not an object)' };
  }
  const notebook = value as Record<string, unknown>;
  if (typeof notebook.nbformat === 'number' && notebook.nbformat < 4) {
    return {
      ok: false,
      reason: `nbformat ${notebook.nbformat} is not supported: convert it first ("jupyter nbconvert --to notebook --nbformat 4")`
    };
  }
  return { ok: true, notebook };
}

/**
 * The title a notebook is imported under: its first markdown heading (core's, as sharing suggests), else `fallback`
 * (the file name). The notebook is not validated yet, so a malformed one just gets the fallback.
 */
export function titleOf(notebook: Record<string, unknown>, fallback: string): string {
  if (!Array.isArray(notebook.cells)) {
    return fallback;
  }
  try {
    return firstHeading(notebook as unknown as INotebook) ?? fallback;
  } catch {
    return fallback;
  }
}

/** A revision key for a source that has no history: the SHA-256 of the bytes (a changed file is a new revision). */
export function contentKey(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Why a file of `size` bytes is refused, in the words every source uses. */
export function tooBigReason(size: number, maxBytes: number): string {
  return `${describeSize(size)}, over the server's ${describeSize(maxBytes)} limit for a notebook`;
}

/** Bytes for people: `61.2 MB`. */
export function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}
