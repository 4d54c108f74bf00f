import { scanNotebookSecrets, type INotebook, type ISecretFinding } from '@notebook-gallery/core';
import { proposeChanges } from '../src/commands/proposeChanges';
import { ConfirmedSecrets } from '../src/services/confirmedSecrets';
import { saveNotebook, type INotebookDetails, type ISavePrompts, type SaveDrafts } from '../src/services/saveFlow';
import type { SecretReview } from '../src/services/secretReview';
import {
  FakeGallery,
  MemoryStorage,
  SERVER,
  clientFor,
  summary,
  trans,
  type ISentRequest,
  type Reply
} from './helpers';

/** A GitHub token's shape, built from parts so no scanner flags this file. */
const TOKEN = ['ghp', '_', 'Zq3x9LmT2vRk8NwY4bHc', '6JdP1sUe7GaF0oKi'].join('');
const BASE = 'a'.repeat(40);

/** A notebook whose second cell holds the token on its second line. */
function notebook(provenance?: { id: string; revision: string; server: string }): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: provenance ? { gallery: provenance } : {},
    cells: [
      { id: 'c1', cell_type: 'markdown', metadata: {}, source: '# Pull requests' },
      {
        id: 'c2',
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source: `import requests\nheaders = {"Authorization": "token ${TOKEN}"}`
      }
    ]
  } as INotebook;
}

/** What the gallery's own check would answer: a finding the page's scan did not make. */
const SERVER_FINDING: ISecretFinding = {
  rule: 'server-only-rule',
  description: 'Internal service key',
  cellIndex: 0,
  cellId: 'c1',
  where: 'source',
  line: 1,
  column: 3,
  masked: 'Pu…ts',
  fingerprint: '9'.repeat(64)
};

const SECRETS_FOUND: Reply = {
  status: 422,
  body: { error: 'SECRETS_FOUND', message: 'The notebook holds possible secrets.', findings: [SERVER_FINDING] }
};

/**
 * Prompts that answer as a user would: in every dialog that lists secrets they mark them all "Not a secret", or
 * choose to fix the first one, as `decide` says for that round; `seen` records what each dialog listed.
 */
function deciding(decide: Array<'mark' | 'fix'>, details: Partial<INotebookDetails> = { title: 'PRs' }) {
  const seen: Array<{ findings: readonly ISecretFinding[]; initial: unknown }> = [];
  const answer = <T>(review: SecretReview | undefined, initial: unknown, value: T): T => {
    if (review) {
      seen.push({ findings: review.findings, initial });
      if (decide[seen.length - 1] === 'fix') {
        review.requestFix(review.findings[0]);
      } else {
        review.findings.forEach(finding => review.setMarked(finding, true));
      }
    }
    return value;
  };
  const ui: ISavePrompts = {
    notebookDetails: async (_heading, initial, _groups, _problems, secrets) =>
      answer(secrets, initial, { ...initial, ...details }),
    revisionMessage: async (_title, secrets, initial) => answer(secrets, initial, initial || 'tidied up'),
    confirmSaveAsNew: async () => true,
    proposeOrFork: async () => 'propose',
    proposalMessage: async (_summary, secrets, initial) => answer(secrets, initial, initial || 'Fixed the query'),
    resolveConflicts: async () => null
  };
  return { ui, seen };
}

function galleryForNew(create: Reply | ((request: ISentRequest) => Reply)): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/auth/config', { status: 200, body: { defaultVisibility: 'private' } })
    .on('GET', '/api/groups', { status: 200, body: { items: [] } })
    .on('POST', '/api/notebooks', create);
}

const created: Reply = { status: 201, body: { ...summary({ id: 'nb-new', title: 'PRs' }), changed: true } };

/** The token's fingerprint, from core's scanner as the page runs it. */
function tokenFinding(): ISecretFinding {
  const [finding] = scanNotebookSecrets(notebook()).findings;
  expect(finding).toBeDefined();
  return finding;
}

