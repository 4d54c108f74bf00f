import { sqliteDatabase } from '@notebook-gallery/server';
import {
  notebookSearchText,
  type GroupRole,
  type INotebook,
  type INotebookSearchText,
  type Visibility
} from '@notebook-gallery/core';
import { openGallery, type IGallery } from '@notebook-gallery/server';
import { MIGRATIONS } from '@notebook-gallery/server/lib/db/migrations';
import { SqliteNotebookRepository } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteNotebookRepository';
import { SqliteSearchIndex } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteSearchIndex';
import { sqliteAccountRepositories } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteAccountRepositories';
import type { INewNotebook } from '@notebook-gallery/server/lib/repositories/notebookRepository';
import type { ISearchEntry } from '@notebook-gallery/server/lib/repositories/searchIndexRepository';
import { NO_PASSWORD } from '@notebook-gallery/server/lib/repositories/userRepository';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixed, now } from './measure';
import { SqliteUnitOfWork } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteUnitOfWork';
import { seededRandom as random } from './seededRandom';

/**
 * Raise when the generated content changes, so a cached gallery of the old shape is not measured as the new one.
 * The cache is a data directory in the temp dir named after this version and the size.
 */
export const GENERATOR_VERSION = 1;

/** The non-admin user searches and lists as; a member of a few groups, with some notebooks shared with them. */
export const READER = 'reader';
export const READER_PASSWORD = 'reader-password';

const USERS = 2_000;
const GROUPS = 150;
const REAL_NOTEBOOKS = 5;

/** A generated gallery in a data directory; `realIds` are notebooks saved through the service, with git history. */
export interface IGeneratedGallery {
  dataDir: string;
  size: number;
  /** Notebooks saved through the notebook service (real git repositories), readable by {@link READER}. */
  realIds: string[];
  /** A typical generated notebook, as the index would receive it on save. */
  sample(index: number): { id: string; entry: ISearchEntry; text: INotebookSearchText };
  /** How the gallery was obtained: generated now (with the time it took) or reused from the cache. */
  origin: string;
}

/**
 * A gallery of `size` generated notebooks: rows and search index written straight into SQLite through the
 * repositories, in transactions of a few thousand; no git repositories (search and listing never read git), except
 * for {@link REAL_NOTEBOOKS} notebooks saved through the service so content requests read real git. Cached in the
 * temp dir by size, {@link GENERATOR_VERSION} and `textScale`: how many times the usual number of markdown and code
 * cells each notebook has (1: about 6.5 kB of text, as before; 2: about 13 kB, the size of real notebooks).
 */
