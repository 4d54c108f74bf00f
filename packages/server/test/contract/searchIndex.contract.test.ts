import { SNIPPET_LENGTH } from '../../src/search/snippet';
import { backendForTests, BACKENDS } from '../helpers/repositoryBackends';
import { callerOf, listingGallery } from './listingGallery';

/*
 * The search index kept current (ISearchIndex) over both backends: what a search finds after each kind of change,
 * the vocabulary typo correction relies on, saves running at once, and a huge notebook.
 */

const admin = callerOf('admin', true);

describe.each(BACKENDS)('the search index on %s', backend => {
  const opened = backendForTests(backend, listingGallery, async gallery => {
    await gallery.addUser('admin');
    await gallery.addUser('author');
  });

  const found = async (q: string) => (await opened.repos.reads.list(admin, { q, limit: 50 })).records.map(r => r.id);

  it('re-indexes metadata without losing the text, and a new owner', async () => {
    const seq = await opened.repos.addNotebook({
      id: 'meta',
      title: 'Wavelet transforms',
      owner: 'author',
      text: { code: 'coefficients = pywt.dwt(signal)' }
    });
    expect(await found('wavelet')).toEqual(['meta']);
    await opened.repos.search.putMetadata(seq, {
      title: 'Fourier series',
      description: 'Periodic signals',
      tags: ['dsp']
    });
    expect(await found('wavelet')).toEqual([]);
    expect(await found('fourier')).toEqual(['meta']);
    expect(await found('periodic')).toEqual(['meta']);
    expect(await found('dsp')).toEqual(['meta']);
    expect(await found('dwt')).toEqual(['meta']);
    await opened.repos.search.putOwner(seq, 'signalteam');
    expect(await found('signalteam')).toEqual(['meta']);
    expect(await found('fourier')).toEqual(['meta']);
    await opened.repos.search.remove(seq);
    expect(await found('fourier')).toEqual([]);
    expect(await found('dwt')).toEqual([]);
  });

  it('re-indexes a notebook put again, and leaves an unindexed one alone when its metadata changes', async () => {
    const seq = await opened.repos.addNotebook({ id: 'again', title: 'Gradient boosting', owner: 'author' });
    await opened.repos.search.put(
      seq,
      { title: 'Random forests', description: '', tags: [], owner: 'author' },
      { markdown: 'Bagging of trees', code: '', packages: ['sklearn'], language: 'python' }
    );
    expect(await found('gradient')).toEqual([]);
    expect(await found('bagging')).toEqual(['again']);
    expect(await found('package:sklearn')).toEqual(['again']);
    await opened.repos.search.remove(seq);
    await opened.repos.search.putMetadata(seq, { title: 'Gradient boosting', description: '', tags: [] });
    expect(await found('gradient')).toEqual([]);
  });

  it('forgets a word once no notebook holds it, so typo correction no longer treats it as known', async () => {
    // "pandsa" is in the vocabulary while a notebook holds it: typed, it matches that notebook only.
    await opened.repos.addNotebook({
      id: 'right',
      title: 'Data frames',
      owner: 'author',
      text: { code: 'import pandas' }
    });
    const typos = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const seqs = await Promise.all(
      typos.map(id =>
        opened.repos.addNotebook({ id, title: `Notes ${id}`, owner: 'author', text: { code: 'import pandsa' } })
      )
    );
    expect((await found('pandsa')).sort()).toEqual(typos);
    // Saved again at once without the typo (on PostgreSQL, concurrent transactions sharing vocabulary rows).
    await Promise.all(
      seqs.map((seq, index) =>
        opened.repos.search.put(
          seq,
          { title: `Notes ${typos[index]}`, description: '', tags: [], owner: 'author' },
          { markdown: '', code: 'import numpy', packages: ['numpy'], language: 'python' }
        )
      )
    );
    expect(await found('pandsa')).toEqual(['right']);
  });

  it('lists and clears the notebooks queued for their text', async () => {
    await opened.repos.run('INSERT INTO search_reindex_queue (notebook_id) VALUES (?)', ['queued-1']);
    await opened.repos.run('INSERT INTO search_reindex_queue (notebook_id) VALUES (?)', ['queued-2']);
    expect((await opened.repos.search.pendingText()).sort()).toEqual(['queued-1', 'queued-2']);
    await opened.repos.search.clearPending('queued-1');
    await opened.repos.search.clearPending('absent');
    expect(await opened.repos.search.pendingText()).toEqual(['queued-2']);
  });

  it('indexes a notebook of 50,000 cells of distinct names, and quotes a bounded snippet of it', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `value_${i} = compute(${i})`);
    lines[10] = 'needle = find(haystack)';
    lines[49_990] = 'lastword = 1';
    await opened.repos.addNotebook({
      id: 'huge',
      title: 'Generated cells',
      owner: 'author',
      text: { code: lines.join('\n') }
    });
    const page = await opened.repos.reads.list(admin, { q: 'needle', limit: 5 });
    expect(page.records.map(record => record.id)).toEqual(['huge']);
    const snippet = page.snippets.get('huge');
    expect(snippet?.text).toContain('needle');
    expect(snippet?.text.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    expect(await found('lastword')).toEqual(['huge']);
    expect(await found('generated')).toEqual(['huge']);
  });

  it('saves a notebook holding words too long to index, and finds it by its other words', async () => {
    // PostgreSQL refuses a lexeme over 2,046 bytes; SQLite indexes any length. Both must keep the notebook findable.
    const longAscii = 'a'.repeat(300_000);
    const longCyrillic = 'ж'.repeat(1_100);
    const seq = await opened.repos.addNotebook({
      id: 'longwords',
      title: `Blob ${longCyrillic}`,
      owner: 'author',
      text: { markdown: `Encoded ${longCyrillic} payload`, code: `data = "${longAscii}"\nneedlework = 1` }
    });
    expect(await found('needlework')).toEqual(['longwords']);
    expect(await found('payload')).toEqual(['longwords']);
    expect(await found('blob')).toEqual(['longwords']);
    await opened.repos.search.put(
      seq,
      { title: 'Blob again', description: longAscii, tags: [longCyrillic], owner: 'author' },
      { markdown: 'Encoded payload', code: '', packages: [longAscii, 'pywavelets'], language: 'python' }
    );
    await opened.repos.search.putMetadata(seq, {
      title: `Blob ${longAscii}`,
      description: longCyrillic,
      tags: [longAscii]
    });
    expect(await found('blob')).toEqual(['longwords']);
    expect(await found('package:pywavelets')).toEqual(['longwords']);
    expect(await found('payload')).toEqual(['longwords']);
  });

  it('saves a notebook whose text holds the NUL character, and finds it by the words around it', async () => {
    // JSON may carry U+0000 and PostgreSQL's text refuses it; it separates words, as it does for the tokenizer.
    const seq = await opened.repos.addNotebook({
      id: 'nul',
      title: 'Binary dump',
      owner: 'author',
      text: { markdown: 'raw\u0000bytes', code: 'header = b"magic\u0000number"' }
    });
    expect(await found('magic')).toEqual(['nul']);
    expect(await found('bytes')).toEqual(['nul']);
    expect(await found('dump')).toEqual(['nul']);
    await opened.repos.search.putMetadata(seq, {
      title: 'Binary\u0000file',
      description: 'zero\u0000terminated',
      tags: []
    });
    expect(await found('terminated')).toEqual(['nul']);
  });
});
