import type { IChangeRequest } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';

/** Where a change request stands, in words a proposer understands: "Waiting for review", "Declined by alice". */
export function changeRequestStatusText(trans: TranslationBundle, request: IChangeRequest): string {
  switch (request.status) {
    case 'open':
      return trans.__('Waiting for review');
    case 'accepted':
      return request.decidedBy ? trans.__('Accepted by %1', request.decidedBy) : trans.__('Accepted');
    case 'declined':
      return request.decidedBy ? trans.__('Declined by %1', request.decidedBy) : trans.__('Declined');
    default:
      return trans.__('Withdrawn');
  }
}
