import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** Root of the real notebooks copied from nbformat, nbstripout, nbdime and IRkernel (see fixtures/README.md). */
export const FIXTURES = join(__dirname, 'fixtures');

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
