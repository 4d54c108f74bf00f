import type { IMetadataChange } from '../schemas/revisions';
import { isJsonObject, jsonEqual } from './jsonEqual';

/**
 * The keys whose values differ between two metadata objects, as dotted paths (`kernelspec.name`): nested objects
 * are compared key by key so a reader sees what changed inside them; lists and other values are compared whole.
 */
export function diffMetadata(from: Record<string, unknown>, to: Record<string, unknown>): IMetadataChange[] {
  const changes: IMetadataChange[] = [];
  Private.visit(from, to, '', changes);
  return changes;
}

namespace Private {
  export function visit(
    from: Record<string, unknown>,
    to: Record<string, unknown>,
    prefix: string,
    changes: IMetadataChange[]
  ): void {
    const keys = [...Object.keys(from), ...Object.keys(to).filter(key => !Object.hasOwn(from, key))];
    for (const key of keys) {
      const path = prefix + key;
      const inFrom = Object.hasOwn(from, key);
      const inTo = Object.hasOwn(to, key);
      if (!inTo) {
        changes.push({ key: path, op: 'removed', from: from[key] });
      } else if (!inFrom) {
        changes.push({ key: path, op: 'added', to: to[key] });
      } else if (isJsonObject(from[key]) && isJsonObject(to[key])) {
        visit(from[key] as Record<string, unknown>, to[key] as Record<string, unknown>, `${path}.`, changes);
      } else if (!jsonEqual(from[key], to[key])) {
        changes.push({ key: path, op: 'changed', from: from[key], to: to[key] });
      }
    }
  }
}
