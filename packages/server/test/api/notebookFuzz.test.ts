import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { seededRandom } from '../../bench/seededRandom';

/**
 * A seeded fuzz of the save API: at least 10,000 notebooks, each a real fixture with a few mutations, go through
 * `POST /api/notebooks` and `PUT /api/notebooks/:id`. No reply may be a 5xx, every refusal must be
 * `{ error, message }`, and every revision the server stored must pass Python's `nbformat.validate` (the
 * reference validator, from the project's .venv), read back through `GET /api/notebooks/:id/content`.
 * Set FUZZ_SEED to run another seed; a failure names the seed and the mutations of each bad notebook.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const MUTANTS = 10_000;
/** One notebook in this many is saved as a new notebook; the rest are new revisions of one already stored. */
const CREATE_EVERY = 40;
/** Sequences of mutants sent side by side; each has its own generator and notebooks. */
const LANES = 4;
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const VALIDATOR = path.join(__dirname, 'validate_notebooks.py');
/** A notebook nbformat must refuse (4.4 does not allow cell ids), written beside the stored ones. */
const CONTROL_FILE = 'control-invalid.ipynb';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Choices for mutations from a seeded generator, the same on every machine. */
class Random {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  /** One of `items`, which must not be empty. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new Error('nothing to pick from');
    }
    return items[this.int(items.length)];
  }

  /** One of `items`, or undefined when there is none. */
  maybe<T>(items: readonly T[]): T | undefined {
    return items[this.int(items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

let gallery: ITestGallery;
let token: string;

beforeAll(async () => {
  gallery = await startTestGallery();
  token = await gallery.login('fuzz');
}, 60_000);

afterAll(async () => {
  await gallery?.close();
});

it(
  'stores only notebooks that nbformat accepts, and answers every mutated notebook without a 5xx',
  async () => {
    if (!fs.existsSync(PYTHON)) {
      throw new Error(`${PYTHON} is missing: run scripts/test once (it creates .venv with nbformat), then this test`);
    }
    console.log(`notebook fuzz: seed ${SEED} (set FUZZ_SEED to run another)`);
    const bases = Private.fixtures();
    const lanes = await Promise.all(Array.from({ length: LANES }, (_, lane) => Private.runLane(lane, bases)));
    expect(lanes.flatMap(lane => lane.problems)).toEqual([]);

    const stored = lanes.flatMap(lane => lane.stored);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'notebook-fuzz-'));
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let index = lane; index < stored.length; index += LANES) {
          const { id, revision } = stored[index];
          const response = await gallery.request(token, {
            method: 'GET',
            url: `/api/notebooks/${id}/content?revision=${revision}`
          });
          expect(response.statusCode).toBe(200);
          fs.writeFileSync(path.join(directory, Private.fileName(index)), response.rawPayload);
        }
      })
    );
    fs.writeFileSync(path.join(directory, CONTROL_FILE), Private.controlNotebook(bases));

    const failures = Private.referenceFailures(directory);
    expect(failures.map(failure => failure.file)).toContain(CONTROL_FILE);
    const invalid = failures
      .filter(failure => failure.file !== CONTROL_FILE)
      .map(failure => `${failure.file} from ${stored[Number.parseInt(failure.file, 10)]?.label}: ${failure.error}`);
    expect(invalid).toEqual([]);
    fs.rmSync(directory, { recursive: true, force: true });

    console.log(`notebook fuzz: ${MUTANTS} notebooks sent, ${stored.length} revisions stored and validated`);
    expect(stored.length).toBeGreaterThan(MUTANTS / 10);
    // The case the fuzz was written for: 4.0-4.4 notebooks whose cells carry ids, stored (as 4.5).
    expect(stored.filter(revision => /ids on every cell of 4\.[0-4]/.test(revision.label)).length).toBeGreaterThan(20);
  },
  15 * 60_000
);

namespace Private {
  export interface IBase {
    name: string;
    /** The parsed fixture, or null for a fixture that is not JSON (sent as it is). */
    json: Json | null;
    text: string;
  }

  /** Marks a value written into the JSON text as it is: numbers JSON.stringify cannot write, deep nesting. */
  const RAW = '\u0001raw:';
  /** Marks a key that is written into the JSON text a second time, under its plain name. */
  const DUPLICATE = '\u0001dup:';

