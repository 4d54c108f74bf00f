import { parseNotebook, serializeNotebook, stripNotebook, STRIPPED_CELL_METADATA } from '../src';
import type { INotebook } from '../src';
import { readFixture, validFixtures } from './fixtures';

/** nbstripout expectations produced with its default options; nbstripout renumbers ids, we keep them. */
const NBSTRIPOUT_DEFAULTS: Array<[string, string]> = [
  ['test_drop_empty_cells.ipynb', 'test_drop_empty_cells_dontdrop.ipynb.expected'],
  ['test_drop_tagged_cells.ipynb', 'test_drop_tagged_cells_dontdrop.ipynb.expected'],
  ['test_empty_metadata.ipynb', 'test_empty_metadata.ipynb.expected'],
  ['test_execution_timing.ipynb', 'test_execution_timing.ipynb.expected'],
  ['test_nbformat45.ipynb', 'test_nbformat45.ipynb.expected'],
  ['test_unicode.ipynb', 'test_unicode.ipynb.expected'],
  ['test_widgets.ipynb', 'test_widgets.ipynb.expected']
];

function stripText(text: string): string {
  return serializeNotebook(stripNotebook(parseNotebook(text)));
}

/**
 * Fixtures that nbformat's own writer does not reproduce byte for byte (checked with nbformat 5.11.1's
 * `nbformat.write`), because people or other tools wrote them; every other valid fixture is Jupyter's output.
 */
const NOT_WRITTEN_BY_JUPYTER = new Set([
  'nbdime/apap--1.ipynb',
  'nbdime/apap--2.ipynb',
  'nbdime/apap--3.ipynb',
  'nbdime/apap.ipynb',
  'nbdime/attachment--change_attachment.ipynb',
  'nbdime/attachment--empty_attachments_list.ipynb',
  'nbdime/attachment.ipynb',
  'nbdime/cellids--base.ipynb',
  'nbdime/empty.ipynb',
  'nbdime/mixed-conflicts--2.ipynb',
  'nbdime/mixed-conflicts--3.ipynb',
  'nbdime/multi_cell_nb--local.ipynb',
  'nbdime/multi_cell_nb--remote.ipynb',
  'nbdime/multi_cell_nb.ipynb',
  'nbdime/single_cell_nb--json_output.ipynb',
  'nbdime/single_cell_nb--json_output_changed.ipynb',
  'nbformat/test4.ipynb',
  'nbformat/test4docinfo.ipynb',
  'nbformat/test4plus.ipynb',
  'nbformat/v4_5_no_cell_id.ipynb',
  'nbstripout/test_metadata_period.ipynb'
]);

/** A valid fixture, parsed; a fixture that does not parse fails the test that reads it, naming the file. */
function parseFixture(name: string): INotebook {
  try {
    return parseNotebook(readFixture(name));
  } catch (err) {
    throw new Error(`fixture ${name} should be a valid notebook but does not parse: ${(err as Error).message}`);
  }
}

function withoutIds(text: string): string {
  return text.replace(/"id": "[^"]*"/g, '"id": "<id>"');
}

