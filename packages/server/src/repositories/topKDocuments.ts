/*
 * What both backends' top-k tables store the same way (sqlite/sqliteTopKIndex.ts, postgres/pgTopKIndex.ts): each
 * notebook's (term id, impact) pairs packed in topk_documents.impacts, the totals row, and what one write changed.
 */

/** Bytes per packed (term id, impact) pair in topk_documents.impacts: two uint32, little-endian. */
const PAIR_BYTES = 8;

/** The topk_totals row: notebooks and tokens indexed, and the average length the impacts were computed with. */
export interface ITopKTotals {
  documents: number;
  tokens: number;
  average_length: number;
}

/** What one write changed in topk_postings: the save cost the diff keeps small. */
export interface ITopKUpkeep {
  written: number;
  deleted: number;
}

/** Packs a notebook's (term id, impact) pairs. */
export function packImpacts(pairs: ReadonlyMap<number, number>): Buffer {
  const buffer = Buffer.alloc(pairs.size * PAIR_BYTES);
  let offset = 0;
  for (const [id, impact] of pairs) {
    buffer.writeUInt32LE(id, offset);
    buffer.writeUInt32LE(impact, offset + 4);
    offset += PAIR_BYTES;
  }
  return buffer;
}

/** Calls `each` with every (term id, impact) pair of a packed buffer, in order. */
export function unpackImpacts(buffer: Buffer, each: (id: number, impact: number) => void): void {
  for (let offset = 0; offset + PAIR_BYTES <= buffer.length; offset += PAIR_BYTES) {
    each(buffer.readUInt32LE(offset), buffer.readUInt32LE(offset + 4));
  }
}

/** The impacts of a packed buffer for the terms among `termIds`: what scoring a candidate for a query reads. */
export function heldImpacts(buffer: Buffer, termIds: ReadonlySet<number>): Map<number, number> {
  // A plain loop: it runs over every pair of every candidate of a search (hundreds of candidates of ~700 pairs).
  const held = new Map<number, number>();
  for (let offset = 0; offset + PAIR_BYTES <= buffer.length; offset += PAIR_BYTES) {
    const id = buffer.readUInt32LE(offset);
    if (termIds.has(id)) {
      held.set(id, buffer.readUInt32LE(offset + 4));
    }
  }
  return held;
}
