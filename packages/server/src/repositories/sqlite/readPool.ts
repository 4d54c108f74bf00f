import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { GalleryError } from '../../errors/GalleryError';
import { ServerBusyError } from '../../errors/ServerBusyError';
import { configuredSearchEngine, type SearchEngine } from './sqliteTopKListing';

/** Methods a read worker answers: plain functions of structured-cloneable arguments and results. */
export type ReadMethods = Record<string, (...args: never[]) => unknown>;

/** A question to a read worker. */
export interface IReadRequest {
  id: number;
  method: string;
  args: unknown[];
}

/** A GalleryError as it crosses from a worker: the fields the error handler answers with. */
export interface ISerializedError {
  message: string;
  /** Set for a GalleryError, which is raised again as one on the main thread. */
  gallery?: { code: string; statusCode: number; details: Record<string, unknown> };
  /**
   * The error's own code (SQLite's `SQLITE_CORRUPT`, a system `ENOENT`), raised again with it: the main thread's error
   * handler maps errors by their code (a damaged page, a full or missing disk) whichever thread threw them.
   */
  code?: string;
}

/** A read worker's answer to the request with the same id. */
export type ReadReply = { id: number; result: unknown } | { id: number; error: ISerializedError };

/** What a read worker is started with. */
export interface IReadWorkerData {
  /** The database file it opens read-only. */
  file: string;
  /** What ranks its searches, chosen by the process that opened the gallery (see sqliteTopKListing.ts). */
  searchEngine: SearchEngine;
}

/** Options of a {@link ReadPool}. */
export interface IReadPoolOptions {
  /** The database file each worker opens read-only. */
  file: string;
  /** How many workers, each with its own connection; at least 1. */
  size: number;
  /** How long a query may take from being asked to being answered, waiting for a worker included. */
  budgetMs: number;
  /** What ranks searches; `fts5` when absent. */
  searchEngine?: SearchEngine;
  /** The worker's compiled script; {@link READ_WORKER_SCRIPT} when absent (tests pass one that stalls on demand). */
  script?: string;
}

/**
 * The read worker's compiled script. The path goes through the package's lib/ whether this module runs from lib/
 * (the server, the bench) or from src/ under ts-jest, which cannot start a worker from TypeScript; the server's jest
 * setup builds lib/ first (test/helpers/buildLib.js).
 */
export const READ_WORKER_SCRIPT = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'lib',
  'repositories',
  'sqlite',
  'readWorker.js'
);

interface IJob {
  request: IReadRequest;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  /** The worker running it; undefined while it waits for one. */
  slot?: ISlot;
}

interface ISlot {
  worker: Worker;
  job: IJob | null;
}

/**
 * A pool of worker threads, each with its own read-only connection to the database, that answers read queries off
 * the event loop: a slow search costs a worker, never the requests the main thread serves (and two cores work).
 * Writes stay on the main thread's connection, serialised; in WAL mode a worker's query sees every transaction
 * committed before it starts. Every query has a budget: past it, the caller gets a {@link ServerBusyError} (503 with
 * Retry-After) and the worker that was running it is replaced, so no query can hang a request or hold a worker.
 * Workers start on first use and never keep the process alive.
 */
export class ReadPool<Methods extends ReadMethods> {
  private readonly _slots: ISlot[] = [];
  private readonly _queue: IJob[] = [];
  private _nextId = 1;
  private _closed = false;

  constructor(private readonly _options: IReadPoolOptions) {
    if (!Number.isInteger(_options.size) || _options.size < 1) {
      throw new RangeError(`a read pool needs at least one worker, got ${_options.size}`);
    }
    if (!(_options.budgetMs > 0)) {
      throw new RangeError(`a read pool needs a positive budget, got ${_options.budgetMs} ms`);
    }
  }

