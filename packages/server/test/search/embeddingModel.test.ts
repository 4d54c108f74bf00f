import { loadEmbeddingModel } from '../../src/search/embedding/embeddingThread';
import { readVocabulary } from '../../src/search/embedding/onnxEmbedder';
import type { ITextEmbedder } from '../../src/search/embedding/textEmbedder';
import { WordPieceTokenizer } from '../../src/search/embedding/wordPieceTokenizer';
import { cosine, quantize } from '../../src/search/embedding/notebookEmbeddings';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { embeddingModelDir } from '../helpers/embeddingModel';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/* The WordPiece tokenizer and the transformer, read from the packages scripts/lib.sh installs. */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'wordpiece');
const silent = { warn: jest.fn(), error: jest.fn() };
let tokenizer: WordPieceTokenizer;
let model: ITextEmbedder;

beforeAll(async () => {
  const dir = embeddingModelDir();
  tokenizer = new WordPieceTokenizer(readVocabulary(fs.readFileSync(path.join(dir, 'vocab.txt'), 'utf8')));
  const loaded = await loadEmbeddingModel(dir, silent);
  if (loaded === null) {
    throw new Error('the model did not load');
  }
  model = loaded;
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await model?.close();
});

// Ids from the vocabulary's tokenizer.json through Hugging Face `tokenizers` (fixtures/wordpiece/make_fixtures.py):
// punctuation, accents, CJK, emoji, whitespace runs, a word longer than 100 characters, an empty text.
const expectedIds = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'token-ids.json'), 'utf8')) as {
  text: string;
  ids: number[];
}[];

it.each(expectedIds.map(({ text, ids }) => [text, ids] as const))(
  'tokenizes %j as the reference tokenizer does',
  (text, ids) => {
    expect(tokenizer.encodeChunks(text, 10_000)).toEqual([ids]);
  }
);

it('cuts a long text into [CLS] … [SEP] inputs of at most the given length, and stops after the given count', () => {
  const text = 'alpha beta gamma delta epsilon '.repeat(20);
  const ids = tokenizer.encode(text);
  const chunks = tokenizer.encodeChunks(text, 16, 3);
  expect(chunks).toHaveLength(3);
  for (const chunk of chunks) {
    expect(chunk).toHaveLength(16);
    expect(chunk[0]).toBe(tokenizer.specials.cls);
    expect(chunk[15]).toBe(tokenizer.specials.sep);
  }
  expect(chunks.flatMap(chunk => chunk.slice(1, -1))).toEqual(ids.slice(0, 42));
});

// Python's onnxruntime on the same file: mean pooling over the tokens, L2 normalised (sentence-transformers' recipe).
const expectedVectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'embeddings.json'), 'utf8')) as {
  text: string;
  first8: number[];
}[];

it.each(expectedVectors.map(({ text, first8 }) => [text, first8] as const))(
  'embeds %j as the reference does',
  async (text, first8) => {
    const vector = await model.embed(text);
    first8.forEach((value, d) => expect(vector[d]).toBeCloseTo(value, 4));
  }
);

it('puts texts that mean the same closer than texts that do not', async () => {
  const query = await model.embed('classify images of handwritten numbers');
  const same = quantize(await model.embed('MNIST digit recognition with a classifier'));
  const other = quantize(await model.embed('reading shapefiles and joining polygons by location'));
  expect(cosine(query, same)).toBeGreaterThan(cosine(query, other) + 0.2);
});

it('gives unit vectors, and all zeros for a text without tokens', async () => {
  const vector = await model.embed('regression');
  expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  expect(model.dimensions).toBe(384);
  expect([...(await model.embed(''))].every(value => value === 0)).toBe(true);
  expect([...(await model.embed(' \n\t '))].every(value => value === 0)).toBe(true);
});
