import type { ICaller } from '../auth/permissions';
import { openGallery, type IGallery } from '../compositionRoot';
import { assertNoServer } from '../storage/serverPidFile';
import { archiveExtrasOf, isGalleryExtras } from './gallerySource';
import type { IImportRevisionRequest, IImportRevisionResult, IImportTarget } from './importPipeline';

/** Whoever runs `import --data-dir` can write the data directory, so the service sees them as an admin. */
const LOCAL_ADMIN: ICaller = { user: { username: 'notebook-gallery import', isAdmin: true }, groups: new Map() };

/**
 * `import --data-dir`: the import service of a gallery opened in this process. Refuses while a server runs on the
 * directory (it would not see the new rows, and two writers would race); finishes any save a crash cut short first,
 * so a run killed halfway resumes on an acknowledged state.
 * @throws {DataDirectoryInUseError} when a live process is named in `server.pid`.
 */
export async function openDataDirTarget(dataDir: string, fsync: boolean): Promise<IImportTarget> {
  assertNoServer(dataDir, 'import');
  const gallery: IGallery = openGallery({ dataDir, fsync, readWorkers: 1 });
  try {
    await gallery.reconcile();
  } catch (error) {
    gallery.close();
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
      const done = await gallery.archiveExtras.restore(
        LOCAL_ADMIN,
        notebookId,
        archiveExtrasOf(extras),
        confirmedSecrets
      );
      return {
        changeRequests: done.changeRequests.restored.length,
        comments: done.comments.restored,
        notRestored: [
          ...done.changeRequests.skipped.map(skip => `change request ${skip.id}: ${skip.reason}`),
          ...done.comments.skipped.map(skip => `comment ${skip.id}: ${skip.reason}`)
        ]
      };
    },
    close: async () => gallery.close()
  };
}

/** How often one revision is sent when the server answers 429. */
const MAX_ATTEMPTS = 10;

/**
 * `import --server URL --token TOKEN`: each revision is a `POST /api/admin/import/revisions` to a live server, whose
 * import service answers as the in-process one would. A 429 is waited out (Retry-After); another refusal is thrown
 * with the server's message.
 */
export function apiTarget(serverUrl: string, token: string): IImportTarget {
  const url = new URL('/api/admin/import/revisions', serverUrl).toString();
  return {
    async apply(request: IImportRevisionRequest): Promise<IImportRevisionResult> {
      for (let attempt = 1; ; attempt++) {
        let response: Response;
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(request)
          });
        } catch (error) {
          const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
          throw new Error(`could not reach ${serverUrl}: ${cause}`);
        }
        const body = (await response.json().catch(() => ({}))) as {
          message?: string;
          findings?: unknown;
        } & Partial<IImportRevisionResult>;
        // Over --import-rate-limit: wait as long as the server says, then send the same revision again.
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
        return body as IImportRevisionResult;
      }
    },
    close: async () => undefined
  };
}
