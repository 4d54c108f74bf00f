import * as path from 'node:path';
import { GalleryError } from '../../src/errors/GalleryError';
import { ServerBusyError } from '../../src/errors/ServerBusyError';
import { ReadPool } from '../../src/repositories/sqlite/readPool';

/* The read pool's budget: a query that overruns it fails at once as busy, and never holds a worker for the next. */

type Methods = {
  echo(value: number): number;
  stall(ms: number): number;
  fail(): never;
};

const SCRIPT = path.join(__dirname, '..', 'helpers', 'echoingReadWorker.js');
/** Enough for a worker to start on a busy machine (it took 445 ms once), far below STALL_MS. */
const BUDGET_MS = 2_000;
/** Far past the budget: a stalled worker still blocks when the test is over. */
const STALL_MS = 60_000;
/** Generous for a busy machine; without a budget the stalled query answers after STALL_MS. */
const WITHIN_MS = 15_000;

let pool: ReadPool<Methods>;

beforeEach(() => {
  pool = new ReadPool<Methods>({ file: 'unused.sqlite', size: 1, budgetMs: BUDGET_MS, script: SCRIPT });
});

afterEach(async () => {
  await pool.close();
});

it('answers within the budget', async () => {
  await expect(pool.run('echo', 42)).resolves.toBe(42);
});

it('fails a query that overruns its budget as busy, with when to retry, and answers the next one', async () => {
  const started = Date.now();
  const stalled = pool.run('stall', STALL_MS);
  const waiting = pool.run('echo', 1);
  await expect(stalled).rejects.toBeInstanceOf(ServerBusyError);
  await expect(stalled).rejects.toMatchObject({ statusCode: 503, details: { retryAfterSeconds: 2 } });
  // The query queued behind it had the same budget, spent waiting.
  await expect(waiting).rejects.toBeInstanceOf(ServerBusyError);
  expect(Date.now() - started).toBeLessThan(WITHIN_MS);
  // The stalled worker was replaced: the pool of one answers while that worker still blocks.
  await expect(pool.run('echo', 7)).resolves.toBe(7);
  expect(Date.now() - started).toBeLessThan(WITHIN_MS);
});

it('raises a worker gallery error as one, with its code, status and details', async () => {
  const failed = pool.run('fail');
  await expect(failed).rejects.toBeInstanceOf(GalleryError);
  await expect(failed).rejects.toMatchObject({
    code: 'INVALID_REQUEST',
    statusCode: 400,
    message: 'bad cursor',
    details: { field: 'cursor' }
  });
});

it('fails queries asked after it closed', async () => {
  await pool.close();
  await expect(pool.run('echo', 1)).rejects.toBeInstanceOf(ServerBusyError);
});