  export interface IStoredRevision {
    id: string;
    revision: string;
    /** Which mutant made it, to name it in a failure. */
    label: string;
  }

  export function fileName(index: number): string {
    return `${String(index).padStart(5, '0')}.ipynb`;
  }

  /**
   * One of {@link LANES} sequences of mutants, each with its own generator and its own notebooks, so the lanes can
   * run side by side (the server waits on git while another lane validates) and each lane stays reproducible.
   */
  export async function runLane(lane: number, bases: IBase[]) {
    const random = new Random(SEED + lane * 0x9e3779b9);
    const problems: string[] = [];
    const stored: IStoredRevision[] = [];
    const notebooks: Array<{ id: string; revision: string }> = [];
    for (let index = 0; index < MUTANTS / LANES; index++) {
      const base = random.pick(bases);
      const { text, mutations } = mutate(base, random);
      const label = `mutant ${lane}.${index} of seed ${SEED} (${base.name}: ${mutations.join(', ')})`;
      const target = index % CREATE_EVERY === 0 || notebooks.length === 0 ? undefined : random.pick(notebooks);
      const response = await gallery.request(token, {
        method: target ? 'PUT' : 'POST',
        url: target ? `/api/notebooks/${target.id}` : '/api/notebooks',
        headers: { 'content-type': 'application/json' },
        payload: target
          ? `{"baseRevision": ${JSON.stringify(target.revision)}, "notebook": ${text}}`
          : `{"title": "fuzz ${lane}.${index}", "notebook": ${text}}`
      });
      if (response.statusCode >= 500) {
        problems.push(`${label}: ${response.statusCode} ${response.body.slice(0, 300)}`);
      } else if (response.statusCode >= 300) {
        if (!isApiError(response.body)) {
          problems.push(`${label}: ${response.statusCode} is not {error, message}: ${response.body.slice(0, 300)}`);
        }
      } else {
        const saved = response.json() as { id: string; revision: string; changed: boolean };
        if (target) {
          target.revision = saved.revision;
        } else {
          notebooks.push({ id: saved.id, revision: saved.revision });
        }
        if (saved.changed) {
          stored.push({ id: saved.id, revision: saved.revision, label });
        }
      }
    }
    return { problems, stored };
  }

  export function fixtures(): IBase[] {
    return ['nbformat', 'nbstripout', 'nbdime', 'irkernel'].flatMap(folder =>
      fs
        .readdirSync(path.join(FIXTURES_DIR, folder))
        .filter(name => name.endsWith('.ipynb'))
        .map(name => {
          const text = fs.readFileSync(path.join(FIXTURES_DIR, folder, name), 'utf8');
          let json: Json | null = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          return { name: `${folder}/${name}`, json, text };
        })
    );
  }

  export function isApiError(body: string): boolean {
    try {
      const parsed = JSON.parse(body);
      return typeof parsed.error === 'string' && typeof parsed.message === 'string';
    } catch {
      return false;
    }
  }

  /** A real 4.5 notebook that claims to be 4.4, so its cell ids make it invalid: the validator must say so. */
  export function controlNotebook(bases: IBase[]): string {
    const base = bases.find(candidate => candidate.name === 'nbformat/test4.5.ipynb');
    return JSON.stringify({ ...(base?.json as JsonObject), nbformat_minor: 4 });
  }

  export function referenceFailures(directory: string): Array<{ file: string; error: string }> {
    const run = spawnSync(PYTHON, [VALIDATOR, directory], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) {
      throw new Error(`${VALIDATOR} failed (${run.status}): ${run.stderr}`);
    }
    return JSON.parse(run.stdout);
  }

  function isObject(value: Json | undefined): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** Sets a key, `__proto__` included, as an own key. */
  function setKey(object: JsonObject, key: string, value: Json): void {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }

  function raw(token: string): Json {
    return `${RAW}${token}`;
  }

  /** A value as a mutation's description shows it. */
  function shown(value: Json | undefined): string {
    return typeof value === 'string' && value.startsWith(RAW) ? value.slice(RAW.length) : String(JSON.stringify(value));
  }

