import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A new notebook id: 16 URL-safe characters (96 random bits), so ids are unguessable and never collide in practice.
 */
export function newNotebookId(): string {
  return crypto.randomBytes(12).toString('base64url');
}

/** A new change request id: unguessable like a notebook id, and valid in a git ref name (base64url). */
export const newChangeRequestId = newNotebookId;

/** `<dataDir>/repos/<id[0:2]>/<id>.git`: sharded so no directory grows with the gallery. */
export function repositoryPath(dataDir: string, id: string): string {
  return path.join(repositoriesRoot(dataDir), id.slice(0, 2), `${id}.git`);
}

/** Every `<id>.git` under `<dataDir>/repos/<shard>/`, as notebook ids, sorted. */
export function listRepositoryIds(dataDir: string): string[] {
  let shards: string[];
  try {
    shards = fs.readdirSync(repositoriesRoot(dataDir));
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const shard of shards) {
    for (const name of fs.readdirSync(path.join(repositoriesRoot(dataDir), shard))) {
      if (name.endsWith('.git')) {
        ids.push(name.slice(0, -'.git'.length));
      }
    }
  }
  return ids.sort();
}

/** The directory holding every notebook repository's shard directory. */
export function repositoriesRoot(dataDir: string): string {
  return path.join(dataDir, 'repos');
}

/** Where a deleted notebook's repository is moved; a timestamp keeps repeated deletes of one id apart. */
export function trashPath(dataDir: string, id: string, when: Date): string {
  return path.join(trashRoot(dataDir), `${id}-${when.getTime()}.git`);
}

/** The directory deleted notebooks' repositories are moved into. */
export function trashRoot(dataDir: string): string {
  return path.join(dataDir, 'trash');
}
