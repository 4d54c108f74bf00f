import type { ICaller } from '../auth/permissions';
import { openGallery, type IGallery } from '../compositionRoot';
import { assertNoServerOn } from '../storage/serverPidFile';
import { summarizeRestore, type IArchiveExtras, type IRestoredExtras } from '../services/archiveExtrasService';
import type { IImportedAccounts } from '../services/importedAccounts';
import { archiveExtrasOf, isGalleryExtras, type IGalleryImportExtras } from './gallerySource';
import type { IImportRevisionResult, IImportTarget } from './importPipeline';

/** Whoever runs `import --data-dir` can write the data directory, so the service sees them as an admin. */
const LOCAL_ADMIN: ICaller = { user: { username: 'notebook-gallery import', isAdmin: true }, groups: new Map() };

/**
 * `import --data-dir`: the import service of a gallery opened in this process. Refuses while a server runs on the
 * directory (it would not see the new rows, and two writers would race); finishes any save a crash cut short first,
 * so a run killed halfway resumes on an acknowledged state. Imported notebooks are queued for embedding as saves
 * are; the server embeds them once it serves with a model.
 * @throws {DataDirectoryInUseError} when a live process is named in `server.pid`.
 */
export async function openDataDirTarget(
  dataDir: string,
  fsync: boolean,
  embeddingModel?: string,
  databaseUrl: string | null = null
): Promise<IImportTarget> {
  await assertNoServerOn(dataDir, databaseUrl, 'import');
  const gallery: IGallery = await openGallery({ dataDir, fsync, readWorkers: 1, embeddingModel, databaseUrl });
  try {
    await gallery.reconcile();
  } catch (error) {
    await gallery.close();
    throw error;
  }
  return {
    apply: request => gallery.imports.applyRevision(LOCAL_ADMIN, request),
    async beforeItem(extras) {
      return isGalleryExtras(extras)
        ? gallery.archiveExtras.prepareAccounts(LOCAL_ADMIN, archiveExtrasOf(extras))
        : { usersWithoutPassword: [] };
    },
    async writeMergeParent(notebookId, extras, commit, confirmedSecrets) {
      return (
        isGalleryExtras(extras) &&
        gallery.archiveExtras.writeProposal(LOCAL_ADMIN, notebookId, archiveExtrasOf(extras), commit, confirmedSecrets)
      );
    },
    async afterItem(notebookId, extras, confirmedSecrets) {
      if (!isGalleryExtras(extras)) {
        return { changeRequests: 0, comments: 0, notRestored: [] };
      }
      return summarizeRestore(
        await gallery.archiveExtras.restore(LOCAL_ADMIN, notebookId, archiveExtrasOf(extras), confirmedSecrets)
      );
    },
    close: async () => gallery.close()
  };
}

/** How often one revision is sent when the server answers 429. */
const MAX_ATTEMPTS = 10;

/**
 * `import --server URL --token TOKEN`: each step is a request to a live server's admin import routes, whose services
 * answer as the in-process ones would: each revision a `POST /api/admin/import/revisions`, and for our own archive
 * the accounts before an item, the proposal a merge revision needs, and the shares, stars, change requests and
 * comments after it. A 429 is waited out (Retry-After); another refusal is thrown with the server's message.
 */
export function apiTarget(serverUrl: string, token: string): IImportTarget {
  /** One POST; resolves with the reply's body. */
  async function post<T>(route: string, payload: unknown): Promise<T> {
    const url = new URL(route, serverUrl).toString();
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(payload)
        });
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
        throw new Error(`could not reach ${serverUrl}: ${cause}`);
      }
      const body = (await response.json().catch(() => ({}))) as { message?: string; findings?: unknown };
      // Over --import-rate-limit: wait as long as the server says, then send the same request again.
      if (response.status === 429 && attempt < MAX_ATTEMPTS) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await new Promise(resolve => setTimeout(resolve, 1000 * (Number.isFinite(seconds) ? seconds : 1)));
        continue;
      }
      if (!response.ok) {
        // The findings of a 422 SECRETS_FOUND travel on as the in-process error's do, for the same report.
        throw Object.assign(
          new Error(`${body.message ?? `the server answered ${response.status}`} (HTTP ${response.status})`),
          body.findings !== undefined ? { details: { findings: body.findings } } : {}
        );
      }
      return body as T;
    }
  }
  const confirmed = (fingerprints: readonly string[]) =>
    fingerprints.length > 0 ? { confirmedSecrets: [...fingerprints] } : {};
  const notebookRoute = (notebookId: string, step: string): string =>
    `/api/admin/import/notebooks/${encodeURIComponent(notebookId)}/${step}`;
  return {
    apply: request => post<IImportRevisionResult>('/api/admin/import/revisions', request),
    async beforeItem(extras) {
      if (!isGalleryExtras(extras)) {
        return { usersWithoutPassword: [] };
      }
      return post<IImportedAccounts>('/api/admin/import/accounts', { extras: archiveExtrasBody(extras) });
    },
    async writeMergeParent(notebookId, extras, commit, confirmedSecrets) {
      if (!isGalleryExtras(extras)) {
        return false;
      }
      const reply = await post<{ written: boolean }>(notebookRoute(notebookId, 'merge-parent'), {
        extras: archiveExtrasBody(extras),
        commit,
        ...confirmed(confirmedSecrets)
      });
      return reply.written;
    },
    async afterItem(notebookId, extras, confirmedSecrets) {
      if (!isGalleryExtras(extras)) {
        return { changeRequests: 0, comments: 0, notRestored: [] };
      }
      return post<IRestoredExtras>(notebookRoute(notebookId, 'extras'), {
        extras: archiveExtrasBody(extras),
        ...confirmed(confirmedSecrets)
      });
    },
    close: async () => undefined
  };
}

/** An item's extras as the admin routes take them: exactly the fields their schema names. */
function archiveExtrasBody(extras: IGalleryImportExtras): IArchiveExtras {
  const { users, groups, shares, stars, changeRequests, comments } = archiveExtrasOf(extras);
  return { users, groups, shares, stars, changeRequests, comments };
}
