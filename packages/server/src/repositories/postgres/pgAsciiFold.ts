/**
 * `expr` with the ASCII letters lower-cased and nothing else, compared in byte order: SQLite's `COLLATE NOCASE` and
 * its `lower()` and `LIKE` fold only ASCII, where PostgreSQL's `lower()` folds every letter (`É` to `é`). Orders and
 * groups that must match SQLite's use this.
 */
export function foldAscii(expr: string): string {
  return `translate(${expr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C"`;
}
