import type { MergeChoice } from '../schemas/revisions';
import { isJsonObject, jsonEqual } from './jsonEqual';

/** A metadata key both sides changed differently; a side's value is `undefined` where the key is absent. */
export interface IMetadataConflict {
  /** Dotted path of the key, such as `jupyter.source_hidden`. */
  key: string;
  base: unknown;
  local: unknown;
  remote: unknown;
}

/** The outcome of {@link mergeMetadata}. */
export interface IMetadataMergeResult {
  value: Record<string, unknown>;
  /** Every key changed differently on both sides, settled or not. */
  conflicts: IMetadataConflict[];
}

/**
 * Three-way merge of metadata, key by key: a key only one side changed takes that side's value, and objects changed
 * on both sides are merged inside (so two people adding different `jupyter` settings keep both). Any other value
 * both sides changed differently (a list such as `tags`, a string, a key one side removed and the other changed)
 * is a conflict; `choose` says which side it takes, local when it returns undefined or 'both'.
 */
export function mergeMetadata(
  base: Record<string, unknown>,
  local: Record<string, unknown>,
  remote: Record<string, unknown>,
  choose: (key: string) => MergeChoice | undefined
): IMetadataMergeResult {
  const conflicts: IMetadataConflict[] = [];
  const value = Private.merge(base, local, remote, '', choose, conflicts);
  return { value, conflicts };
}

namespace Private {
  export function merge(
    base: Record<string, unknown>,
    local: Record<string, unknown>,
    remote: Record<string, unknown>,
    prefix: string,
    choose: (key: string) => MergeChoice | undefined,
    conflicts: IMetadataConflict[]
  ): Record<string, unknown> {
    const keys = [
      ...Object.keys(local),
      ...Object.keys(remote).filter(key => !Object.hasOwn(local, key)),
      ...Object.keys(base).filter(key => !Object.hasOwn(local, key) && !Object.hasOwn(remote, key))
    ];
    const entries: Array<[string, unknown]> = [];
    for (const key of keys) {
      const path = prefix + key;
      const b = Object.hasOwn(base, key) ? base[key] : undefined;
      const l = Object.hasOwn(local, key) ? local[key] : undefined;
      const r = Object.hasOwn(remote, key) ? remote[key] : undefined;
      let merged: unknown;
      if (jsonEqual(l, r) || jsonEqual(r, b)) {
        merged = l;
      } else if (jsonEqual(l, b)) {
        merged = r;
      } else if (isJsonObject(l) && isJsonObject(r) && (b === undefined || isJsonObject(b))) {
        merged = merge((b ?? {}) as Record<string, unknown>, l, r, `${path}.`, choose, conflicts);
      } else {
        conflicts.push({ key: path, base: b, local: l, remote: r });
        merged = choose(path) === 'remote' ? r : l;
      }
      if (merged !== undefined) {
        entries.push([key, merged]);
      }
    }
    // Object.fromEntries keeps a "__proto__" key a key.
    return Object.fromEntries(entries);
  }
}
