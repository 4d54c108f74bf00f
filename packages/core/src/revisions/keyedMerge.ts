import { jsonEqual } from './jsonEqual';

/**
 * The three-way rule every merged value follows: what both sides agree on, or the change of the one side that made
 * one; null when both changed it differently, which the caller settles or reports as a conflict.
 */
export function pickChange(base: unknown, local: unknown, remote: unknown): { value: unknown } | null {
  if (jsonEqual(local, remote) || jsonEqual(remote, base)) {
    return { value: local };
  }
  if (jsonEqual(local, base)) {
    return { value: remote };
  }
  return null;
}

/**
 * Merge three objects key by key (metadata, a cell's attachments by file name): `mergeKey` gets each key's base,
 * local and remote values (`undefined` where absent) and answers the merged one, `undefined` to leave the key out.
 * Keys keep local's order, then remote's new ones, then base's; a `__proto__` key stays a key.
 */
export function mergeByKey(
  base: Record<string, unknown>,
  local: Record<string, unknown>,
  remote: Record<string, unknown>,
  mergeKey: (key: string, base: unknown, local: unknown, remote: unknown) => unknown
): Record<string, unknown> {
  const keys = [
    ...Object.keys(local),
    ...Object.keys(remote).filter(key => !Object.hasOwn(local, key)),
    ...Object.keys(base).filter(key => !Object.hasOwn(local, key) && !Object.hasOwn(remote, key))
  ];
  const entries: Array<[string, unknown]> = [];
  for (const key of keys) {
    const merged = mergeKey(key, valueOf(base, key), valueOf(local, key), valueOf(remote, key));
    if (merged !== undefined) {
      entries.push([key, merged]);
    }
  }
  return Object.fromEntries(entries);
}

function valueOf(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
