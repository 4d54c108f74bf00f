import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of `text` as UTF-8: how a health report names a cell's source (the extension agrees). */
export function sourceHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
