import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** Root of the real notebooks copied from nbformat, nbstripout, nbdime and IRkernel (see fixtures/README.md). */
export const FIXTURES = join(__dirname, 'fixtures');

/** The fixture folders, one per source repository. */
export const FIXTURE_FOLDERS = ['nbformat', 'nbstripout', 'nbdime', 'irkernel'];

/**
 * Fixtures that are not acceptable nbformat 4 on purpose (broken, or nbformat 2 and 3); validate.test.ts checks
 * how each one is refused. Every other `.ipynb` fixture must be accepted.
 */
export const INVALID_FIXTURES: ReadonlySet<string> = new Set([
  'nbformat/invalid.ipynb',
  'nbformat/invalid_cell_id.ipynb',
  'nbformat/invalid_unique_cell_id.ipynb',
  'nbformat/no_min_version.ipynb',
  'nbformat/test2.ipynb',
  'nbformat/test3.ipynb',
  'nbformat/test3_no_metadata.ipynb',
  'nbformat/test3_no_min_version.ipynb',
  'nbformat/test3_no_worksheets.ipynb',
  'nbformat/test3_worksheet_with_no_cells.ipynb',
  'nbformat/v4_5_invalid_metadata.ipynb',
  'nbstripout/test_invalid_json.ipynb',
  'nbstripout/test_missing_nbformat.ipynb',
  'nbstripout/test_nbformat2.ipynb',
  'nbstripout/test_nochange.ipynb'
]);

/** Text of one fixture, by path relative to the fixtures folder. */
export function readFixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}

/** Every `.ipynb` in one fixture folder, as paths relative to the fixtures folder. */
export function fixturesIn(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter(name => name.endsWith('.ipynb'))
    .map(name => `${folder}/${name}`);
}

/** Every `.ipynb` fixture that is not in {@link INVALID_FIXTURES}. */
export function validFixtures(): string[] {
  return FIXTURE_FOLDERS.flatMap(fixturesIn).filter(name => !INVALID_FIXTURES.has(name));
}
