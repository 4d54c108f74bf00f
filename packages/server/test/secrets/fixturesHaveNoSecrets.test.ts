import { scanNotebookSecrets } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SERVER = path.join(__dirname, '..', '..');

/** Every `.ipynb` under `folder`. */
function notebooksUnder(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter(name => name.endsWith('.ipynb'))
    .map(name => path.join(folder, name));
}

/**
 * False positives, measured on real notebooks: the search corpus (geopandas, handson-ml2, statsmodels, IRkernel),
 * the similarity fixture and the examples `seed` adds must give no finding. The counts are printed for the closing
 * note; core's test does the same for its fixtures.
 */
describe('the secret check on the server fixtures and the seeded examples', () => {
  it.each([
    ['search corpus', path.join(SERVER, 'test', 'fixtures', 'search-corpus')],
    ['similarity fixtures', path.join(SERVER, 'test', 'fixtures', 'similar')],
    ['seed examples', path.join(SERVER, 'examples')]
  ])('finds nothing in the %s', (name, folder) => {
    const files = notebooksUnder(folder);
    let cells = 0;
    let bytes = 0;
    const findings: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      bytes += text.length;
      const notebook = JSON.parse(text);
      cells += notebook.cells.length;
      const result = scanNotebookSecrets(notebook, { timeBudgetMs: 60_000 });
      expect(result.complete).toBe(true);
      findings.push(...result.findings.map(f => `${file} cell ${f.cellIndex} line ${f.line}: ${f.rule} ${f.masked}`));
    }
    console.log(
      `secret check on ${name}: ${files.length} notebooks, ${cells} cells, ` +
        `${(bytes / 1e6).toFixed(1)} MB, ${findings.length} findings`
    );
    expect(files.length).toBeGreaterThan(0);
    expect(findings).toEqual([]);
  });
});
