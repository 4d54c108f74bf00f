import { KeyedMutex } from '../../src/storage/keyedMutex';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('KeyedMutex', () => {
  it('runs tasks for one key one at a time, in order, even when one fails', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string, fail = false) =>
      mutex.run('nb', async () => {
        events.push(`start ${name}`);
        await sleep(5);
        events.push(`end ${name}`);
        if (fail) {
          throw new Error(name);
        }
        return name;
      });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(mutex.size).toBe(0);
  });

  it('never makes one key wait for another', async () => {
    const mutex = new KeyedMutex();
    let releaseSlow!: () => void;
    const slow = mutex.run('slow', () => new Promise<void>(resolve => (releaseSlow = resolve)));
    await expect(mutex.run('fast', async () => 'done')).resolves.toBe('done');
    releaseSlow();
    await slow;
  });
});
