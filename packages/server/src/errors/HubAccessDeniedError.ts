import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from './GalleryError';

/** What every refusal for a missing hub scope starts with; the extension shows it instead of a login form. */
export const HUB_ACCESS_MESSAGE = 'Ask your JupyterHub administrator for access to the gallery';

/** A valid hub token whose scopes do not include access to this service. */
export class HubAccessDeniedError extends GalleryError {
  constructor(username: string, serviceName: string) {
    super(
      ErrorCode.HUB_ACCESS_DENIED,
      403,
      `${HUB_ACCESS_MESSAGE}: the hub token of "${username}" lacks the scope ` +
        `"access:services!service=${serviceName}" (or "access:services")`
    );
  }
}