describe('stripNotebook', () => {
  it.each(NBSTRIPOUT_DEFAULTS)('strips %s exactly as nbstripout does (ids aside)', (input, expected) => {
    const ours = stripText(readFixture(`nbstripout/${input}`));
    expect(withoutIds(ours)).toBe(withoutIds(readFixture(`nbstripout/${expected}`)));
  });

  it('keeps cell ids unchanged where nbstripout would renumber them', () => {
    const original = parseNotebook(readFixture('nbstripout/test_nbformat45.ipynb'));
    const stripped = stripNotebook(original);
    expect(stripped.cells.map(c => c.id)).toEqual(original.cells.map(c => c.id));
  });

  it('strips outputs even where nbstripout would keep them (keep_output metadata)', () => {
    const stripped = stripNotebook(parseNotebook(readFixture('nbstripout/test_metadata.ipynb')));
    for (const cell of stripped.cells) {
      if (cell.cell_type === 'code') {
        expect(cell.outputs).toEqual([]);
      }
    }
  });

  const valid = validFixtures();

  it('checks a meaningful set of valid fixtures', () => {
    expect(valid.length).toBeGreaterThan(60);
  });

  it.each(valid)('%s: no outputs, counts or volatile metadata remain; everything else is unchanged', name => {
    const nb = parseFixture(name);
    const stripped = stripNotebook(nb);
    expect(stripped.metadata).not.toHaveProperty('widgets');
    expect(stripped.metadata).not.toHaveProperty('signature');
    expect(stripped.cells).toHaveLength(nb.cells.length);
    stripped.cells.forEach((cell, i) => {
      const original = nb.cells[i];
      expect(cell.source).toEqual(original.source);
      expect(cell.id).toEqual(original.id);
      expect(cell.cell_type).toBe(original.cell_type);
      if ('attachments' in original) {
        expect(cell.attachments).toEqual(original.attachments);
      }
      for (const key of STRIPPED_CELL_METADATA) {
        expect(cell.metadata).not.toHaveProperty(key);
      }
      const kept = Object.keys(original.metadata).filter(k => !STRIPPED_CELL_METADATA.includes(k));
      for (const key of kept) {
        expect(cell.metadata[key]).toEqual(original.metadata[key]);
      }
      if (cell.cell_type === 'code') {
        expect(cell.outputs).toEqual([]);
        expect(cell.execution_count).toBeNull();
      }
    });
  });

  it.each(valid)('%s: stripping twice gives the same bytes', name => {
    const nb = parseFixture(name);
    const once = serializeNotebook(stripNotebook(nb));
    expect(serializeNotebook(stripNotebook(parseNotebook(once)))).toBe(once);
  });

  it('removes the local gallery provenance but no other notebook metadata', () => {
    const nb = parseNotebook(readFixture('nbformat/test4.5.ipynb'));
    nb.metadata.gallery = { id: 'abc', revision: 'f'.repeat(40), server: 'http://127.0.0.1:8765' };
    nb.metadata.custom = { keep: true };
    const stripped = stripNotebook(nb);
    expect(stripped.metadata).not.toHaveProperty('gallery');
    expect(stripped.metadata.custom).toEqual({ keep: true });
    expect(stripped.metadata.kernelspec).toEqual(nb.metadata.kernelspec);
    expect(nb.metadata.gallery).toBeDefined();
  });

  it("drops the transient keys Jupyter's own writer drops (trusted, orig_nbformat)", () => {
    const nb = parseNotebook(
      readFixture('nbformat/no_min_version.ipynb').replace('"nbformat": 4', '"nbformat": 4, "nbformat_minor": 0')
    );
    expect(nb.metadata.orig_nbformat).toBeDefined();
    nb.cells[0].metadata.trusted = true;
    const stripped = stripNotebook(nb);
    expect(stripped.metadata).not.toHaveProperty('orig_nbformat');
    expect(stripped.cells[0].metadata).not.toHaveProperty('trusted');
    expect(stripped.metadata.language_info).toEqual(nb.metadata.language_info);
  });

  it('removes a printed secret from stream, display and error outputs', () => {
    const secret = 'SECRET-7f3a9';
    const nb = parseNotebook(readFixture('nbformat/test4.5.ipynb'));
    nb.cells.push({
      cell_type: 'code',
      id: 'leaky',
      source: `print("${secret}")`,
      metadata: { ExecuteTime: { start: 'now' } },
      execution_count: 3,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: `${secret}\n` },
        { output_type: 'display_data', data: { 'text/plain': secret }, metadata: {} },
        { output_type: 'error', ename: 'E', evalue: secret, traceback: [secret] }
      ]
    });
    const text = serializeNotebook(stripNotebook(nb));
    expect(text.split(secret)).toHaveLength(2);
    expect(text).toContain(`print(\\"${secret}\\")`);
  });
});

describe('serializeNotebook', () => {
  it('writes what Jupyter writes: sorted keys, one-space indent, lines as lists, final newline', () => {
    const nb = parseNotebook(
      JSON.stringify({
        nbformat_minor: 5,
        nbformat: 4,
        metadata: { z: 1, a: 2 },
        cells: [{ source: 'a\nb\r\nc', metadata: {}, id: 'x', cell_type: 'markdown' }]
      })
    );
    expect(serializeNotebook(nb)).toBe(
      [
        '{',
        ' "cells": [',
        '  {',
        '   "cell_type": "markdown",',
        '   "id": "x",',
        '   "metadata": {},',
        '   "source": [',
        '    "a\\n",',
        '    "b\\r\\n",',
        '    "c"',
        '   ]',
        '  }',
        ' ],',
        ' "metadata": {',
        '  "a": 2,',
        '  "z": 1',
        ' },',
        ' "nbformat": 4,',
        ' "nbformat_minor": 5',
        '}',
        ''
      ].join('\n')
    );
  });

  const writtenByJupyter = [
    ...validFixtures().filter(name => !NOT_WRITTEN_BY_JUPYTER.has(name)),
    ...NBSTRIPOUT_DEFAULTS.map(([, expected]) => `nbstripout/${expected}`)
  ];

  it.each(writtenByJupyter)('writes %s byte for byte as Jupyter wrote it', name => {
    const text = readFixture(name);
    expect(serializeNotebook(parseFixture(name))).toBe(text);
  });

  it('checks most valid fixtures byte for byte', () => {
    expect(writtenByJupyter.length).toBeGreaterThan(50);
  });
});
