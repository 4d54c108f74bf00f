import {
  checkNotebook,
  ErrorCode,
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  stripNotebook,
  validateNotebook
} from '../src';
import { INVALID_FIXTURES, readFixture, validFixtures } from './fixtures';

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

/** nbformat 3 fixtures refused as too old; the rest of the invalid fixtures are in {@link BAD}. */
const TOO_OLD = ['nbformat/test3_no_min_version.ipynb', 'nbformat/test3_worksheet_with_no_cells.ipynb'];

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
  const good = validFixtures();

  it('has a meaningful set of valid fixtures', () => {
    expect(good.length).toBeGreaterThan(60);
  });

  it('checks here how every invalid fixture is refused', () => {
    expect(new Set([...BAD.map(([name]) => name), ...TOO_OLD])).toEqual(INVALID_FIXTURES);
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
    for (const name of TOO_OLD) {
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

  it('refuses, in cell and output types from a newer minor version, the shapes Jupyter cannot read', () => {
    const future = (extra: Record<string, unknown>) => ({ cell_type: 'future cell', metadata: {}, ...extra });
    expect(errorOf(() => validateNotebook(minimal(7, [future({ source: ['a', 1] })]))).path).toBe('cells[0].source');
    expect(errorOf(() => validateNotebook(minimal(7, [future({ attachments: 'x' })]))).path).toBe(
      'cells[0].attachments'
    );
    const output = { output_type: 'future output', text: [{}] };
    expect(errorOf(() => validateNotebook(minimal(7, [code({ outputs: [output] })]))).path).toBe(
      'cells[0].outputs[0].text'
    );
    expect(errorOf(() => validateNotebook(minimal(7, [code({ attachments: 'x' })]))).path).toBe('cells[0].attachments');
    expect(validateNotebook(minimal(7, [future({ source: ['a'], anything: 1 })])).cells[0].anything).toBe(1);
  });

  it('refuses unknown cell types and bad outputs', () => {
    expect(errorOf(() => validateNotebook(minimal(4, [code({ cell_type: 'heading' })]))).path).toBe(
      'cells[0].cell_type'
    );
    expect(errorOf(() => validateNotebook(minimal(4, [code({ outputs: [{ output_type: 'pyout' }] })]))).path).toBe(
      'cells[0].outputs[0].output_type'
    );
  });

  it('does not modify its input and keeps unknown metadata, where nbformat allows any key', () => {
    const input = minimal(5, [code({ metadata: { custom: { a: 1 } } })]);
    input.metadata = { extra_top_level: true };
    const before = JSON.stringify(input);
    const nb = validateNotebook(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(nb.metadata.extra_top_level).toBe(true);
    expect(nb.cells[0].metadata.custom).toEqual({ a: 1 });
  });

  it('keeps unknown keys of a notebook from a newer nbformat minor version, as nbformat does', () => {
    const input = { ...minimal(6, [code({ custom: { a: 1 } })]), extra_top_level: true };
    const before = JSON.stringify(input);
    const nb = validateNotebook(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(nb.extra_top_level).toBe(true);
    expect(nb.cells[0].custom).toEqual({ a: 1 });
    expect(nb.nbformat_minor).toBe(6);
  });
});

describe('validateNotebook upgrades 4.0-4.4 notebooks whose cells carry ids, as nbformat does', () => {
  /** A real notebook with ids, as found in the wild: 4.5 content that still says an older minor version. */
  const withMinor = (minor: number) => ({
    ...JSON.parse(readFixture('nbformat/test4.5.ipynb')),
    nbformat_minor: minor
  });

  it.each([0, 1, 2, 3, 4])('makes 4.%i with ids a 4.5 notebook, keeping the ids and recording the old minor', minor => {
    const input = withMinor(minor);
    const nb = validateNotebook(input);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.orig_nbformat_minor).toBe(minor);
    expect(nb.cells.map(cell => cell.id)).toEqual(input.cells.map((cell: { id: string }) => cell.id));
    expect(input.nbformat_minor).toBe(minor);
  });

  it('gives the cells without ids fresh ids that differ from the kept ones', () => {
    const input = withMinor(4);
    delete input.cells[1].id;
    const nb = validateNotebook(input);
    expect(nb.cells[0].id).toBe(input.cells[0].id);
    expect(nb.cells[1].id).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(nb.cells.map(cell => cell.id)).size).toBe(nb.cells.length);
  });

  it('refuses invalid and duplicate ids as in 4.5', () => {
    const invalid = withMinor(3);
    invalid.cells[2].id = 'not valid!';
    expect(errorOf(() => validateNotebook(invalid))).toMatchObject({
      code: ErrorCode.INVALID_CELL_ID,
      path: 'cells[2].id'
    });
    const duplicate = withMinor(3);
    duplicate.cells[2].id = duplicate.cells[0].id;
    expect(errorOf(() => validateNotebook(duplicate))).toMatchObject({
      code: ErrorCode.DUPLICATE_CELL_ID,
      path: 'cells[2].id'
    });
  });

  it('stores the upgraded notebook as valid 4.5', () => {
    const text = serializeNotebook(stripNotebook(validateNotebook(withMinor(2))));
    expect(JSON.parse(text).nbformat_minor).toBe(5);
    expect(() => checkNotebook(JSON.parse(text))).not.toThrow();
  });
});

describe("validateNotebook checks nbformat's official schema and says where, in its own words", () => {
  const minimal = (minor: number, cells: unknown[]) => ({ nbformat: 4, nbformat_minor: minor, metadata: {}, cells });
  const markdown = (extra: Record<string, unknown> = {}) => ({
    cell_type: 'markdown',
    id: 'text',
    source: '# Title',
    metadata: {},
    ...extra
  });
  const code = (extra: Record<string, unknown> = {}) => ({
    cell_type: 'code',
    id: 'code',
    source: 'x = 1',
    metadata: {},
    outputs: [],
    execution_count: null,
    ...extra
  });
  const refusal = (value: unknown) => {
    const err = errorOf(() => validateNotebook(value));
    return { code: err.code, message: err.message };
  };
  const invalid = (message: string) => ({ code: ErrorCode.INVALID_NOTEBOOK, message });

  it.each([
    ['1e308', 1e308],
    ['4.5', 4.5],
    ['2^53', 2 ** 53],
    ['"5"', '5'],
    ['null', null]
  ])('refuses nbformat_minor %s', (_label, minor) => {
    const err = errorOf(() => validateNotebook({ ...minimal(0, []), nbformat_minor: minor }));
    expect(err.code).toBe(ErrorCode.INVALID_NOTEBOOK);
    expect(err.path).toBe('nbformat_minor');
    expect(err.message).toMatch(/^nbformat_minor: "nbformat_minor" must be a whole number/);
  });

  it('refuses outputs and an execution count on a markdown cell', () => {
    expect(refusal(minimal(5, [code(), markdown({ outputs: [] })]))).toEqual(
      invalid('cells[1]: a markdown cell cannot have "outputs"')
    );
    expect(refusal(minimal(4, [{ cell_type: 'raw', source: '', metadata: {}, execution_count: 1 }]))).toEqual(
      invalid('cells[0]: a raw cell cannot have "execution_count"')
    );
  });

  it('refuses attachments on a code cell', () => {
    expect(refusal(minimal(5, [code({ attachments: {} })]))).toEqual(
      invalid('cells[0]: a code cell cannot have "attachments"')
    );
  });

  it('refuses unknown cell keys, constructor and __proto__ included', () => {
    expect(refusal(minimal(5, [markdown(), markdown({ id: 'two', constructor: {} })]))).toEqual(
      invalid('cells[1]: unknown key "constructor"')
    );
    const text = JSON.stringify(minimal(5, [code()])).replace('"cell_type"', '"__proto__":{"x":1},"cell_type"');
    expect(errorOf(() => parseNotebook(text)).message).toBe('cells[0]: unknown key "__proto__"');
  });

  it('cuts a very long unknown key short in the message', () => {
    const err = errorOf(() => validateNotebook(minimal(5, [markdown({ ['k'.repeat(100_000)]: 1 })])));
    expect(err.message).toBe(`cells[0]: unknown key "${'k'.repeat(60)}…"`);
  });

  it('refuses unknown top-level keys', () => {
    expect(refusal({ ...minimal(5, []), worksheets: [] })).toEqual(invalid('unknown top-level key "worksheets"'));
  });

  it("turns the schema's other rules into messages with the path", () => {
    const stream = { output_type: 'stream', text: 'hi' };
    expect(refusal(minimal(4, [code({ id: undefined, outputs: [stream] })]))).toEqual(
      invalid('cells[0].outputs[0]: a stream output needs "name"')
    );
    expect(refusal(minimal(5, [markdown({ metadata: { tags: ['a', 'b', 'a'] } })]))).toEqual(
      invalid('cells[0].metadata.tags: must not repeat an item (items 0 and 2 are the same)')
    );
    expect(refusal(minimal(5, [markdown({ metadata: { tags: ['a,b'] } })]))).toEqual(
      invalid('cells[0].metadata.tags[0]: must be non-empty and must not contain a comma')
    );
    expect(refusal(minimal(5, [code({ metadata: { execution: { 'iopub.status.busy': 3 } } })]))).toEqual(
      invalid('cells[0].metadata.execution["iopub.status.busy"]: must be a string')
    );
    const codemirror = { name: 'python', codemirror_mode: 3 };
    expect(refusal({ ...minimal(5, []), metadata: { language_info: codemirror } })).toEqual(
      invalid('metadata.language_info.codemirror_mode: must be a string or an object')
    );
    const display = { output_type: 'display_data', data: { 'text/plain': 7 }, metadata: {} };
    expect(refusal(minimal(5, [code({ outputs: [display] })]))).toEqual(
      invalid('cells[0].outputs[0].data["text/plain"]: must be a string or a list of strings')
    );
  });

  it('refuses nesting deeper than Jupyter can read, with the path', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 200; level++) {
      deep = { a: deep };
    }
    const err = errorOf(() => validateNotebook({ ...minimal(5, []), metadata: { deep } }));
    expect(err.code).toBe(ErrorCode.INVALID_NOTEBOOK);
    expect(err.path).toMatch(/^metadata\.deep(\.a)+$/);
    expect(err.message).toMatch(/nest more than 100 levels deep/);
  });

  it('refuses values JSON cannot hold, instead of storing something else', () => {
    for (const value of [Number.NaN, Infinity, () => 1, BigInt(1)]) {
      const err = errorOf(() => validateNotebook({ ...minimal(5, []), metadata: { value } }));
      expect(err.path).toBe('metadata.value');
    }
  });
});

