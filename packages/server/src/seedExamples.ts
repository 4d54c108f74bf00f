import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICaller } from './auth/permissions';
import type { IGallery } from './compositionRoot';
import { InvalidRequestError } from './errors/InvalidRequestError';
import { PACKAGE_ROOT } from './version';

/** The example notebooks shipped in `examples/`, described by `examples/index.json`. */
export const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

/** One entry of `examples/index.json`. */
export interface IExampleEntry {
  file: string;
  title: string;
  description: string;
  tags: string[];
}

/** What seeding did. */
export interface ISeedReport {
  added: string[];
  skipped: string[];
}

/**
 * Adds each example notebook that the gallery does not have yet (matched by title), saved through the notebook
 * service as `owner` and public so every user sees them; running it twice adds nothing the second time.
 * @throws {InvalidRequestError} when `owner` is not a user.
 * @throws {NotebookFormatError} when an example file is not a valid notebook.
 */
export async function seedExamples(gallery: IGallery, owner: string, examplesDir = EXAMPLES_DIR): Promise<ISeedReport> {
  const user = await gallery.accounts.find(owner);
  if (!user) {
    throw new InvalidRequestError(`No user "${owner}"; add one first with: notebook-gallery user add ${owner}`);
  }
  const caller: ICaller = { user, groups: await gallery.groups.rolesOf(owner) };
  const entries = JSON.parse(fs.readFileSync(path.join(examplesDir, 'index.json'), 'utf8')) as IExampleEntry[];
  const report: ISeedReport = { added: [], skipped: [] };
  for (const entry of entries) {
    if (await gallery.notebooks.existsWithTitle(entry.title)) {
      report.skipped.push(entry.title);
      continue;
    }
    const text = fs.readFileSync(path.join(examplesDir, entry.file), 'utf8');
    await gallery.notebooks.create(caller, {
      notebook: JSON.parse(text),
      visibility: 'public',
      title: entry.title,
      description: entry.description,
      tags: entry.tags,
      message: `Add example "${entry.title}"`
    });
    report.added.push(entry.title);
  }
  return report;
}
