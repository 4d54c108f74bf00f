/**
 * The comments panel in jsdom, with JupyterLab's real rendermime and markdown parser, beside a fake gallery copy:
 * threads grouped by notebook, cell and outdated, sanitized bodies, and the box that writes on the active cell at
 * the copy's revision, or says why a cell added locally cannot be commented on yet.
 */
import type { ICommentListResponse } from '@notebook-gallery/core';
import { EditorLanguageRegistry } from '@jupyterlab/codemirror';
import { createMarkdownParser } from '@jupyterlab/markedparser-extension';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { RenderMimeRegistry, standardRendererFactories } from '@jupyterlab/rendermime';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { NotebookComments } from '../src/services/notebookComments';
import { CommentsPanel } from '../src/widgets/commentsPanel';
import { comment, REVISION, thread } from './commentFixtures';
import { FakeGallery, SERVER, clientFor, settle, storedNotebook, trans } from './helpers';

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories,
  markdownParser: createMarkdownParser(new EditorLanguageRegistry())
});

/** The gallery's revision of the copy has cells a, b and c; the copy has a, b, a cell added locally, and c. */
const GALLERY_CELLS = storedNotebook('x = 1', 'y = 2', 'z = 3');
const LOCAL_CELLS = ['a', 'b', 'local', 'c'];

function listWithEveryState(): ICommentListResponse {
  const xss = thread('t-xss', 'a', 'current');
  xss.comment = comment('t-xss', 'a', {
    body: '**Bold** <img src="x" onerror="window.pwned = true"> <script>window.pwned = true</script>'
  });
  const onLines = thread('t-lines', 'a', 'current');
  onLines.comment.anchor = { ...onLines.comment.anchor!, lines: { from: 2, to: 4 } };
  return {
    revision: REVISION,
    threads: [thread('t-nb', null, 'notebook'), xss, thread('t-c', 'c', 'changed', 1), onLines],
    outdated: [thread('t-gone', 'deleted', 'outdated')]
  };
}

/** A copy of gallery notebook nb-1 at REVISION, open and current, with cell `active` (0-based) active. */
function openCopy(active: number) {
  const widgets = LOCAL_CELLS.map(id => ({ model: { id } }));
  const panel = {
    context: { ready: Promise.resolve(), path: 'gallery/sales.ipynb' },
    model: { getMetadata: () => ({ id: 'nb-1', revision: REVISION, server: SERVER }) },
    content: { widgets, activeCell: widgets[active], activeCellIndex: active },
    title: { label: 'sales.ipynb' },
    isDisposed: false
  };
  const owner = {};
  const tracker = {
    currentWidget: panel,
    currentChanged: new Signal(owner),
    activeCellChanged: new Signal(owner)
  };
  return { panel, tracker };
}

async function showPanel(active: number, list = listWithEveryState()) {
  const gallery = new FakeGallery()
    .on('GET', '/api/notebooks/nb-1/comments', { status: 200, body: list })
    .on('GET', '/api/notebooks/nb-1/content', { status: 200, body: GALLERY_CELLS })
    .on('POST', '/api/notebooks/nb-1/comments', request => ({
      status: 201,
      body: comment('new', request.body.anchor?.cellId ?? null, { body: request.body.body })
    }))
    .on('PATCH', '/api/comments/t-nb', request => ({
      status: 200,
      body: comment('t-nb', null, { body: request.body.body })
    }))
    .on('POST', '/api/comments/t-nb/resolve', { status: 200, body: comment('t-nb', null, { resolved: true }) })
    .on('PATCH', '/api/comments/t-c', {
      status: 403,
      body: { error: 'FORBIDDEN', message: 'Only alice, who wrote comment "t-c", may edit it' }
    });
  const { client } = clientFor(gallery);
  const comments = new NotebookComments(client);
  const { panel: copy, tracker } = openCopy(active);
  const panel = new CommentsPanel({
    client,
    tracker: tracker as unknown as INotebookTracker,
    comments,
    trans,
    rendermime
  });
  Widget.attach(panel, document.body);
  await settle(20);
  return { gallery, panel, copy, tracker };
}

