import type { MergeChoice } from '../schemas/revisions';
import { isJsonObject, jsonKey } from './jsonEqual';
import { mergeByKey, pickChange } from './keyedMerge';

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
 * on both sides are merged inside (so two people adding different `jupyter` settings keep both). A list both sides
 * changed whose items are distinct (such as `tags`) is merged item by item, as nbdime does: items either side
 * removed go, items either side added are kept (local's first where both added at one place), as long as neither
 * side reordered the items it kept. Any other value both sides changed differently (a string, a list with repeated
 * items or reordered, a key one side removed and the other changed) is a conflict; `choose` says which side it
 * takes, local when it returns undefined or 'both'.
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
    return mergeByKey(base, local, remote, (key, b, l, r) => {
      const path = prefix + key;
      const picked = pickChange(b, l, r);
      if (picked) {
        return picked.value;
      }
      if (isJsonObject(l) && isJsonObject(r) && (b === undefined || isJsonObject(b))) {
        return merge((b ?? {}) as Record<string, unknown>, l, r, `${path}.`, choose, conflicts);
      }
      const items = Array.isArray(b) && Array.isArray(l) && Array.isArray(r) ? mergeItems(b, l, r) : null;
      if (items !== null) {
        return items;
      }
      conflicts.push({ key: path, base: b, local: l, remote: r });
      return choose(path) === 'remote' ? r : l;
    });
  }

  /**
   * Merge two edits of a list of distinct items as edits of a set that keeps its order: local's list without the
   * items remote removed, with the items only remote added each placed after the item before it on remote's side
   * (after local's own additions there). Null when an item repeats or a side reordered the base items it kept:
   * then which order is meant is the user's call.
   */
  function mergeItems(base: unknown[], local: unknown[], remote: unknown[]): unknown[] | null {
    const [b, l, r] = [base, local, remote].map(list => list.map(jsonKey));
    if ([b, l, r].some(keys => new Set(keys).size !== keys.length)) {
      return null;
    }
    const inBase = new Set(b);
    const keepsOrder = (keys: string[]): boolean => {
      const kept = new Set(keys);
      const order = b.filter(key => kept.has(key));
      const own = keys.filter(key => inBase.has(key));
      return order.every((key, i) => own[i] === key);
    };
    if (!keepsOrder(l) || !keepsOrder(r)) {
      return null;
    }
    const inRemote = new Set(r);
    const keys: string[] = [];
    const values: unknown[] = [];
    l.forEach((key, i) => {
      if (!inBase.has(key) || inRemote.has(key)) {
        keys.push(key);
        values.push(local[i]);
      }
    });
    r.forEach((key, j) => {
      if (inBase.has(key) || keys.includes(key)) {
        return;
      }
      let before = -1;
      for (let k = j - 1; k >= 0 && before === -1; k--) {
        before = keys.indexOf(r[k]);
      }
      let at = before + 1;
      // Local's additions at the same place come first.
      while (at < keys.length && !inBase.has(keys[at]) && !inRemote.has(keys[at])) {
        at++;
      }
      keys.splice(at, 0, key);
      values.splice(at, 0, remote[j]);
    });
    return values;
  }
}
