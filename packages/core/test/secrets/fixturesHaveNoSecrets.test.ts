import { scanNotebookSecrets } from '../../src';
import { FIXTURE_FOLDERS, fixturesIn, readFixture } from '../fixtures';

/**
 * False positives, measured: every real notebook among the fixtures (nbformat, nbstripout, nbdime, IRkernel)
 * must give no finding. The counts are printed so the closing note can quote them.
 */
describe('the secret check on the fixture notebooks', () => {
  it('finds nothing in any of them', () => {
    let notebooks = 0;
    let cells = 0;
    const findings: string[] = [];
    for (const path of FIXTURE_FOLDERS.flatMap(fixturesIn)) {
      let notebook: unknown;
      try {
        notebook = JSON.parse(readFixture(path));
      } catch {
        continue; // the fixtures that are broken JSON on purpose
      }
      notebooks++;
      const cellList = (notebook as { cells?: unknown }).cells;
      cells += Array.isArray(cellList) ? cellList.length : 0;
      const result = scanNotebookSecrets(notebook);
      expect(result.complete).toBe(true);
      findings.push(...result.findings.map(f => `${path} cell ${f.cellIndex} line ${f.line}: ${f.rule}`));
    }
    console.log(`secret check on core fixtures: ${notebooks} notebooks, ${cells} cells, ${findings.length} findings`);
    expect(notebooks).toBeGreaterThan(80);
    expect(findings).toEqual([]);
  });
});
