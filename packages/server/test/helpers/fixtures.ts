import * as fs from 'node:fs';
import * as path from 'node:path';

/** Real notebooks from jupyter/nbformat, nbstripout and nbdime, kept (with their licenses) by the core package. */
export const FIXTURES_DIR = path.join(__dirname, '..', '..', '..', 'core', 'test', 'fixtures');

/** A fixture's text, by path under the fixtures directory, e.g. `nbformat/test4.5.ipynb`. */
export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');
}

/** A fixture parsed as JSON. */
export function fixtureJson(name: string): Record<string, any> {
  return JSON.parse(fixtureText(name));
}

/** A small nbformat 4.5 notebook with an output and an execution count, varied by `text`. */
export function sampleNotebook(text: string, code = 'print(1)'): Record<string, any> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: [text] },
      {
        cell_type: 'code',
        id: 'code-1',
        metadata: {},
        execution_count: 3,
        source: code,
        outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\n'] }]
      }
    ]
  };
}
