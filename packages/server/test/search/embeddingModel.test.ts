import { loadEmbeddingModel, type ITextEmbedder } from '../../src/search/embedding/staticEmbedder';
import { BpeTokenizer } from '../../src/search/embedding/bpeTokenizer';
import { cosine, quantize } from '../../src/search/embedding/notebookEmbeddings';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { embeddingModelDir } from '../helpers/embeddingModel';

/* The tokenizer and the static model read from the package scripts/lib.sh installs. */

const silent = { warn: jest.fn(), error: jest.fn() };
let tokenizer: BpeTokenizer;
let model: ITextEmbedder;

beforeAll(() => {
  const dir = embeddingModelDir();
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  tokenizer = new BpeTokenizer(config.model);
  const loaded = loadEmbeddingModel(dir, silent);
  if (loaded === null) {
    throw new Error('the model did not load');
  }
  model = loaded;
});

// Ids from the package's tokenizer.json through Hugging Face `tokenizers` (encode, add_special_tokens=False).
it.each([
  ['Hello world', [15043, 3186]],
  [
    'read_csv with pandas: 3.14 ñandú 😀',
    [
      1303, 29918, 7638, 411, 11701, 29901, 29871, 29941, 29889, 29896, 29946, 29871, 30046, 392, 30030, 29871, 243,
      162, 155, 131
    ]
  ],
  ['fit  a line\nthrough noisy points', [6216, 29871, 263, 1196, 13, 20678, 694, 13344, 3291]]
])('tokenizes %j as the reference tokenizer does', (text, ids) => {
  expect(tokenizer.encode(text)).toEqual(ids);
});

it('puts texts that mean the same closer than texts that do not', () => {
  const query = model.embed('classify images of handwritten numbers');
  const same = quantize(model.embed('MNIST digit recognition with a classifier'));
  const other = quantize(model.embed('reading shapefiles and joining polygons by location'));
  expect(cosine(query, same)).toBeGreaterThan(cosine(query, other) + 0.05);
});

it('gives unit vectors, and all zeros for a text without tokens', () => {
  const vector = model.embed('regression');
  expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  expect(model.dimensions).toBe(256);
  expect([...model.embed('')].every(value => value === 0)).toBe(true);
});