describe('possible secrets in what Save to Gallery sends', () => {
  it('lists what the scanner found and sends the fingerprints the user marked as not secrets', async () => {
    const gallery = galleryForNew(created);
    const { ui, seen } = deciding(['mark']);
    const outcome = await saveNotebook(
      { notebook: notebook(), name: 'x' },
      { client: clientFor(gallery).client, trans, prompts: ui }
    );

    expect(outcome?.kind).toBe('saved');
    expect(seen).toHaveLength(1);
    const [listed] = seen[0].findings;
    expect(listed).toMatchObject({ cellIndex: 1, line: 2, where: 'source' });
    expect(JSON.stringify(seen[0].findings)).not.toContain(TOKEN);
    const [upload] = gallery.requests('POST', '/api/notebooks');
    expect(upload.body.confirmedSecrets).toEqual([tokenFinding().fingerprint]);
  });

  it('sends no confirmations for a notebook without findings, and asks nothing about secrets', async () => {
    const clean = notebook();
    clean.cells[1].source = 'import requests';
    const gallery = galleryForNew(created);
    const { ui, seen } = deciding([]);
    await saveNotebook({ notebook: clean, name: 'x' }, { client: clientFor(gallery).client, trans, prompts: ui });
    expect(seen).toHaveLength(0);
    expect(gallery.requests('POST', '/api/notebooks')[0].body).not.toHaveProperty('confirmedSecrets');
  });

  it('on Fix uploads nothing, shows the finding, and offers what was typed on the next save', async () => {
    const gallery = galleryForNew(created);
    const drafts: SaveDrafts = new Map();
    const revealed: ISecretFinding[] = [];
    const first = deciding(['fix'], { title: 'Typed title', tags: ['github'] });
    const outcome = await saveNotebook(
      { notebook: notebook(), name: 'x', path: 'work/prs.ipynb' },
      { client: clientFor(gallery).client, trans, prompts: first.ui, drafts, revealFinding: f => revealed.push(f) }
    );
    expect(outcome).toBeNull();
    expect(gallery.requests('POST', '/api/notebooks')).toHaveLength(0);
    expect(revealed).toEqual([tokenFinding()]);

    const second = deciding(['mark'], {});
    await saveNotebook(
      { notebook: notebook(), name: 'x', path: 'work/prs.ipynb' },
      { client: clientFor(gallery).client, trans, prompts: second.ui, drafts }
    );
    expect(second.seen[0].initial).toMatchObject({ title: 'Typed title', tags: ['github'] });
    expect(gallery.requests('POST', '/api/notebooks')[0].body.title).toBe('Typed title');
    expect(drafts.size).toBe(0);
  });

  it('shows the gallery’s own findings (422 SECRETS_FOUND) in the dialog instead of an error, then saves', async () => {
    let tries = 0;
    const gallery = galleryForNew(() => (++tries === 1 ? SECRETS_FOUND : created));
    const { ui, seen } = deciding(['mark', 'mark']);
    const outcome = await saveNotebook(
      { notebook: notebook(), name: 'x' },
      { client: clientFor(gallery).client, trans, prompts: ui }
    );

    expect(outcome?.kind).toBe('saved');
    expect(seen[1].findings).toEqual([SERVER_FINDING]);
    expect(seen[1].initial).toMatchObject({ title: 'PRs' });
    const uploads = gallery.requests('POST', '/api/notebooks');
    expect(uploads).toHaveLength(2);
    expect(uploads[1].body.confirmedSecrets.sort()).toEqual([tokenFinding().fingerprint, '9'.repeat(64)].sort());
  });

  it('lists them with the message of a new version, and again with the message kept when the gallery finds more', async () => {
    let tries = 0;
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
      .on('GET', '/api/auth/config', { status: 200, body: {} })
      .on('PUT', '/api/notebooks/nb-1', () =>
        ++tries === 1 ? SECRETS_FOUND : { status: 200, body: { ...summary({ revisionNumber: 2 }), changed: true } }
      );
    const { ui, seen } = deciding(['mark', 'mark']);
    const outcome = await saveNotebook(
      { notebook: notebook({ id: 'nb-1', revision: BASE, server: SERVER }), name: 'x' },
      { client: clientFor(gallery).client, trans, prompts: ui }
    );
    expect(outcome?.kind).toBe('saved');
    expect(seen.map(round => round.findings[0].rule)).toEqual([tokenFinding().rule, 'server-only-rule']);
    expect(seen[1].initial).toBe('tidied up');
    const puts = gallery.requests('PUT', '/api/notebooks/nb-1');
    expect(puts[0].body.confirmedSecrets).toEqual([tokenFinding().fingerprint]);
    expect(puts[1].body).toMatchObject({ message: 'tidied up', baseRevision: BASE });
    expect(puts[1].body.confirmedSecrets).toHaveLength(2);
  });

  it('does not ask again, in this browser, about a value confirmed in an earlier save of the notebook', async () => {
    const storage = new MemoryStorage();
    const confirmed = new ConfirmedSecrets({ scope: '/lab-a/', storage });
    const first = deciding(['mark']);
    await saveNotebook(
      { notebook: notebook(), name: 'x' },
      { client: clientFor(galleryForNew(created)).client, trans, prompts: first.ui, confirmed }
    );
    expect(first.seen).toHaveLength(1);

    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-new', { status: 200, body: summary({ id: 'nb-new' }) })
      .on('GET', '/api/auth/config', { status: 200, body: {} })
      .on('PUT', '/api/notebooks/nb-new', { status: 200, body: { ...summary({ id: 'nb-new' }), changed: true } });
    const second = deciding([]);
    const outcome = await saveNotebook(
      { notebook: notebook({ id: 'nb-new', revision: BASE, server: SERVER }), name: 'x' },
      // Read back from storage, as after reloading the page.
      {
        client: clientFor(gallery).client,
        trans,
        prompts: second.ui,
        confirmed: new ConfirmedSecrets({ scope: '/lab-a/', storage })
      }
    );
    expect(outcome?.kind).toBe('saved');
    expect(second.seen).toHaveLength(0);
    expect(gallery.requests('PUT', '/api/notebooks/nb-new')[0].body).not.toHaveProperty('confirmedSecrets');
    // Only fingerprints are kept, never the value.
    expect(JSON.stringify([...Array(storage.length).keys()].map(i => storage.getItem(storage.key(i)!)))).not.toContain(
      TOKEN
    );
    // Another JupyterLab on the same origin (another hub user) keeps its own.
    expect(new ConfirmedSecrets({ scope: '/lab-b/', storage }).of(SERVER, 'nb-new')).toEqual([]);
  });

  it('lists them in a change request too, and sends nothing when the reader chooses to fix', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary({ canEdit: false, owner: 'bob' }) })
      .on('POST', '/api/notebooks/nb-1/change-requests', { status: 201, body: { id: 'cr-1' } });
    const { client } = clientFor(gallery);
    const drafts: SaveDrafts = new Map();
    const revealed: ISecretFinding[] = [];
    const copy = notebook({ id: 'nb-1', revision: BASE, server: SERVER });
    const fixing = deciding(['fix']);
    const options = {
      client,
      trans,
      drafts,
      draftKey: 'prs.ipynb',
      revealFinding: (finding: ISecretFinding) => revealed.push(finding)
    };
    const first = await proposeChanges(copy, { ...options, askMessage: fixing.ui.proposalMessage });
    expect(first).toBeNull();
    expect(revealed).toHaveLength(1);
    expect(gallery.requests('POST', '/api/notebooks/nb-1/change-requests')).toHaveLength(0);
    expect(drafts.get('prs.ipynb')?.message).toBe('Fixed the query');

    const marking = deciding(['mark']);
    await proposeChanges(copy, { ...options, askMessage: marking.ui.proposalMessage });
    expect(marking.seen[0].initial).toBe('Fixed the query');
    const [sent] = gallery.requests('POST', '/api/notebooks/nb-1/change-requests');
    expect(sent.body).toMatchObject({ message: 'Fixed the query', confirmedSecrets: [tokenFinding().fingerprint] });
  });
});
