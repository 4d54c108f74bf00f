import { parseNotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Core's real notebook fixtures (paths from the compiled `bench/lib`). */
export const CORE_FIXTURES_DIR = path.join(__dirname, '..', '..', '..', 'core', 'test', 'fixtures');
/** The search relevance corpus: real notebooks of geopandas, handson-ml2, statsmodels and IRkernel. */
export const SEARCH_CORPUS_DIR = path.join(__dirname, '..', '..', 'test', 'fixtures', 'search-corpus');

/**
 * The text of every `.ipynb` under `dirs` that the gallery accepts (the fixtures include nbformat 3 and broken files
 * on purpose), for the throughput benches that measure real notebooks rather than generated ones.
 */
export function readRealNotebooks(...dirs: string[]): string[] {
  return dirs
    .flatMap(listNotebooks)
    .map(file => fs.readFileSync(file, 'utf8'))
    .filter(isAcceptedNotebook);
}

function listNotebooks(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listNotebooks(full) : entry.name.endsWith('.ipynb') ? [full] : [];
  });
}

function isAcceptedNotebook(text: string): boolean {
  try {
    parseNotebook(text);
    return true;
  } catch {
    return false;
  }
}