const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('CommentsPanel', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('lists notebook, cell and outdated threads, with the earlier version of a changed cell', async () => {
    const { panel } = await showPanel(0);
    const headings = [...panel.node.querySelectorAll('.jp-NotebookGallery-commentGroup > h3')].map(text);
    // Cell c is the fourth cell of the copy (after the one added locally).
    expect(headings).toEqual(['On the notebook', 'Cell 1', 'Cell 4', 'Outdated: on cells no longer in the notebook']);
    expect(panel.grouped?.cells.map(cell => cell.cellId)).toEqual(['a', 'c']);

    const changed = panel.node.querySelector('[data-comment-id="t-c"]')!;
    expect(text(changed.querySelector('summary'))).toBe('On an earlier version of this cell: show that version');
    expect(text(changed.querySelector('pre'))).toBe('old t-c');
    expect(changed.querySelectorAll('.jp-NotebookGallery-commentReplies .jp-NotebookGallery-comment')).toHaveLength(1);
    const outdated = panel.node.querySelector('.jp-mod-outdated [data-comment-id="t-gone"]')!;
    expect(text(outdated.querySelector('summary'))).toBe('On a cell that is no longer in the notebook: show it');
    const current = panel.node.querySelector('[data-comment-id="t-xss"]')!;
    expect(current.querySelector('summary')).toBeNull();
    expect(current.querySelector('.jp-NotebookGallery-commentLines')).toBeNull();
    expect(text(panel.node.querySelector('[data-comment-id="t-lines"] .jp-NotebookGallery-commentLines'))).toBe(
      'Lines 2–4'
    );
  });

  it('renders comment text as sanitized markdown', async () => {
    const { panel } = await showPanel(0);
    await settle(50);
    const body = panel.node.querySelector('[data-comment-id="t-xss"] .jp-NotebookGallery-commentBody')!;
    expect(body.querySelector('strong')?.textContent).toBe('Bold');
    expect(body.querySelector('script')).toBeNull();
    expect(body.innerHTML).not.toMatch(/onerror|pwned/);
  });

  it('writes on the active cell at the copy’s revision, and lists it', async () => {
    const { panel, gallery } = await showPanel(1);
    const onCell = panel.node.querySelector<HTMLInputElement>('.jp-NotebookGallery-commentTargets input')!;
    expect(onCell.checked).toBe(true);
    expect(text(onCell.parentElement)).toBe('Cell 2 (the active cell)');
    const box = panel.node.querySelector<HTMLTextAreaElement>('.jp-NotebookGallery-commentComposer textarea')!;
    box.value = 'Why 2, @alice?';
    panel.node.querySelector<HTMLFormElement>('.jp-NotebookGallery-commentComposer form')!.requestSubmit();
    await settle(20);

    expect(gallery.requests('POST', '/api/notebooks/nb-1/comments')[0].body).toEqual({
      body: 'Why 2, @alice?',
      anchor: { cellId: 'b', revision: REVISION }
    });
    expect(box.value).toBe('');
    // Posting reloads the threads.
    expect(gallery.requests('GET', '/api/notebooks/nb-1/comments')).toHaveLength(2);
  });

  it('says a cell added locally cannot be commented on yet, and sends nothing', async () => {
    const { panel, gallery } = await showPanel(2);
    const send = panel.node.querySelector<HTMLButtonElement>(
      '.jp-NotebookGallery-commentComposer button[type="submit"]'
    )!;
    expect(send.disabled).toBe(true);
    expect(text(panel.node.querySelector('.jp-NotebookGallery-commentComposer [role="alert"]'))).toBe(
      'Cell 3 is not in the gallery’s version of this notebook, so it cannot be commented on yet. Save the notebook to the gallery (or propose your changes) first, or comment on the whole notebook.'
    );
    const box = panel.node.querySelector<HTMLTextAreaElement>('.jp-NotebookGallery-commentComposer textarea')!;
    box.value = 'On my new cell';
    panel.node.querySelector<HTMLFormElement>('.jp-NotebookGallery-commentComposer form')!.requestSubmit();
    await settle(20);
    expect(gallery.requests('POST', '/api/notebooks/nb-1/comments')).toHaveLength(0);

    // The whole notebook can be commented on.
    const onNotebook = panel.node.querySelectorAll<HTMLInputElement>('.jp-NotebookGallery-commentTargets input')[1];
    onNotebook.checked = true;
    onNotebook.dispatchEvent(new Event('change'));
    await settle(20);
    expect(send.disabled).toBe(false);
    panel.node.querySelector<HTMLFormElement>('.jp-NotebookGallery-commentComposer form')!.requestSubmit();
    await settle(20);
    expect(gallery.requests('POST', '/api/notebooks/nb-1/comments')[0].body).toEqual({ body: 'On my new cell' });
  });

  it('replies, edits and resolves from a thread’s buttons, and shows why the server refused', async () => {
    const { panel, gallery } = await showPanel(0);
    const threadNode = () => panel.node.querySelector('[data-comment-id="t-nb"]')!;
    const button = (name: string, within: Element = threadNode()) =>
      [...within.querySelectorAll<HTMLButtonElement>('button')].find(
        node => (node.getAttribute('aria-label') ?? node.textContent) === name
      )!;

    button('Reply to alice').click();
    const reply = threadNode().querySelector<HTMLTextAreaElement>('textarea')!;
    expect(document.activeElement).toBe(reply);
    reply.value = 'Agreed';
    reply.closest('form')!.requestSubmit();
    await settle(20);
    expect(gallery.requests('POST', '/api/notebooks/nb-1/comments')[0].body).toEqual({
      body: 'Agreed',
      parentId: 't-nb'
    });
    // The box closed once the reply was taken.
    expect(threadNode().querySelector('textarea')).toBeNull();

    button('Edit your comment').click();
    const edit = threadNode().querySelector<HTMLTextAreaElement>('textarea')!;
    expect(edit.value).toBe('comment t-nb');
    edit.value = 'comment t-nb, clearer';
    edit.closest('form')!.requestSubmit();
    await settle(20);
    expect(gallery.requests('PATCH', '/api/comments/t-nb')[0].body).toEqual({ body: 'comment t-nb, clearer' });

    button('Resolve').click();
    await settle(20);
    expect(gallery.requests('POST', '/api/comments/t-nb/resolve')).toHaveLength(1);

    const changed = panel.node.querySelector('[data-comment-id="t-c"]')!;
    button('Edit your comment', changed).click();
    const refused = panel.node
      .querySelector('[data-comment-id="t-c"]')!
      .querySelector<HTMLTextAreaElement>('textarea')!;
    refused.closest('form')!.requestSubmit();
    await settle(20);
    expect(text(panel.node.querySelector('[data-comment-id="t-c"] [role="alert"]'))).toBe(
      'Only alice, who wrote comment "t-c", may edit it'
    );
    // Said once, in the box it concerns.
    expect(panel.node.textContent?.split('may edit it')).toHaveLength(2);
  });

  it('tells what to do when there are no comments yet', async () => {
    const { panel } = await showPanel(0, { revision: REVISION, threads: [], outdated: [] });
    expect(text(panel.node.querySelector('[role="status"]'))).toBe(
      'No comments yet. Pick a cell (or the whole notebook) and write the first one above.'
    );
  });
});
