import type { IImportReport } from './importPipeline';
import type { ImportSourceKind } from './importSource';

/**
 * What an import of our own archive adds to the summary, in words: the accounts made without a password (and how
 * they get one), and what of the extras was left out; the same through `--data-dir` and `--server`.
 */
export function archiveNotes(kind: ImportSourceKind, report: IImportReport): string[] {
  if (kind !== 'gallery') {
    return [];
  }
  const lines: string[] = [];
  const users = [...new Set(report.items.flatMap(item => item.usersWithoutPassword ?? []))].sort();
  if (users.length > 0) {
    lines.push(
      `${users.length} ${users.length === 1 ? 'account was' : 'accounts were'} created without a password ` +
        `(single sign-on logins work; set one with "notebook-gallery user password NAME"): ${users.join(', ')}.`
    );
  }
  const restored = report.items.flatMap(item => (item.restored ? [item.restored] : []));
  const requests = restored.reduce((sum, item) => sum + item.changeRequests, 0);
  const comments = restored.reduce((sum, item) => sum + item.comments, 0);
  lines.push(`Restored ${requests} change requests and ${comments} comments, with shares and stars.`);
  for (const item of report.items) {
    for (const reason of item.restored?.notRestored ?? []) {
      lines.push(`not restored  ${item.path}: ${reason}`);
    }
  }
  return lines;
}
