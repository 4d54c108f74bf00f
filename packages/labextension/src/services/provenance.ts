import { GALLERY_METADATA_KEY, type IGalleryProvenance } from '@notebook-gallery/core';
import { normalizeServerUrl } from './serverUrl';

/**
 * The provenance in a notebook's metadata when it points at `serverUrl`, else null: a copy
 * from another gallery is a new notebook as far as this one is concerned.
 */
export function readProvenance(metadata: unknown, serverUrl: string): IGalleryProvenance | null {
  const value = (metadata as Record<string, unknown> | null | undefined)?.[GALLERY_METADATA_KEY] as
    Partial<IGalleryProvenance> | undefined;
  if (
    typeof value?.id !== 'string' ||
    typeof value.revision !== 'string' ||
    typeof value.server !== 'string' ||
    normalizeServerUrl(value.server) !== normalizeServerUrl(serverUrl)
  ) {
    return null;
  }
  return { id: value.id, revision: value.revision, server: value.server };
}