  /** Every list and object inside `value` (itself included), down to a modest depth. */
  function containers(value: Json, found: Array<Json[] | JsonObject> = [], depth = 0): Array<Json[] | JsonObject> {
    if (typeof value === 'object' && value !== null && depth < 12) {
      found.push(value);
      for (const child of Array.isArray(value) ? value : Object.values(value)) {
        containers(child, found, depth + 1);
      }
    }
    return found;
  }

  function objects(value: Json): JsonObject[] {
    return containers(value).filter(isObject);
  }

  function cells(nb: Json): JsonObject[] {
    return isObject(nb) && Array.isArray(nb.cells) ? nb.cells.filter(isObject) : [];
  }

  function outputs(nb: Json): JsonObject[] {
    return cells(nb).flatMap(cell => (Array.isArray(cell.outputs) ? cell.outputs.filter(isObject) : []));
  }

  function metadataObjects(nb: Json): JsonObject[] {
    const all = [isObject(nb) ? nb.metadata : null, ...cells(nb).map(cell => cell.metadata)];
    return all.filter(isObject);
  }

  const ODD_NUMBERS: Json[] = [
    1e308,
    -0,
    2 ** 53,
    2 ** 53 + 2,
    -1,
    0.5,
    4.5,
    1e-7,
    5e-324,
    'NaN',
    'Infinity',
    '-0',
    '5',
    raw('1e400'),
    raw('-1e400'),
    raw('-0'),
    raw('-0.0'),
    raw('4.0'),
    raw('5.0'),
    raw('1E2'),
    raw('1e21'),
    raw('4.5'),
    raw('100000000000000000000000')
  ];

  const ODD_KEYS = [
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'prototype',
    'valueOf',
    'isPrototypeOf',
    'extra',
    '',
    ' ',
    'Id',
    'cell_type ',
    'outputs',
    'attachments',
    'execution_count',
    'id'
  ];

  const STRING_PIECES = [
    'a',
    'Z',
    ' ',
    '\n',
    '\r\n',
    '\t',
    '\u2028',
    '\ud800',
    '\udfff',
    '\u0000',
    'é',
    '😀',
    ',',
    '"',
    '\\',
    '$'
  ];

  function hugeString(random: Random): string {
    const length = random.pick([5_000, 50_000, 300_000]);
    const piece = Array.from({ length: 64 }, () => random.pick(STRING_PIECES)).join('');
    return piece.repeat(Math.ceil(length / piece.length));
  }

  function randomValue(random: Random, depth = 0): Json {
    switch (random.int(depth > 2 ? 7 : 9)) {
      case 0:
        return null;
      case 1:
        return random.chance(0.5);
      case 2:
        return random.pick(ODD_NUMBERS);
      case 3:
        return random.int(10);
      case 4:
        return random.pick(['', 'text', 'code', 'markdown', 'raw', 'stream', '$bad id', 'a,b', 'x'.repeat(65)]);
      case 5:
        return [];
      case 6:
        return {};
      case 7:
        return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
      default: {
        const object: JsonObject = {};
        for (let index = random.int(4); index > 0; index--) {
          setKey(object, random.pick(ODD_KEYS), randomValue(random, depth + 1));
        }
        return object;
      }
    }
  }

  /** Lists and objects nested `depth` deep, as raw text: JSON.stringify itself overflows the stack on the deepest. */
  function nested(depth: number): Json {
    const opening = Array.from({ length: depth }, (_, level) => (level % 2 ? '[' : '{"level": ')).join('');
    const closing = Array.from({ length: depth }, (_, level) => (level % 2 ? ']' : '}'))
      .reverse()
      .join('');
    return raw(`${opening}"bottom"${closing}`);
  }

  function validId(random: Random): string {
    return Array.from({ length: 1 + random.int(12) }, () => random.pick([...'abcXYZ019-_'])).join('');
  }

  /** One mutation of the notebook in `holder.nb`; returns what it did. */
  type Mutation = (holder: { nb: Json }, random: Random) => string;

