import type { ChangeRequestStatus } from '@notebook-gallery/core';
import type { ICaller } from '../auth/permissions';

/** A change request as the database keeps it; the service adds `canDecide` for a particular caller. */
export interface IChangeRequestRecord {
  id: string;
  notebookId: string;
  notebookTitle: string;
  proposer: string;
  message: string;
  baseRevision: string;
  /** The proposal: a commit in the notebook's repository whose parent is `baseRevision`. */
  commitSha: string;
  blobSha: string;
  status: ChangeRequestStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  comment: string | null;
  acceptedRevision: string | null;
}

/** A new change request, before anyone decided it. */
export type INewChangeRequest = Pick<
  IChangeRequestRecord,
  'id' | 'notebookId' | 'proposer' | 'message' | 'baseRevision' | 'commitSha' | 'blobSha' | 'createdAt'
>;

/** How a change request was closed. */
export interface IChangeRequestDecision {
  status: Exclude<ChangeRequestStatus, 'open'>;
  decidedAt: string;
  decidedBy: string;
  comment: string | null;
  acceptedRevision: string | null;
}

/** Which change requests across notebooks a caller asks for: proposed by them, on notebooks they edit, or both. */
export type ChangeRequestRole = 'proposer' | 'reviewer' | 'any';

/** A change request listed across notebooks, with whether the caller may edit its notebook (decided in SQL). */
export interface IListedChangeRequest {
  record: IChangeRequestRecord;
  callerMayEdit: boolean;
}

/** Change requests in the database; a decision can share the transaction of a revision (see IUnitOfWork). */
export interface IChangeRequestRepository {
  /** Records a new open change request. */
  insert(request: INewChangeRequest): Promise<void>;
  /** Change request `requestId` of notebook `notebookId`, or undefined. */
  find(notebookId: string, requestId: string): Promise<IChangeRequestRecord | undefined>;
  /** The notebook's change requests, newest first; only `proposer`'s when given. */
  listForNotebook(
    notebookId: string,
    filter: { status?: ChangeRequestStatus; proposer?: string }
  ): Promise<IChangeRequestRecord[]>;
  /**
   * Change requests across notebooks, newest first: `proposer` those `caller` made on notebooks they still read,
   * `reviewer` those on notebooks they may edit, `any` both. The rules are applied in the query.
   */
  listForCaller(
    caller: ICaller,
    role: ChangeRequestRole,
    status?: ChangeRequestStatus
  ): Promise<IListedChangeRequest[]>;
  /** How many open change requests `proposer` has: on notebook `notebookId`, and across all notebooks. */
  countOpen(proposer: string, notebookId: string): Promise<{ onNotebook: number; total: number }>;
  /** Closes open change request `requestId` of notebook `notebookId`; returns false when it was not open any more. */
  decide(notebookId: string, requestId: string, decision: IChangeRequestDecision): Promise<boolean>;
}
