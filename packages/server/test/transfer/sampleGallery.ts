import { sampleNotebook } from '../helpers/fixtures';
import type { ITestGallery } from '../helpers/testGallery';

/** What {@link buildSampleGallery} made, by role. */
export interface ISampleGallery {
  /** ann's notebook: three revisions, tags, a group, a share, a star, comments with a reply and a resolution, an open
   *  change request and an accepted one (a merge commit). */
  physics: string;
  /** bob's private notebook with one revision and nothing else. */
  plain: string;
  /** The accepted and the open change request of `physics`. */
  accepted: string;
  open: string;
  tokens: { ann: string; bob: string; cat: string };
}

/**
 * A gallery with everything an export carries: users ann (owner), bob and cat, group `lab` (bob a member), notebook
 * `physics` with history, sharing, stars, comments and change requests, and notebook `plain` with none of those.
 */
export async function buildSampleGallery(gallery: ITestGallery): Promise<ISampleGallery> {
  const ann = await gallery.login('ann');
  const bob = await gallery.login('bob');
  const cat = await gallery.login('cat');
  const call = async (token: string, method: string, url: string, payload?: unknown): Promise<any> => {
    const reply = await gallery.request(token, { method: method as 'GET', url, payload: payload as object });
    if (reply.statusCode >= 300) {
      throw new Error(`${method} ${url}: ${reply.statusCode} ${reply.body}`);
    }
    return reply.json();
  };
  await call(ann, 'POST', '/api/groups', { name: 'lab' });
  await call(ann, 'PUT', '/api/groups/lab/members/bob', { role: 'member' });

  const created = await call(ann, 'POST', '/api/notebooks', {
    notebook: sampleNotebook('Pendulum', 'g = 9.81'),
    title: 'Pendulum',
    description: 'A swinging mass',
    tags: ['physics', 'demo'],
    message: 'First version',
    visibility: 'group',
    group: 'lab'
  });
  const physics = created.id as string;
  let revision = created.revision as string;
  for (const text of ['Pendulum, damped', 'Pendulum, driven']) {
    revision = (
      await call(ann, 'PUT', `/api/notebooks/${physics}`, {
        notebook: sampleNotebook(text, `g = 9.81  # ${text}`),
        baseRevision: revision,
        message: `Now ${text}`
      })
    ).revision;
  }
  await call(ann, 'PUT', `/api/notebooks/${physics}/sharing`, {
    visibility: 'group',
    group: 'lab',
    shares: [{ kind: 'user', name: 'cat', role: 'editor' }]
  });
  await call(bob, 'PUT', `/api/notebooks/${physics}/star`);
  await call(cat, 'PUT', `/api/notebooks/${physics}/star`);

  const root = await call(bob, 'POST', `/api/notebooks/${physics}/comments`, {
    body: 'Which g is this?',
    anchor: { cellId: 'code-1', lines: { from: 1, to: 1 } }
  });
  await call(ann, 'POST', `/api/notebooks/${physics}/comments`, { body: 'Standard gravity.', parentId: root.id });
  await call(ann, 'POST', `/api/comments/${root.id}/resolve`);
  await call(cat, 'POST', `/api/notebooks/${physics}/comments`, { body: 'Nice notebook.' });

  const acceptedRequest = await call(cat, 'POST', `/api/notebooks/${physics}/change-requests`, {
    notebook: sampleNotebook('Pendulum, driven', 'g = 9.80665'),
    baseRevision: revision,
    message: 'Use standard gravity'
  });
  await call(ann, 'POST', `/api/notebooks/${physics}/comments`, {
    body: 'Good catch.',
    changeRequestId: acceptedRequest.id,
    anchor: { cellId: 'code-1' }
  });
  await call(ann, 'POST', `/api/notebooks/${physics}/change-requests/${acceptedRequest.id}/accept`, {
    comment: 'Thanks'
  });
  const latest = (await call(ann, 'GET', `/api/notebooks/${physics}`)).revision as string;
  const openRequest = await call(bob, 'POST', `/api/notebooks/${physics}/change-requests`, {
    notebook: sampleNotebook('Pendulum, chaotic', 'g = 9.80665'),
    baseRevision: latest,
    message: 'Make it chaotic'
  });

  const plain = (
    await call(bob, 'POST', '/api/notebooks', {
      notebook: sampleNotebook('Titration'),
      title: 'Titration',
      tags: ['chemistry'],
      visibility: 'private'
    })
  ).id as string;
  return { physics, plain, accepted: acceptedRequest.id, open: openRequest.id, tokens: { ann, bob, cat } };
}
