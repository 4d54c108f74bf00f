import { OneAtATime } from '../src/commands/oneAtATime';

/** A task that finishes only when the test says so. */
function pending<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('OneAtATime (a double click runs a command once)', () => {
  it('ignores a second request for the same key while the first runs, and answers it with the busy value', async () => {
    const guard = new OneAtATime();
    const first = pending<string>();
    let runs = 0;
    const task = () => {
      runs += 1;
      return first.promise;
    };
    const running = guard.run('nb-1', task, 'busy');
    await expect(guard.run('nb-1', task, 'busy')).resolves.toBe('busy');
    first.resolve('saved');
    await expect(running).resolves.toBe('saved');
    expect(runs).toBe(1);
  });

  it('runs tasks for other keys at the same time', async () => {
    const guard = new OneAtATime();
    const first = pending<string>();
    const running = guard.run('nb-1', () => first.promise, 'busy');
    await expect(guard.run('nb-2', async () => 'other', 'busy')).resolves.toBe('other');
    first.resolve('first');
    await running;
  });

  it('frees the key when the task fails, so the user can try again', async () => {
    const guard = new OneAtATime();
    const first = pending<string>();
    const running = guard.run('nb-1', () => first.promise, 'busy');
    first.reject(new Error('network down'));
    await expect(running).rejects.toThrow('network down');
    await expect(guard.run('nb-1', async () => 'again', 'busy')).resolves.toBe('again');
  });
});
