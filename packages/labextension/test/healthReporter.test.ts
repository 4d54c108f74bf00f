import { Signal } from '@lumino/signaling';
import { createHash } from 'node:crypto';
import {
  HealthReporter,
  type ICellExecuted,
  type IReportedCellWidget,
  type IReportedNotebook
} from '../src/services/healthReporter';
import { clientFor, FakeGallery, REV1, REV2, SERVER, storedNotebook } from './helpers';

/* The opt-in health reporter: what it sends about runs of gallery notebooks, when, and what it never sends. */

const sha256 = async (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const CONTENT = '/api/notebooks/nb-1/content';
const HEALTH = '/api/notebooks/nb-1/health';

function cell(id: string, source: string, type = 'code'): IReportedCellWidget {
  return { model: { id, type, sharedModel: { getSource: () => source } } };
}

/** An open copy of gallery notebook nb-1 at `revision`: cells a, b, c as stored, and what the user has now. */
function openCopy(widgets: IReportedCellWidget[], provenance: Record<string, string> | null = { revision: REV1 }) {
  const notebook: IReportedNotebook = {
    isDisposed: false,
    model: {
      getMetadata: (key: string) =>
        key === 'gallery' && provenance ? { id: 'nb-1', server: SERVER, ...provenance } : undefined
    },
    widgets
  };
  return notebook;
}

function setup(options: { reportHealth?: boolean; loggedIn?: boolean; healthStatus?: number } = {}) {
  const gallery = new FakeGallery()
    .on('GET', CONTENT, request => ({
      status: 200,
      body: request.url.includes(REV2)
        ? storedNotebook('x = 1', 'y = x + 1')
        : storedNotebook('x = 1', 'y = x + 1', 'z = y / 0')
    }))
    .on('POST', HEALTH, { status: options.healthStatus ?? 204 });
  const { client } = clientFor(gallery, { loggedIn: options.loggedIn });
  const settings = { reportHealth: options.reportHealth ?? true };
  const executed = new Signal<unknown, ICellExecuted>({});
  const reporter = new HealthReporter({ client, settings, executed, delayMs: 30, digest: sha256 });
  const run = (notebook: IReportedNotebook, widget: IReportedCellWidget, success = true) =>
    executed.emit({ notebook, cell: widget, success });
  return { gallery, settings, reporter, run };
}

it('sends, after the run settles, the id, source hash and outcome of each unchanged code cell that ran', async () => {
  const { gallery, reporter, run } = setup();
  const [a, b, c] = [cell('a', 'x = 1'), cell('b', 'y = x + 1'), cell('c', 'z = y / 0')];
  const notebook = openCopy([cell('md', '# Title', 'markdown'), a, b, c]);
  run(notebook, a);
  run(notebook, b);
  run(notebook, c, false);
  await wait(10);
  expect(gallery.requests('POST', HEALTH)).toHaveLength(0);
  await wait(80);
  const sent = gallery.requests('POST', HEALTH);
  expect(sent).toHaveLength(1);
  expect(sent[0].body).toEqual({
    revision: REV1,
    total: 3,
    cells: [
      { id: 'a', sourceHash: await sha256('x = 1'), status: 'ok' },
      { id: 'b', sourceHash: await sha256('y = x + 1'), status: 'ok' },
      { id: 'c', sourceHash: await sha256('z = y / 0'), status: 'error' }
    ]
  });
  reporter.dispose();
});

it('leaves out cells the user changed or added, and sends nothing when no cell is the gallery’s', async () => {
  const { gallery, reporter, run } = setup();
  const edited = cell('b', 'y = x * 2');
  const added = cell('new', 'print(y)');
  const notebook = openCopy([cell('a', 'x = 1'), edited, added]);
  run(notebook, notebook.widgets[0]);
  run(notebook, edited);
  run(notebook, added, false);
  await reporter.flush();
  expect(gallery.requests('POST', HEALTH).map(request => request.body.cells)).toEqual([
    [{ id: 'a', sourceHash: await sha256('x = 1'), status: 'ok' }]
  ]);
  run(notebook, edited);
  await reporter.flush();
  expect(gallery.requests('POST', HEALTH)).toHaveLength(1);
  reporter.dispose();
});

it('keeps the latest outcome per cell, fetches each revision once, and starts over when the copy is saved as a new revision', async () => {
  const { gallery, reporter, run } = setup();
  const a = cell('a', 'x = 1');
  const provenance = { revision: REV1 };
  const notebook = openCopy([a], provenance);
  run(notebook, a, false);
  run(notebook, a);
  await reporter.flush();
  run(notebook, a);
  await reporter.flush();
  provenance.revision = REV2;
  run(notebook, a, false);
  await reporter.flush();
  expect(
    gallery.requests('POST', HEALTH).map(request => [request.body.revision, request.body.cells[0].status])
  ).toEqual([
    [REV1, 'ok'],
    [REV1, 'ok'],
    [REV2, 'error']
  ]);
  expect(gallery.requests('GET', CONTENT)).toHaveLength(2);
  reporter.dispose();
});

it('sends nothing unless the user opted in, is logged in, and the notebook came from this gallery', async () => {
  const a = cell('a', 'x = 1');
  const off = setup({ reportHealth: false });
  off.run(openCopy([a]), a);
  await off.reporter.flush();
  const loggedOut = setup({ loggedIn: false });
  loggedOut.run(openCopy([a]), a);
  await loggedOut.reporter.flush();
  const local = setup();
  local.run(openCopy([a], null), a);
  local.run(openCopy([a], { revision: REV1, server: 'https://other.example.org' }), a);
  await local.reporter.flush();
  for (const { gallery, reporter } of [off, loggedOut, local]) {
    expect(gallery.sent).toEqual([]);
    reporter.dispose();
  }
  // Turning it off after a run but before the report goes out sends nothing either.
  const late = setup();
  late.run(openCopy([a]), a);
  late.settings.reportHealth = false;
  await late.reporter.flush();
  expect(late.gallery.requests('POST', HEALTH)).toEqual([]);
  late.reporter.dispose();
});

it('never bothers the user when the gallery refuses or cannot be reached', async () => {
  const { gallery, reporter, run } = setup({ healthStatus: 500 });
  const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
  const a = cell('a', 'x = 1');
  run(openCopy([a]), a);
  await expect(reporter.flush()).resolves.toBeUndefined();
  expect(gallery.requests('POST', HEALTH)).toHaveLength(1);
  expect(debug).toHaveBeenCalled();
  debug.mockRestore();
  reporter.dispose();
});
