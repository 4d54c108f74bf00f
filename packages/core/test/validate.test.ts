import { ErrorCode, NotebookFormatError, parseNotebook, validateNotebook } from '../src';
import { fixturesIn, readFixture } from './fixtures';

/** Fixtures that are bad on purpose, with the error a user gets and where. */
const BAD: Array<[string, string, RegExp]> = [
  ['nbstripout/test_invalid_json.ipynb', ErrorCode.INVALID_JSON, /not valid JSON/],
  ['nbstripout/test_missing_nbformat.ipynb', ErrorCode.INVALID_NOTEBOOK, /^nbformat: .*add "nbformat": 4/],
  [
    'nbstripout/test_nbformat2.ipynb',
    ErrorCode.UNSUPPORTED_NBFORMAT,
    /nbformat 2 is too old.*nbconvert --to notebook --nbformat 4/
  ],
  ['nbformat/test2.ipynb', ErrorCode.UNSUPPORTED_NBFORMAT, /nbformat 2 is too old/],
  ['nbformat/test3.ipynb', ErrorCode.UNSUPPORTED_NBFORMAT, /nbformat 3 is too old.*JupyterLab/],
  ['nbformat/test3_no_metadata.ipynb', ErrorCode.UNSUPPORTED_NBFORMAT, /nbformat 3 is too old/],
  ['nbformat/test3_no_worksheets.ipynb', ErrorCode.UNSUPPORTED_NBFORMAT, /nbformat 3 is too old/],
  [
    'nbformat/invalid.ipynb',
    ErrorCode.INVALID_NOTEBOOK,
    /^cells\[\d+\]\.source: "source" must be a string or a list of strings/
  ],
  [
    'nbformat/invalid_cell_id.ipynb',
    ErrorCode.INVALID_CELL_ID,
    /^cells\[0\]\.id: "\$illegal_chars" is not a valid cell id/
  ],
  [
    'nbformat/invalid_unique_cell_id.ipynb',
    ErrorCode.DUPLICATE_CELL_ID,
    /^cells\[1\]\.id: cell id "dup" is already used by cells\[0\]/
  ],
  ['nbformat/no_min_version.ipynb', ErrorCode.INVALID_NOTEBOOK, /^nbformat_minor: "nbformat_minor" is required/],
  ['nbformat/v4_5_invalid_metadata.ipynb', ErrorCode.INVALID_NOTEBOOK, /^metadata\.kernelspec: must be an object/],
  [
    'nbstripout/test_nochange.ipynb',
    ErrorCode.INVALID_NOTEBOOK,
    /^cells\[1\]\.execution_count: a code cell needs "execution_count"/
  ]
];

const BAD_NAMES = new Set([
  ...BAD.map(([name]) => name),
  'nbformat/test3_no_min_version.ipynb',
  'nbformat/test3_worksheet_with_no_cells.ipynb'
]);

function errorOf(run: () => unknown): NotebookFormatError {
  try {
    run();
  } catch (err) {
    if (err instanceof NotebookFormatError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a NotebookFormatError');
}

describe('parseNotebook on real notebooks', () => {
  const good = ['nbformat', 'nbstripout', 'nbdime', 'irkernel']
    .flatMap(fixturesIn)
    .filter(name => !BAD_NAMES.has(name));

  it('has a meaningful set of valid fixtures', () => {
    expect(good.length).toBeGreaterThan(60);
  });

  it.each(good)('accepts %s and keeps every cell', name => {
    const text = readFixture(name);
    const nb = parseNotebook(text);
    expect(nb.nbformat).toBe(4);
    expect(nb.cells).toHaveLength(JSON.parse(text).cells.length);
  });

  it.each(BAD)('refuses %s with %s and says where', (name, code, message) => {
    const err = errorOf(() => parseNotebook(readFixture(name)));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('refuses the other nbformat 3 fixtures as too old', () => {
    for (const name of ['nbformat/test3_no_min_version.ipynb', 'nbformat/test3_worksheet_with_no_cells.ipynb']) {
      expect(errorOf(() => parseNotebook(readFixture(name))).code).toBe(ErrorCode.UNSUPPORTED_NBFORMAT);
    }
  });
});

describe('validateNotebook', () => {
  const minimal = (minor: number, cells: unknown[]) => ({ nbformat: 4, nbformat_minor: minor, metadata: {}, cells });
  const code = (extra: Record<string, unknown> = {}) => ({
    cell_type: 'code',
    source: 'x = 1',
    metadata: {},
    outputs: [],
    execution_count: null,
    ...extra
  });

  it('refuses JSON that is not a notebook', () => {
    for (const value of [[], 'text', 42, null, { name: 'package.json' }]) {
      expect(errorOf(() => validateNotebook(value)).code).toBe(ErrorCode.NOT_A_NOTEBOOK);
    }
  });

  it('refuses a future major nbformat', () => {
    const err = errorOf(() => validateNotebook({ ...minimal(0, []), nbformat: 5 }));
    expect(err.code).toBe(ErrorCode.UNSUPPORTED_NBFORMAT);
    expect(err.message).toMatch(/newer than this gallery understands/);
  });

  it('gives nbformat 4.5 cells without ids fresh unique ids, like nbformat normalize', () => {
    const nb = parseNotebook(readFixture('nbformat/v4_5_no_cell_id.ipynb'));
    const ids = nb.cells.map(cell => cell.id);
    expect(ids.every(id => typeof id === 'string' && /^[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps nbformat 4.0-4.4 cells without ids as they are', () => {
    const nb = validateNotebook(minimal(4, [code()]));
    expect(nb.cells[0]).not.toHaveProperty('id');
  });

  it('keeps existing ids and only fills in the missing ones', () => {
    const nb = validateNotebook(minimal(5, [code({ id: 'keep-me' }), code()]));
    expect(nb.cells[0].id).toBe('keep-me');
    expect(nb.cells[1].id).toMatch(/^[0-9a-f]{8}$/);
  });

  it('refuses cell ids that are too long', () => {
    const err = errorOf(() => validateNotebook(minimal(5, [code({ id: 'a'.repeat(65) })])));
    expect(err.code).toBe(ErrorCode.INVALID_CELL_ID);
    expect(err.path).toBe('cells[0].id');
  });

  it('names the cell and field of a bad source', () => {
    const err = errorOf(() => validateNotebook(minimal(4, [code(), code({ source: 7 })])));
    expect(err.message).toBe('cells[1].source: "source" must be a string or a list of strings');
  });

  it('keeps cell types from a newer nbformat minor version, as nbformat does', () => {
    const nb = parseNotebook(readFixture('nbformat/test4plus.ipynb'));
    expect(nb.cells.some(cell => (cell.cell_type as string) === 'future cell')).toBe(true);
  });

  it('refuses unknown cell types and bad outputs', () => {
    expect(errorOf(() => validateNotebook(minimal(4, [code({ cell_type: 'heading' })]))).path).toBe(
      'cells[0].cell_type'
    );
    expect(errorOf(() => validateNotebook(minimal(4, [code({ outputs: [{ output_type: 'pyout' }] })]))).path).toBe(
      'cells[0].outputs[0].output_type'
    );
  });

  it('does not modify its input and keeps unknown fields', () => {
    const input = { ...minimal(5, [code({ custom: { a: 1 } })]), extra_top_level: true };
    const before = JSON.stringify(input);
    const nb = validateNotebook(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(nb.extra_top_level).toBe(true);
    expect(nb.cells[0].custom).toEqual({ a: 1 });
  });
});