  /**
   * Runs `method` in a worker.
   * @throws {ServerBusyError} when it is not answered within the budget, or the pool is closed.
   * @throws {GalleryError} as the method threw it (for example a bad cursor).
   */
  run<M extends keyof Methods & string>(
    method: M,
    ...args: Parameters<Methods[M]>
  ): Promise<Awaited<ReturnType<Methods[M]>>> {
    if (this._closed) {
      return Promise.reject(new ServerBusyError('the server is shutting down', this._retryAfterSeconds()));
    }
    return new Promise((resolve, reject) => {
      const job: IJob = {
        request: { id: this._nextId++, method, args },
        resolve: resolve as (result: unknown) => void,
        reject,
        timer: setTimeout(() => this._overrun(job), this._options.budgetMs)
      };
      job.timer.unref();
      this._queue.push(job);
      this._dispatch();
    });
  }

  /** Stops every worker; queries still waiting or running fail with {@link ServerBusyError}. */
  async close(): Promise<void> {
    this._closed = true;
    const error = new ServerBusyError('the server is shutting down', this._retryAfterSeconds());
    for (const job of this._queue.splice(0)) {
      this._settle(job, () => job.reject(error));
    }
    const slots = this._slots.splice(0);
    for (const slot of slots) {
      if (slot.job) {
        const job = slot.job;
        this._settle(job, () => job.reject(error));
      }
    }
    await Promise.all(slots.map(slot => slot.worker.terminate()));
  }

  /** Hands waiting jobs to idle workers, starting workers up to the pool's size. */
  private _dispatch(): void {
    while (this._queue.length > 0) {
      let slot = this._slots.find(candidate => candidate.job === null);
      if (!slot) {
        if (this._slots.length >= this._options.size) {
          return;
        }
        slot = this._start();
      }
      const job = this._queue.shift() as IJob;
      slot.job = job;
      job.slot = slot;
      slot.worker.postMessage(job.request);
    }
  }

  private _start(): ISlot {
    const data: IReadWorkerData = {
      file: this._options.file,
      searchEngine: this._options.searchEngine ?? configuredSearchEngine()
    };
    const worker = new Worker(this._options.script ?? READ_WORKER_SCRIPT, { workerData: data });
    worker.unref();
    const slot: ISlot = { worker, job: null };
    worker.on('message', (reply: ReadReply) => {
      const job = slot.job;
      if (!job || job.request.id !== reply.id) {
        return;
      }
      slot.job = null;
      this._settle(job, () => ('error' in reply ? job.reject(Private.revive(reply.error)) : job.resolve(reply.result)));
      this._dispatch();
    });
    const fail = (error: Error): void => {
      if (this._retire(slot)) {
        const job = slot.job;
        if (job) {
          this._settle(job, () => job.reject(error));
        }
        this._dispatch();
      }
    };
    worker.on('error', fail);
    worker.on('exit', code => fail(new Error(`a read worker stopped (exit code ${code})`)));
    this._slots.push(slot);
    return slot;
  }

  /** Past the budget: the caller is told at once; a worker still running the query is replaced by a fresh one. */
  private _overrun(job: IJob): void {
    const waiting = this._queue.indexOf(job);
    if (waiting >= 0) {
      this._queue.splice(waiting, 1);
    } else if (job.slot && this._retire(job.slot)) {
      // A worker cannot be interrupted inside SQLite; it is let go (it exits once the statement returns).
      void job.slot.worker.terminate();
    }
    const seconds = this._retryAfterSeconds();
    this._settle(job, () =>
      job.reject(new ServerBusyError(`the query took longer than ${this._options.budgetMs} ms`, seconds))
    );
    this._dispatch();
  }

  /** Takes a worker out of the pool; false when it was out already. */
  private _retire(slot: ISlot): boolean {
    const index = this._slots.indexOf(slot);
    if (index < 0) {
      return false;
    }
    this._slots.splice(index, 1);
    return true;
  }

  private _settle(job: IJob, settle: () => void): void {
    clearTimeout(job.timer);
    settle();
  }

  private _retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this._options.budgetMs / 1000));
  }
}

namespace Private {
  /** A worker's error on the main thread: the same GalleryError (code, status, details), or an Error with its code. */
  export function revive(error: ISerializedError): Error {
    if (error.gallery) {
      const { code, statusCode, details } = error.gallery;
      return new GalleryError(code as GalleryError['code'], statusCode, error.message, details);
    }
    const revived = new Error(error.message);
    return error.code === undefined ? revived : Object.assign(revived, { code: error.code });
  }
}
