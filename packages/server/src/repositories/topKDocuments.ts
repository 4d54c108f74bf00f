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

/**
 * A reader of the impacts of the terms among `termIds` from packed buffers: what scoring a query's candidates reads,
 * hundreds of buffers of ~700 pairs per search. Built once per batch: a bitmap over the term ids answers "is this a
 * query term" in one AND (a Set lookup per pair was 85% of the read), and a DataView reads the little-endian pairs
 * whatever the buffer's alignment.
 */
export function heldImpactsReader(termIds: ReadonlySet<number>): (buffer: Buffer) => Map<number, number> {
  let max = 0;
  for (const id of termIds) {
    max = Math.max(max, id);
  }
  const bits = new Uint32Array((max >>> 5) + 1);
  for (const id of termIds) {
    bits[id >>> 5] |= 1 << (id & 31);
  }
  return buffer => {
    const held = new Map<number, number>();
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
    for (let offset = 0; offset + PAIR_BYTES <= buffer.length; offset += PAIR_BYTES) {
      const id = view.getUint32(offset, true);
      if (id <= max && (bits[id >>> 5] & (1 << (id & 31))) !== 0) {
        held.set(id, view.getUint32(offset + 4, true));
      }
    }
    return held;
  };
}
