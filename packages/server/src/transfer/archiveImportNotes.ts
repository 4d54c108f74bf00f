import type { IImportReport } from './importPipeline';
import type { ImportSourceKind } from './importSource';

/**
 * What an import of our own archive adds to the summary, in words: the accounts made without a password (and how
 * they get one), what of the extras was left out, and that the API target imports notebooks and revisions only.
 */
export function archiveNotes(kind: ImportSourceKind, throughServer: boolean, report: IImportReport): string[] {
  if (kind !== 'gallery') {
    return [];
  }
  if (throughServer) {
    return [
      'Through --server only notebooks and their revisions were imported; import the archive into a stopped ' +
        'gallery with --data-dir to bring its accounts, shares, stars, comments and change requests too.'
    ];
  }
  const lines: string[] = [];
  const users = [...new Set(report.items.flatMap(item => item.usersWithoutPassword ?? []))].sort();
  if (users.length > 0) {
    lines.push(
      `${users.length} accounts were created without a password, so they cannot log in with one (single sign-on ` +
        `logins work; no command sets a password on an existing account yet): ${users.join(', ')}.`
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