  const MUTATIONS: Record<string, Mutation> = {
    'delete a key'({ nb }, random) {
      const object = random.maybe(objects(nb).filter(candidate => Object.keys(candidate).length > 0));
      if (!object) return 'nothing to delete';
      const key = random.pick(Object.keys(object));
      delete object[key];
      return `delete "${key}"`;
    },
    'duplicate a key'({ nb }, random) {
      const object = random.maybe(objects(nb).filter(candidate => Object.keys(candidate).length > 0));
      if (!object) return 'nothing to duplicate';
      const key = random.maybe(Object.keys(object).filter(name => /^[\w.\- /]*$/.test(name)));
      if (key === undefined) return 'no plain key';
      object[`${DUPLICATE}${key}`] = random.chance(0.5) ? object[key] : randomValue(random);
      return `duplicate "${key}"`;
    },
    'retype a value'({ nb }, random) {
      const container = random.maybe(containers(nb));
      if (!container) return 'nothing to retype';
      const value = randomValue(random);
      if (Array.isArray(container)) {
        if (container.length === 0) return 'empty list';
        container[random.int(container.length)] = value;
        return 'retype a list item';
      }
      const key = random.maybe(Object.keys(container));
      if (key === undefined) return 'empty object';
      container[key] = value;
      return `retype "${key}"`;
    },
    'odd number'({ nb }, random) {
      const value = random.pick(ODD_NUMBERS);
      const spot = random.int(4);
      if (!isObject(nb)) return 'not an object';
      if (spot === 0) {
        nb.nbformat_minor = value;
      } else if (spot === 1) {
        nb.nbformat = value;
      } else {
        const cell = random.maybe(cells(nb));
        if (!cell) return 'no cell';
        cell[spot === 2 ? 'execution_count' : 'id'] = value;
      }
      return `odd number ${shown(value)} at spot ${spot}`;
    },
    'wrong version'({ nb }, random) {
      if (!isObject(nb)) return 'not an object';
      if (random.chance(0.3)) {
        const value = random.pick<Json | undefined>([3, 5, '4', null, raw('4.0'), undefined]);
        if (value === undefined) delete nb.nbformat;
        else nb.nbformat = value;
        return `nbformat ${shown(value)}`;
      }
      const minor = random.pick<Json | undefined>([-1, 0, 1, 2, 3, 4, 5, 6, 7, 99, 1e308, 4.5, '5', null, undefined]);
      if (minor === undefined) delete nb.nbformat_minor;
      else nb.nbformat_minor = minor;
      return `nbformat_minor ${shown(minor)}`;
    },
    'cell ids'({ nb }, random) {
      const all = cells(nb);
      if (!isObject(nb) || all.length === 0) return 'no cells';
      const choice = random.int(6);
      if (choice === 0) {
        all.forEach(cell => (cell.id = validId(random) + all.indexOf(cell)));
        nb.nbformat_minor = random.int(6);
        return `ids on every cell of 4.${nb.nbformat_minor}`;
      }
      if (choice === 1) {
        all.forEach(cell => delete cell.id);
        return 'remove every id';
      }
      const cell = random.pick(all);
      if (choice === 2) {
        delete cell.id;
        return 'remove one id';
      }
      if (choice === 3) {
        cell.id = random.pick(all).id ?? 'same';
        random.pick(all).id = cell.id;
        return 'duplicate an id';
      }
      if (choice === 4) {
        cell.id = validId(random);
        return 'add one id';
      }
      cell.id = random.pick<Json>(['$bad', '', 'a'.repeat(65), 'a'.repeat(64), 123, null, 'a b', 'ünï', 'x\n', '-_-']);
      return `id ${shown(cell.id)}`;
    },
    'swap a cell type'({ nb }, random) {
      const cell = random.maybe(cells(nb));
      if (!cell) return 'no cell';
      cell.cell_type = random.pick(['code', 'markdown', 'raw', 'heading', 'future cell', '', 'Code']);
      return `cell_type ${cell.cell_type}`;
    },
    'outputs on markdown'({ nb }, random) {
      const cell = random.maybe(cells(nb));
      if (!cell) return 'no cell';
      cell.cell_type = random.pick(['markdown', 'raw']);
      cell.outputs = random.chance(0.5) ? [] : [{ output_type: 'stream', name: 'stdout', text: 'x' }];
      if (random.chance(0.3)) cell.execution_count = null;
      return `outputs on ${cell.cell_type}`;
    },
    'attachments on code'({ nb }, random) {
      const cell = random.maybe(cells(nb));
      if (!cell) return 'no cell';
      cell.cell_type = 'code';
      cell.outputs ??= [];
      cell.execution_count ??= null;
      cell.attachments = random.chance(0.5) ? {} : { 'a.png': { 'image/png': 'iVBOR' } };
      return 'attachments on code';
    },
    'unknown key'({ nb }, random) {
      const key = random.pick(ODD_KEYS);
      const spot = random.pick([
        isObject(nb) ? nb : undefined,
        random.maybe(cells(nb)),
        random.maybe(cells(nb)),
        random.maybe(outputs(nb)),
        random.maybe(metadataObjects(nb)),
        random.maybe(objects(nb))
      ]);
      if (!spot) return 'no object';
      setKey(spot, key, key === 'constructor' && random.chance(0.3) ? { prototype: {} } : randomValue(random));
      return `key "${key}"`;
    },
    'huge string'({ nb }, random) {
      const value = hugeString(random);
      const cell = random.maybe(cells(nb));
      if (cell && random.chance(0.7)) {
        cell.source = random.chance(0.5) ? value : [value, value.slice(0, 100)];
      } else {
        const metadata = random.maybe(metadataObjects(nb));
        if (!metadata) return 'no metadata';
        metadata.huge = value;
      }
      return `huge string of ${value.length}`;
    },
    'nested garbage'({ nb }, random) {
      const depth = random.pick([3, 20, 98, 99, 100, 101, 150, 600, 5000]);
      const target = random.chance(0.7) ? random.maybe(metadataObjects(nb)) : random.maybe(objects(nb));
      if (!target) return 'no object';
      target[random.pick(['deep', 'data', 'source', 'outputs', 'tags'])] = random.chance(0.5)
        ? nested(depth)
        : randomValue(random);
      return `nested ${depth}`;
    },
    'not an object'(holder, random) {
      const choice = random.int(4);
      if (choice === 0 || !isObject(holder.nb)) {
        holder.nb = random.pick<Json>([[], 'notebook', 42, null, true, [holder.nb]]);
        return 'notebook is not an object';
      }
      if (choice === 1) {
        holder.nb.cells = random.pick<Json>([{}, 'cells', null, 3]);
        return 'cells is not a list';
      }
      if (choice === 2) {
        holder.nb.metadata = random.pick<Json>([[], 'metadata', null, 0]);
        return 'metadata is not an object';
      }
      const all = holder.nb.cells;
      if (!Array.isArray(all) || all.length === 0) return 'no cells';
      all[random.int(all.length)] = random.pick<Json>([[], 'cell', null, 7]);
      return 'a cell is not an object';
    },
    'duplicate a cell'({ nb }, random) {
      const cell = random.maybe(cells(nb));
      if (!isObject(nb) || !Array.isArray(nb.cells) || !cell) return 'no cell';
      const copies = random.chance(0.1) ? 300 : 1;
      for (let index = 0; index < copies; index++) {
        nb.cells.push(JSON.parse(JSON.stringify(cell)));
      }
      return `duplicate a cell ${copies} times`;
    },
    'bad output'({ nb }, random) {
      const output = random.maybe(outputs(nb));
      if (!output) return 'no output';
      const choice = random.int(4);
      if (choice === 0) {
        output.output_type = random.pick(['pyout', 'stream', 'error', 'display_data', 'execute_result', 'future']);
      } else if (choice === 1) {
        const key = random.maybe(Object.keys(output));
        if (key !== undefined) delete output[key];
      } else if (choice === 2) {
        output.data = { 'text/plain': random.pick<Json>([7, ['a', 1], null, { a: 1 }]), 'application/json': { a: 1 } };
      } else {
        output.metadata = random.pick<Json>([[], 'x', null, {}]);
      }
      return `bad output ${choice}`;
    },
    'known metadata field'({ nb }, random) {
      if (!isObject(nb)) return 'not an object';
      const cell = random.maybe(cells(nb));
      const fields: Array<[JsonObject | undefined, string, Json]> = [
        [nb, 'kernelspec', random.pick<Json>([{}, { name: 1, display_name: 'x' }, 'python'])],
        [nb, 'language_info', random.pick<Json>([{ name: 2 }, { name: 'py', codemirror_mode: 3 }, {}])],
        [nb, 'authors', random.pick<Json>(['me', [{ name: 3 }], [1]])],
        [nb, 'title', random.pick<Json>([5, null, ''])],
        [nb, 'orig_nbformat', random.pick<Json>([0, 1e21, 'x', 3])],
        [cell, 'tags', random.pick<Json>([['a', 'a'], ['a,b'], [''], 'x', [1]])],
        [cell, 'name', random.pick<Json>(['', 'a\nb', 5, 'name'])],
        [cell, 'scrolled', random.pick<Json>(['yes', 'auto', 1])],
        [cell, 'collapsed', random.pick<Json>([1, 'true', true])],
        [cell, 'jupyter', random.pick<Json>(['x', { source_hidden: 'yes' }, {}])],
        [cell, 'execution', random.pick<Json>([{ 'iopub.status.busy': 5 }, 'x', {}])],
        [cell, 'format', random.pick<Json>([3, 'text/latex'])],
        [cell, 'deletable', random.pick<Json>(['no', false])]
      ];
      const [owner, key, value] = random.pick(fields);
      const metadata = owner === nb ? nb.metadata : owner?.metadata;
      if (!isObject(metadata)) return 'no metadata';
      setKey(metadata, key, value);
      return `metadata.${key} ${shown(value)}`;
    },
    'odd attachments'({ nb }, random) {
      const cell = random.maybe(cells(nb));
      if (!cell) return 'no cell';
      cell.cell_type = random.pick(['markdown', 'raw']);
      delete cell.outputs;
      delete cell.execution_count;
      const attachments: JsonObject = {};
      setKey(
        attachments,
        random.pick(['__proto__', 'constructor', 'a.png', '']),
        random.pick<Json>([
          { 'image/png': 5 },
          { 'application/json': { a: 1 } },
          { 'text/plain': ['a', 1] },
          { 'text/plain': 'a\nb' },
          {},
          'x'
        ])
      );
      cell.attachments = random.chance(0.2) ? 'x' : attachments;
      return 'odd attachments';
    },
    'newer minor version'({ nb }, random) {
      if (!isObject(nb)) return 'not an object';
      nb.nbformat_minor = random.pick([6, 7, 42]);
      const cell = random.maybe(cells(nb));
      if (cell && random.chance(0.5)) {
        cell.cell_type = 'future cell';
      }
      if (random.chance(0.5)) {
        setKey(nb, 'future_key', randomValue(random));
      }
      return `minor ${nb.nbformat_minor}`;
    }
  };

