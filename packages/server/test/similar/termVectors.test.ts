import { notebookSearchText, parseNotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  identifierParts,
  metadataTerms,
  strongestTerms,
  textTerms,
  type IWeightedTerm
} from '../../src/search/termVectors';

const weightOf = (terms: IWeightedTerm[], kind: string, term: string) =>
  terms.find(t => t.kind === kind && t.term === term)?.weight;

it('splits names in code at underscores, case changes and digits, keeping parts of 3 letters or more', () => {
  expect(identifierParts('plot_histogram')).toEqual(['plot', 'histogram']);
  expect(identifierParts('readCSVFile2D')).toEqual(['read', 'csv', 'file']);
  expect(identifierParts('HTTPServer')).toEqual(['http', 'server']);
  expect(identifierParts('df')).toEqual([]);
});

it('weighs packages above names and words, and leaves out keywords, aliases and stop words', () => {
  const text = notebookSearchText(
    parseNotebook(fs.readFileSync(path.join(__dirname, '../../examples/plotting-with-matplotlib.ipynb'), 'utf8'))
  );
  const terms = textTerms(text);
  expect(weightOf(terms, 'package', 'matplotlib')).toBe(4);
  expect(weightOf(terms, 'package', 'numpy')).toBe(4);
  // `heights` occurs 7 times (names and strings alike): 1 + ln 7.
  expect(weightOf(terms, 'identifier', 'heights')).toBeCloseTo(1 + Math.log(7));
  expect(weightOf(terms, 'identifier', 'hist')).toBe(1);
  expect(weightOf(terms, 'word', 'histogram')).toBeGreaterThan(0);
  for (const dropped of ['import', 'plt', 'np', 'the', 'and', 'x']) {
    expect(terms.filter(term => term.term === dropped)).toEqual([]);
  }
});

it('weighs title and tag words above description words', () => {
  const terms = metadataTerms({ title: 'Rainfall maps', description: 'Monthly rainfall in Lyon', tags: ['maps'] });
  expect(weightOf(terms, 'word', 'rainfall')).toBe(5);
  expect(weightOf(terms, 'word', 'maps')).toBe(6);
  expect(weightOf(terms, 'word', 'monthly')).toBe(2);
  expect(weightOf(terms, 'word', 'in')).toBeUndefined();
});

it('keeps the terms with the highest weight times idf, so a rare term beats a common one of equal weight', () => {
  const candidates: IWeightedTerm[] = [
    { kind: 'identifier', term: 'common', weight: 2 },
    { kind: 'identifier', term: 'rare', weight: 2 },
    { kind: 'identifier', term: 'light', weight: 0.1 }
  ];
  const documents = (terms: readonly IWeightedTerm[]) => terms.map(term => (term.term === 'common' ? 900 : 1));
  expect(strongestTerms(candidates, 1, 1000, documents).map(term => term.term)).toEqual(['rare']);
  expect(strongestTerms(candidates, 2, 1000, documents).map(term => term.term)).toEqual(['rare', 'common']);
});
