import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openReadOnlyDatabase } from '../../db/database';
import { GalleryError } from '../../errors/GalleryError';
import { lowerThisThreadPriority } from '../../threadPriority';
import type { IReadRequest, IReadWorkerData, ISerializedError, ReadReply } from './readPool';
import { sqliteListingMethods } from './sqliteListingQueries';

/*
 * A read worker of the ReadPool (readPool.ts): its own read-only connection, the listing queries over it, one
 * question at a time. Started by the pool, never imported.
 */

lowerThisThreadPriority();
const { file, searchEngine } = workerData as IReadWorkerData;
const methods = sqliteListingMethods(openReadOnlyDatabase(file), searchEngine) as Record<
  string,
  (...args: unknown[]) => Promise<unknown>
>;
const port = parentPort;
if (port === null) {
  throw new Error('readWorker.js runs only as a worker thread of a read pool');
}
port.on('message', ({ id, method, args }: IReadRequest) => void answer(port, id, method, args));

async function answer(to: MessagePort, id: number, method: string, args: unknown[]): Promise<void> {
  let reply: ReadReply;
  try {
    const run = methods[method];
    if (run === undefined) {
      throw new Error(`a read worker has no method "${method}"`);
    }
    reply = { id, result: await run(...args) };
  } catch (error) {
    reply = { id, error: serialize(error) };
  }
  to.postMessage(reply);
}

function serialize(error: unknown): ISerializedError {
  if (error instanceof GalleryError) {
    return {
      message: error.message,
      gallery: { code: error.code, statusCode: error.statusCode, details: error.details }
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {})
  };
}