  /** How the JSON text itself may be broken after the mutations. */
  const TEXT_MUTATIONS: Record<string, (text: string, random: Random) => string> = {
    truncate: (text, random) => text.slice(0, random.int(text.length)),
    'trailing garbage': text => `${text}}`,
    'byte order mark': text => `\ufeff${text}`,
    empty: () => '',
    'literal null': () => 'null'
  };

  /** A mutated copy of a fixture as JSON text, and the names of its mutations. */
  export function mutate(base: IBase, random: Random): { text: string; mutations: string[] } {
    if (base.json === null) {
      return { text: base.text, mutations: ['not JSON'] };
    }
    const holder = { nb: JSON.parse(base.text) as Json };
    const names = Object.keys(MUTATIONS);
    const mutations: string[] = [];
    for (let count = 1 + random.int(3); count > 0; count--) {
      mutations.push(MUTATIONS[random.pick(names)](holder, random));
    }
    let text = JSON.stringify(holder.nb)
      .replace(/"\\u0001raw:((?:[^"\\]|\\")*)"/g, (_match, token: string) => token.replace(/\\"/g, '"'))
      .replace(/"\\u0001dup:([^"\\]*)"/g, '"$1"');
    if (random.chance(0.01)) {
      const name = random.pick(Object.keys(TEXT_MUTATIONS));
      text = TEXT_MUTATIONS[name](text, random);
      mutations.push(name);
    }
    return { text: text === '' ? '""' : text, mutations };
  }
}
