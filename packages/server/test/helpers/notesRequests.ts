import { sampleNotebook } from './fixtures';
import type { ITestGallery } from './testGallery';

/**
 * What the storage-failure tests do through the API as one user: create and save a small notebook, and read back its
 * revision and file, to show what a failed write kept. Getters, since each test file starts its own gallery and user.
 */
export function notesRequests(gallery: () => ITestGallery, token: () => string) {
  return {
    create(text: string) {
      return gallery().request(token(), {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook(text), title: `Notes: ${text}` }
      });
    },

    save(id: string, baseRevision: string, text: string) {
      return gallery().request(token(), {
        method: 'PUT',
        url: `/api/notebooks/${id}`,
        payload: { notebook: sampleNotebook(text), baseRevision }
      });
    },

    /** The notebook's current revision and the text of its file. */
    async read(id: string): Promise<{ revision: string; text: string }> {
      const meta = await gallery().request(token(), { method: 'GET', url: `/api/notebooks/${id}` });
      const content = await gallery().request(token(), { method: 'GET', url: `/api/notebooks/${id}/content` });
      expect([meta.statusCode, content.statusCode]).toEqual([200, 200]);
      return { revision: meta.json().revision, text: content.body };
    }
  };
}
