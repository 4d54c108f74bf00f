/**
 * The lock that keeps other *processes* from writing a notebook while this one does. Every write to a notebook (a
 * save, a metadata change, a crash repair) runs inside the store's in-process queue for its id and, inside that,
 * inside {@link INotebookWriteLock.run}, so what it read stays current until it wrote: the base revision check, the
 * git objects, the acknowledging transaction and the ref move happen with no other writer of that notebook between.
 */
export interface INotebookWriteLock {
  /** Runs `task` once no other process writes notebook `id`, and settles with it. */
  run<T>(id: string, task: () => Promise<T>): Promise<T>;
}

/**
 * SQLite: one process owns the data directory (server.pid says which), so the store's in-process queue is the whole
 * lock and this adds nothing.
 */
export const SINGLE_PROCESS: INotebookWriteLock = {
  run: (_id, task) => task()
};

/**
 * Runs work that one process at a time should do for the whole gallery (hub group sync, the start-up queues):
 * resolves to undefined, without running `work`, when another process is doing the job named `job` now.
 */
export type OnlyOneProcess = <T>(job: string, work: () => Promise<T>) => Promise<{ ran: true; value: T } | undefined>;

/**
 * Runs periodic work that one process should do for the whole gallery, the same one every time (hub group sync):
 * the first process to ask becomes the job's leader and runs it on every call; the others' calls resolve to undefined
 * without running `work`, until the leader is gone. Unlike {@link OnlyOneProcess}, followers never run the job
 * between two of the leader's runs, so a round is done once, not once per replica.
 */
export type OnlyTheLeader = OnlyOneProcess;

/** SQLite: this process is the only one, so the work always runs. */
export const ALWAYS_THIS_PROCESS: OnlyOneProcess = async (_job, work) => ({ ran: true, value: await work() });