export async function generatedGallery(
  size: number,
  log: (line: string) => void,
  textScale = 1
): Promise<IGeneratedGallery> {
  // The schema version is in the name too: a gallery cached under an older schema would be migrated on open, and
  // the upgrade's backfills would look in git for generated notebooks that have none.
  const schema = MIGRATIONS[MIGRATIONS.length - 1].version;
  const scaled = textScale === 1 ? '' : `-text${textScale}`;
  const dataDir = path.join(
    os.tmpdir(),
    `gallery-bench-generated-v${GENERATOR_VERSION}-schema${schema}-${size}${scaled}`
  );
  const done = path.join(dataDir, 'generated.json');
  const generator = new NotebookGenerator(textScale);
  const sample = (index: number): ReturnType<IGeneratedGallery['sample']> => {
    const generated = generator.notebook(index);
    return { id: generated.row.id, entry: generated.entry, text: notebookSearchText(generated.notebook) };
  };
  if (fs.existsSync(done)) {
    const { realIds } = JSON.parse(fs.readFileSync(done, 'utf8')) as { realIds: string[] };
    return { dataDir, size, realIds, sample, origin: `reused the cached gallery in ${dataDir}` };
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const start = now();
  const gallery = await openGallery({ dataDir, fsync: false, defaultVisibility: 'public' });
  try {
    // A large page cache for the bulk load only: the index's b-trees are rewritten often while they grow.
    sqliteDatabase(gallery).pragma('cache_size = -262144');
    await gallery.accounts.add(READER, READER_PASSWORD);
    await insertAccounts(gallery, generator);
    const notebooks = new SqliteNotebookRepository(sqliteDatabase(gallery));
    const search = new SqliteSearchIndex(sqliteDatabase(gallery));
    const batch = 2_000;
    for (let first = 0; first < size; first += batch) {
      await new SqliteUnitOfWork(sqliteDatabase(gallery)).transaction(async () => {
        for (let index = first; index < Math.min(size, first + batch); index++) {
          const generated = generator.notebook(index);
          const seq = await notebooks.insert(generated.row);
          await search.put(seq, generated.entry, notebookSearchText(generated.notebook));
          if (generated.sharedWith.length > 0) {
            await notebooks.replaceShares(generated.row.id, generated.sharedWith);
          }
        }
      });
      if ((first / batch) % 10 === 9) {
        log(`  ${first + batch} notebooks (${fixed((now() - start) / 1000, 1)} s)`);
      }
    }
    const realIds: string[] = [];
    const caller = { user: { username: READER, isAdmin: false }, groups: await gallery.groups.rolesOf(READER) };
    for (let index = 0; index < REAL_NOTEBOOKS; index++) {
      const generated = generator.notebook(size + index);
      const saved = await gallery.notebooks.create(caller, {
        notebook: generated.notebook,
        title: generated.entry.title,
        description: generated.entry.description,
        tags: generated.entry.tags,
        visibility: 'private'
      });
      realIds.push(saved.id);
    }
    sqliteDatabase(gallery).pragma('optimize');
    sqliteDatabase(gallery).exec("INSERT INTO notebook_search(notebook_search) VALUES('optimize')");
    sqliteDatabase(gallery).pragma('wal_checkpoint(TRUNCATE)');
    fs.writeFileSync(done, JSON.stringify({ realIds }));
    const seconds = (now() - start) / 1000;
    const bytes = fs.statSync(path.join(dataDir, 'gallery.sqlite')).size;
    const text = sqliteDatabase(gallery)
      .prepare('SELECT avg(length(markdown)) AS markdown, avg(length(code)) AS code FROM notebook_search')
      .get() as { markdown: number; code: number };
    return {
      dataDir,
      size,
      realIds,
      sample,
      origin: `generated in ${fixed(seconds, 1)} s (${fixed(size / seconds, 0)} notebooks/s), database ${fixed(bytes / 1e6, 0)} MB, text per notebook ${fixed(text.markdown / 1000, 1)} kB markdown + ${fixed(text.code / 1000, 1)} kB code, cached in ${dataDir}`
    };
  } finally {
    await gallery.close();
  }
}

/** Users, groups and memberships, through the account repositories; the reader is in three groups. */
async function insertAccounts(gallery: IGallery, generator: NotebookGenerator): Promise<void> {
  const { users, groups } = sqliteAccountRepositories(sqliteDatabase(gallery));
  const createdAt = new Date(Date.UTC(2023, 0, 1)).toISOString();
  await new SqliteUnitOfWork(sqliteDatabase(gallery)).transaction(async () => {
    for (let index = 0; index < USERS; index++) {
      await users.insert({
        username: userName(index),
        passwordHash: NO_PASSWORD,
        isAdmin: false,
        email: null,
        createdAt
      });
    }
    for (let index = 0; index < GROUPS; index++) {
      await groups.insert(groupName(index), userName(index), createdAt);
      for (const member of generator.membersOf(index)) {
        await groups.setMember(groupName(index), userName(member), 'member' satisfies GroupRole);
      }
    }
    for (const index of [0, 7, 42]) {
      await groups.setMember(groupName(index), READER, 'member');
    }
  });
}

const userName = (index: number): string => `user${index}`;
const groupName = (index: number): string => `team${index}`;

/** Picks from a list with Zipf-like (rank-frequency 1 / (rank + 2.7)) probabilities, the first most often. */
class Zipf<T> {
  private readonly _cumulative: Float64Array;

  constructor(readonly items: readonly T[]) {
    this._cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((_item, rank) => {
      total += 1 / (rank + 2.7);
      this._cumulative[rank] = total;
    });
  }

  pick(next: () => number): T {
    const target = next() * this._cumulative[this._cumulative.length - 1];
    let low = 0;
    let high = this._cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this._cumulative[middle] < target) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return this.items[low];
  }
}

/** Real words of data-science notebooks, the most common first; the vocabulary's head. */
const COMMON_WORDS = (
  'data the of and to in a is for we this with as on that by from be are model value values it an results ' +
  'analysis dataset using use first plot each time function number can at which set training test columns column ' +
  'table features feature mean distribution code load new file files two example our average variable variables ' +
  'rows row figure sample samples step below above following show shows between per total count group groups ' +
  'regression linear error accuracy prediction predictions score scores train validation loss learning rate ' +
  'network layer layers input output parameters parameter fit fitting curve trend series date dates year years ' +
  'month daily weekly price prices sales customer customers users user city country region population income ' +
  'temperature weather climate energy sensor signal frequency image images pixel text words word document ' +
  'sentiment topic topics cluster clusters clustering classification classifier tree forest random boosting ' +
  'gradient matrix vector vectors correlation covariance variance standard deviation median quantile outliers ' +
  'missing cleaning clean merge join filter sort aggregate summary statistics statistical test hypothesis ' +
  'significance interval confidence bootstrap simulation probability bayesian posterior prior inference ' +
  'optimization objective constraint solver equation equations differential integration numerical method methods ' +
  'experiment experiments measurement measurements survey response responses category categories label labels ' +
  'map maps geographic location coordinates latitude longitude spatial network graph nodes edges path distance ' +
  'similarity embedding embeddings transformer attention sequence tokens language translation speech audio ' +
  'spectrum fourier wavelet filter noise smoothing forecast forecasting seasonal arima lag window rolling ' +
  'stock market portfolio returns risk volatility covid cases deaths vaccination hospital patients clinical ' +
  'gene expression protein cells cell genome sequencing species ecology satellite elevation raster pipeline ' +
  'database query sql api request json scraping web dashboard interactive widget report visualization chart ' +
  'histogram scatter heatmap bar line axis legend color colors style notebook tutorial introduction overview ' +
  'exercise solution homework lecture chapter part section conclusion discussion references appendix'
).split(/\s+/);