describe('checkNotebook and serializeNotebook: nothing invalid is written', () => {
  it('accepts what validateNotebook and stripNotebook make of every valid fixture', () => {
    for (const name of validFixtures()) {
      const stripped = stripNotebook(parseNotebook(readFixture(name)));
      expect(() => checkNotebook(stripped)).not.toThrow();
    }
  });

  it('refuses to write a notebook that became invalid after validation', () => {
    const nb = parseNotebook(readFixture('nbformat/test4.5.ipynb'));
    const markdownIndex = nb.cells.findIndex(cell => cell.cell_type === 'markdown');
    (nb.cells[markdownIndex] as Record<string, unknown>).outputs = [];
    const err = errorOf(() => serializeNotebook(stripNotebook(nb)));
    expect(err.code).toBe(ErrorCode.INVALID_NOTEBOOK);
    expect(err.message).toBe(`cells[${markdownIndex}]: a markdown cell cannot have "outputs"`);
  });

  it('refuses to write a 4.5 cell without an id, which validateNotebook would have given one', () => {
    const nb = parseNotebook(readFixture('nbformat/test4.5.ipynb'));
    delete nb.cells[1].id;
    expect(errorOf(() => serializeNotebook(nb))).toMatchObject({
      code: ErrorCode.INVALID_CELL_ID,
      path: 'cells[1].id'
    });
  });

  it('writes a "__proto__" metadata key as a key', () => {
    const text = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"__proto__": {"kept": true}}, "cells": []}';
    const written = JSON.parse(serializeNotebook(parseNotebook(text)));
    expect(Object.prototype.hasOwnProperty.call(written.metadata, '__proto__')).toBe(true);
    expect(written.metadata['__proto__']).toEqual({ kept: true });
  });
});
