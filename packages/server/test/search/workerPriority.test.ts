import * as fs from 'node:fs';
import * as os from 'node:os';
import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * The read workers run at a lower priority than the event loop's thread, so on a 2-core machine a burst of searches
 * cannot keep /healthz and the other requests waiting for the CPU (the bench measures the latency). Linux alone gives
 * threads priorities of their own (the server and CI run on it); this test reads them from /proc.
 */

/** The nice value of each thread of this process, by thread id. */
function threadNiceness(): Map<number, number> {
  const niceness = new Map<number, number>();
  for (const task of fs.readdirSync('/proc/self/task')) {
    try {
      // Fields after the command's closing parenthesis start at the state (field 3); nice is field 19.
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      niceness.set(Number(task), Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[16]));
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return niceness;
}

let gallery: ITestGallery;

beforeAll(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'public' });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery?.close();
});

it('runs the read workers that answer searches ten nicer than the event loop', async () => {
  const base = os.getPriority(0);
  const before = [...threadNiceness().values()].filter(nice => nice === base + 10).length;
  const ann = await gallery.login('ann');
  const created = await gallery.request(ann, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: sampleNotebook('# Niceness\nwords to find'), title: 'Niceness' }
  });
  expect(created.statusCode).toBe(201);
  // Two searches at once start two workers of the pool.
  const found = await Promise.all(
    ['words', 'find'].map(q => gallery.request(ann, { method: 'GET', url: `/api/notebooks?q=${q}` }))
  );
  expect(found.map(reply => reply.json().items.length)).toEqual([1, 1]);

  const niceness = threadNiceness();
  expect(niceness.get(process.pid)).toBe(base);
  expect([...niceness.values()].filter(nice => nice === base + 10).length - before).toBeGreaterThanOrEqual(1);
});
