import type { NotebookSort } from '@notebook-gallery/core';
import { InvalidRequestError } from '../errors/InvalidRequestError';

/** The position after the last item of a page: the sort key's value and the id that breaks ties. */
export interface IListPosition {
  sort: NotebookSort;
  key: string | number;
  id: string;
}

/** Encodes a position as an opaque URL-safe cursor. */
export function encodeCursor(position: IListPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.key, position.id]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor issued by {@link encodeCursor} for the same sort order.
 * @throws {InvalidRequestError} when the cursor was not issued by this server for this sort order.
 */
export function decodeCursor(cursor: string, sort: NotebookSort): IListPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    decoded[0] !== sort ||
    !['string', 'number'].includes(typeof decoded[1]) ||
    typeof decoded[2] !== 'string'
  ) {
    throw new InvalidRequestError(
      'cursor is not valid for this query; pass back the nextCursor of the previous page with the same sort'
    );
  }
  return { sort, key: decoded[1] as string | number, id: decoded[2] as string };
}
