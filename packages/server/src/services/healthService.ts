import { runnableCells, type IHealthReportRequest } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';
import { InvalidRequestError } from '../errors/InvalidRequestError';
import type { IAuditLogRepository } from '../repositories/auditLogRepository';
import type { IHealthRepository } from '../repositories/healthRepository';
import type { IUnitOfWork } from '../repositories/unitOfWork';
import type { NotebookStore } from '../storage/notebookStore';
import { sourceHash } from '../storage/sourceHash';
import { loadAuthorized, userOf } from './authorizedNotebook';
import { aggregateHealth, countReport } from './healthScore';

/** What the health service needs; built by the composition root. */
export interface IHealthServiceParts {
  store: Pick<NotebookStore, 'get' | 'revision' | 'readNotebook'>;
  health: IHealthRepository;
  unitOfWork: IUnitOfWork;
  audit: Pick<IAuditLogRepository, 'record'>;
  /** The clock reports are dated by, in milliseconds. */
  now: () => number;
}

/** Run reports from the extension of users who opted in, and the health they add up to. */
export class HealthService {
  constructor(private readonly _parts: IHealthServiceParts) {}

  /**
   * Records how the caller's run of a revision went, replacing their earlier report on that revision, and
   * recomputes the notebook's health.
   * @throws {UnauthorizedError} for the anonymous caller.
   * @throws {NotebookNotFoundError} when the notebook does not exist or the caller may not read it.
   * @throws {RevisionNotFoundError} when the notebook has no such revision.
   * @throws {InvalidRequestError} when no reported cell is a code cell of that revision.
   */
  async report(caller: ICaller, id: string, request: IHealthReportRequest): Promise<void> {
    const user = userOf(caller);
    const { store, health, unitOfWork } = this._parts;
    const record = await loadAuthorized(this._parts, caller, id, 'read', 'notebook.health');
    await store.revision(record.id, request.revision);
    const cells = runnableCells(await store.readNotebook(record, request.revision)).map(cell => ({
      id: cell.id,
      hash: sourceHash(cell.source)
    }));
    const counts = countReport(cells, request.cells);
    if (counts === null) {
      throw new InvalidRequestError(
        `None of the reported cells is a code cell of revision ${request.revision}: each needs the id and the ` +
          'SHA-256 of the source of a non-blank code cell as that revision has it'
      );
    }
    const reportedAt = new Date(this._parts.now()).toISOString();
    await unitOfWork.transaction(async () => {
      await health.putReport(record.id, {
        revision: request.revision,
        reporter: user.username,
        codeCells: cells.length,
        ...counts,
        reportedAt
      });
      await refreshHealth(health, record.id);
    });
  }
}

/** Recomputes and stores a notebook's health from its kept reports (nothing to do without any). */
export async function refreshHealth(health: IHealthRepository, notebookId: string): Promise<void> {
  const evidence = await health.evidence(notebookId);
  if (evidence) {
    await health.putAggregate(notebookId, aggregateHealth(evidence.reports, evidence.headNumber));
  }
}
