import type { INotebook, MultilineString } from './nbformat';
import { checkNotebook } from './validate';

/** MIME types that nbformat splits into lines besides `text/*`. */
const SPLIT_MIME_TYPES = ['application/javascript', 'image/svg+xml'];
/** The line breaks Python's `str.splitlines` honours, which nbformat uses. */
const LINE = /[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/gu;

/**
 * Write a notebook byte for byte as Jupyter does (sorted keys, one-space indent, sources as lists
 * of lines, trailing newline), so that git diffs between revisions stay minimal.
 * This is the last step before a notebook is stored, so it first checks that the notebook is valid nbformat for
 * its minor version: nothing invalid is ever written, whatever happened to it since {@link validateNotebook}.
 * @throws {NotebookFormatError} when the notebook is not valid nbformat, with the path of the first problem.
 */
export function serializeNotebook(nb: INotebook): string {
  checkNotebook(nb);
  return JSON.stringify(Private.sortKeys(Private.splitLines(nb)), null, 1) + '\n';
}

namespace Private {
  export function splitText(value: MultilineString): string[] {
    if (Array.isArray(value)) {
      return value;
    }
    return (value.match(LINE) ?? []).filter(line => line !== '');
  }

  // Objects are built with Object.fromEntries, never by assignment: a "__proto__" key must stay a key.
  function splitBundle(bundle: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(bundle).map(([mime, data]) => {
        const splittable = mime.startsWith('text/') || SPLIT_MIME_TYPES.includes(mime);
        return [mime, splittable && typeof data === 'string' ? splitText(data) : data];
      })
    );
  }

  function splitAttachments(attachments: unknown): unknown {
    if (typeof attachments !== 'object' || attachments === null) {
      return attachments;
    }
    return Object.fromEntries(
      Object.entries(attachments as Record<string, Record<string, unknown>>).map(([name, bundle]) => [
        name,
        splitBundle(bundle)
      ])
    );
  }

  function splitOutput(output: Record<string, unknown>): Record<string, unknown> {
    const copy = { ...output };
    if (typeof copy.text === 'string') {
      copy.text = splitText(copy.text);
    }
    if (typeof copy.data === 'object' && copy.data !== null) {
      copy.data = splitBundle(copy.data as Record<string, unknown>);
    }
    return copy;
  }

  export function splitLines(nb: INotebook): INotebook {
    const cells = nb.cells.map(cell => {
      const copy = { ...cell };
      if (typeof copy.source === 'string') {
        copy.source = splitText(copy.source);
      }
      if ('attachments' in copy && copy.attachments !== undefined) {
        copy.attachments = splitAttachments(copy.attachments) as typeof copy.attachments;
      }
      if (copy.cell_type === 'code' && Array.isArray(copy.outputs)) {
        copy.outputs = copy.outputs.map(splitOutput) as typeof copy.outputs;
      }
      return copy;
    });
    return { ...nb, cells } as INotebook;
  }

  export function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map(sortKeys);
    }
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map(key => [key, sortKeys((value as Record<string, unknown>)[key])])
      );
    }
    return value;
  }
}