const SYLLABLES = 'ka ro ten mi sa lu ver dor an pel qui zo tra ben fu gal hom is nek op rim sul tav ux wen yor'.split(
  ' '
);

/** About 60,000 words: the common ones, then made-up ones for the long tail of names, places and identifiers. */
function vocabulary(): string[] {
  const words = [...new Set(COMMON_WORDS)];
  const seen = new Set(words);
  const next = random(1);
  while (words.length < 60_000) {
    const length = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < length; i++) {
      word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    }
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/** Imports as they appear in notebooks, the most common first: [import line, alias used in code]. */
const IMPORTS: readonly [string, string][] = [
  ['import pandas as pd', 'pd'],
  ['import numpy as np', 'np'],
  ['import matplotlib.pyplot as plt', 'plt'],
  ['import seaborn as sns', 'sns'],
  ['from sklearn.model_selection import train_test_split', 'train_test_split'],
  ['import os', 'os'],
  ['from scipy import stats', 'stats'],
  ['from sklearn.linear_model import LinearRegression', 'LinearRegression'],
  ['import json', 'json'],
  ['import requests', 'requests'],
  ['import torch', 'torch'],
  ['import tensorflow as tf', 'tf'],
  ['import statsmodels.api as sm', 'sm'],
  ['import plotly.express as px', 'px'],
  ['from sklearn.ensemble import RandomForestClassifier', 'RandomForestClassifier'],
  ['import re', 're'],
  ['from datetime import datetime', 'datetime'],
  ['import geopandas as gpd', 'gpd'],
  ['from sklearn.cluster import KMeans', 'KMeans'],
  ['import xgboost as xgb', 'xgb'],
  ['import nltk', 'nltk'],
  ['import folium', 'folium'],
  ['from tqdm import tqdm', 'tqdm'],
  ['import sqlalchemy', 'sqlalchemy'],
  ['import networkx as nx', 'nx'],
  ['from bs4 import BeautifulSoup', 'BeautifulSoup'],
  ['import altair as alt', 'alt'],
  ['import cv2', 'cv2'],
  ['from transformers import AutoTokenizer', 'AutoTokenizer'],
  ['import polars as pl', 'pl']
];

const TAGS = (
  'visualization pandas machine-learning tutorial statistics python data-cleaning deep-learning time-series ' +
  'regression classification nlp geospatial finance biology climate teaching exploratory dashboard sql ' +
  'clustering forecasting covid images web-scraping optimization bayesian physics economics health survey'
).split(' ');

const LANGUAGES: readonly [string, string][] = [
  ['python', 'python3'],
  ['python', 'python3'],
  ['python', 'python3'],
  ['python', 'python3'],
  ['python', 'python3'],
  ['python', 'python3'],
  ['python', 'python3'],
  ['python', 'python3'],
  ['r', 'ir'],
  ['julia', 'julia-1.9']
];

/** One generated notebook: its row, its index entry, the notebook itself and who it is shared with. */
interface IGeneratedNotebook {
  row: INewNotebook;
  entry: ISearchEntry;
  notebook: INotebook;
  sharedWith: { kind: 'user' | 'group'; name: string; role: 'reader' }[];
}

/** Generates notebook number `index`, the same every time. */
class NotebookGenerator {
  private readonly _words = new Zipf(vocabulary());
  private readonly _imports = new Zipf(IMPORTS);
  private readonly _tags = new Zipf([...TAGS, ...Array.from({ length: 300 }, (_tag, index) => `topic-${index}`)]);

  /** `textScale`: how many times the usual number of markdown and code cells a notebook has. */
  constructor(private readonly _textScale: number) {}

  membersOf(group: number): number[] {
    const next = random(1_000_000 + group);
    return Array.from({ length: 3 + Math.floor(next() * 30) }, () => Math.floor(next() * USERS));
  }

  notebook(index: number): IGeneratedNotebook {
    const next = random(7_919 * (index + 1));
    const words = (count: number, focus: readonly string[]): string =>
      Array.from({ length: count }, () =>
        next() < 0.25 ? focus[Math.floor(next() * focus.length)] : this._words.pick(next)
      ).join(' ');
    // A few words the notebook is about, repeated through it, as real notebooks repeat their subject.
    const focus = Array.from({ length: 4 }, () => this._words.pick(next));
    const imports = [...new Set(Array.from({ length: 2 + Math.floor(next() * 5) }, () => this._imports.pick(next)))];
    const title = capitalize(words(3 + Math.floor(next() * 4), focus));
    const markdown = Array.from({ length: (3 + Math.floor(next() * 8)) * this._textScale }, (_cell, cell) =>
      cell === 0 ? `# ${title}\n\n${words(20 + Math.floor(next() * 40), focus)}` : words(10 + next() * 90, focus)
    );
    const code = [
      imports.map(([line]) => line).join('\n'),
      ...Array.from({ length: (3 + Math.floor(next() * 10)) * this._textScale }, () =>
        Array.from({ length: 4 + Math.floor(next() * 12) }, () => codeLine(next, imports, focus, this._words)).join(
          '\n'
        )
      )
    ];
    const [language, kernel] = LANGUAGES[Math.floor(next() * LANGUAGES.length)];
    const notebook: INotebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: kernel, display_name: kernel, language }, language_info: { name: language } },
      cells: [
        ...markdown.map((source, cell) => ({ cell_type: 'markdown' as const, id: `md${cell}`, metadata: {}, source })),
        ...code.map((source, cell) => ({
          cell_type: 'code' as const,
          id: `code${cell}`,
          metadata: {},
          execution_count: null,
          source,
          outputs: []
        }))
      ]
    };
    const owner = Math.floor(next() * USERS);
    const groupOwned = next() < 0.1;
    const group = Math.floor(next() * GROUPS);
    const roll = next();
    const visibility: Visibility = groupOwned
      ? roll < 0.5
        ? 'group'
        : 'public'
      : roll < 0.55
        ? 'public'
        : roll < 0.8
          ? 'private'
          : 'group';
    const tags = [...new Set(Array.from({ length: Math.floor(next() * 5) }, () => this._tags.pick(next)))];
    const created = Date.UTC(2023, 0, 1) + Math.floor(next() * 3 * 365 * 86_400_000);
    const updated = created + Math.floor(next() * 90 * 86_400_000);
    const sha = hex(next, 40);
    const row: INewNotebook = {
      id: hex(next, 16),
      title,
      description: next() < 0.6 ? capitalize(words(8 + Math.floor(next() * 20), focus)) : '',
      tags,
      ownerKind: groupOwned ? 'group' : 'user',
      owner: userName(owner),
      visibility,
      group: groupOwned || visibility === 'group' ? groupName(group) : null,
      parent: null,
      revision: {
        number: 1 + Math.floor(next() * 5),
        sha,
        blobSha: hex(next, 40),
        author: userName(owner),
        message: `Update ${title}`,
        createdAt: new Date(updated).toISOString()
      }
    };
    // createdAt of the row is the first revision's time; the repository takes both from the revision.
    const sharedWith: IGeneratedNotebook['sharedWith'] =
      next() < 0.04
        ? [{ kind: 'user', name: next() < 0.2 ? READER : userName(Math.floor(next() * USERS)), role: 'reader' }]
        : [];
    return {
      row,
      entry: { title, description: row.description, tags, owner: groupOwned ? groupName(group) : userName(owner) },
      notebook,
      sharedWith
    };
  }
}

function codeLine(
  next: () => number,
  imports: readonly [string, string][],
  focus: readonly string[],
  words: Zipf<string>
): string {
  const name = (): string => (next() < 0.4 ? focus[Math.floor(next() * focus.length)] : words.pick(next));
  const alias = imports[Math.floor(next() * imports.length)][1];
  switch (Math.floor(next() * 6)) {
    case 0:
      return `df_${name()} = pd.read_csv("${name()}_${name()}.csv")`;
    case 1:
      return `${name()}_${name()} = ${alias}.${name()}(${name()}, ${name()}=${Math.floor(next() * 100)})`;
    case 2:
      return `# ${Array.from({ length: 3 + Math.floor(next() * 8) }, name).join(' ')}`;
    case 3:
      return `plt.plot(${name()}, ${name()}_${name()}, label="${name()}")`;
    case 4:
      return `for ${name()} in ${name()}_list:\n    print(${name()}.${name()}())`;
    default:
      return `model = ${alias}.${name()}(${name()}).fit(X_${name()}, y_${name()})`;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function hex(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    text += Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  }
  return text.slice(0, length);
}
