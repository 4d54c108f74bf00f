import { createHmac } from 'node:crypto';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { startCommentWorld, type ICommentWorld } from './commentWorld';
import { startReceiver, type IWebhookReceiver } from './webhookReceiver';

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('a user’s webhook', () => {
  let world: ICommentWorld;
  let receiver: IWebhookReceiver;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    world = await startCommentWorld({
      'default-visibility': 'public',
      'webhook-retry-delay': '1s',
      'webhook-timeout': '2s',
      'webhook-attempts': '3'
    });
    ann = await world.gallery.login('ann');
    bob = await world.gallery.login('bob');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await world.gallery.close();
    await receiver.close();
  });

  const setWebhook = async (token: string, url: string) =>
    world.call(token, { method: 'PUT', url: '/api/me/webhook', payload: { url } }, 200);

  it('is off until set, shows its secret once, and receives the user’s events signed with it', async () => {
    expect(await world.call(ann, { method: 'GET', url: '/api/me/webhook' }, 200)).toEqual({
      url: null,
      createdAt: null
    });
    const created = await setWebhook(ann, receiver.url);
    expect(created).toEqual({ url: receiver.url, createdAt: expect.any(String), secret: expect.any(String) });
    expect(created.secret.length).toBeGreaterThanOrEqual(32);
    expect(await world.call(ann, { method: 'GET', url: '/api/me/webhook' }, 200)).toEqual({
      url: receiver.url,
      createdAt: created.createdAt
    });

    const { id } = await world.create(ann, { title: 'Hooked' });
    const comment = await world.comment(bob, id, { body: 'Ping' });
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['x-gallery-signature-256']).toBe(sign(created.secret, delivery.body));
    expect(delivery.headers['x-gallery-signature-256']).not.toBe(sign('another secret', delivery.body));
    const payload = JSON.parse(delivery.body);
    expect(payload).toEqual({
      id: expect.any(String),
      type: 'inbox.event',
      recipient: 'ann',
      event: expect.objectContaining({
        kind: 'comment',
        notebookId: id,
        notebookTitle: 'Hooked',
        commentId: comment.id,
        actor: 'bob'
      })
    });
    // Bob has no webhook: his own inbox events go nowhere.
    expect(receiver.received.every(received => JSON.parse(received.body).recipient === 'ann')).toBe(true);
  });

  it('retries a delivery the receiver failed, with the same id, until it succeeds', async () => {
    const start = receiver.received.length;
    receiver.behaviour = index => (index === start ? 500 : 200);
    const { id } = await world.create(bob);
    await world.comment(bob, id, { body: 'Hello @ann' });
    await receiver.waitFor(start + 2);
    const [failed, retried] = receiver.received.slice(start).map(received => JSON.parse(received.body));
    expect(retried).toEqual(failed);
    expect(failed.event.kind).toBe('mention');
  });

  it('never makes a request wait for a receiver that hangs, and retries it after the timeout', async () => {
    const start = receiver.received.length;
    receiver.behaviour = index => (index === start ? 'hang' : 200);
    const { id } = await world.create(ann);
    await world.comment(bob, id, { body: 'First' });
    await receiver.waitFor(start + 1);
    expect(receiver.received[start].answered).toBe(false);
    // The receiver is sitting on the first delivery: the next comment is still answered at once.
    const second = await world.gallery.request(bob, {
      method: 'POST',
      url: `/api/notebooks/${id}/comments`,
      payload: { body: 'Second' }
    });
    expect(second.statusCode).toBe(201);
    // Answered while the gallery still waits on the hanging delivery (its timeout has not cut the connection yet).
    expect(receiver.received[start]).toMatchObject({ answered: false, closed: false });
    // Nor does it hold up other deliveries: the second comment's arrives while the first still hangs.
    await receiver.waitFor(start + 2);
    expect(JSON.parse(receiver.received[start + 1].body).event.commentId).toBe(second.json().id);
    expect(receiver.received[start].closed).toBe(false);
    await receiver.waitFor(start + 3);
    expect(receiver.received[start].closed).toBe(true);
    const bodies = receiver.received.slice(start).map(received => JSON.parse(received.body));
    const firstId = bodies[0].id;
    expect(bodies.filter(body => body.id === firstId).length).toBeGreaterThanOrEqual(2);
  });

  it('takes only http and https URLs', async () => {
    for (const url of ['ftp://example.org/hook', 'javascript:alert(1)', 'not a url', 'http://user:pw@example.org/']) {
      const reply = await world.call(ann, { method: 'PUT', url: '/api/me/webhook', payload: { url } }, 400);
      expect(reply).toMatchObject({ error: 'VALIDATION_FAILED', field: 'url' });
    }
  });

  it('stops sending when removed', async () => {
    await world.call(ann, { method: 'DELETE', url: '/api/me/webhook' }, 204);
    expect(await world.call(ann, { method: 'GET', url: '/api/me/webhook' }, 200)).toEqual({
      url: null,
      createdAt: null
    });
  });
});

describe('the site-wide webhook', () => {
  it(
    'receives every user’s events signed with the configured secret, and the app closes while one hangs',
    async () => {
      const receiver = await startReceiver(index => (index === 0 ? 200 : 'hang'));
      const secret = 'site-wide-secret-0123456789';
      const world = await startCommentWorld({
        'default-visibility': 'public',
        'webhook-url': receiver.url,
        'webhook-secret': secret
      });
      try {
        const ann = await world.gallery.login('ann');
        const bob = await world.gallery.login('bob');
        const { id } = await world.create(ann);
        await world.comment(bob, id, { body: 'Hi @ann' });
        await receiver.waitFor(1);
        const [delivery] = receiver.received;
        expect(delivery.headers['x-gallery-signature-256']).toBe(sign(secret, delivery.body));
        expect(JSON.parse(delivery.body)).toMatchObject({ recipient: 'ann', event: { kind: 'mention', actor: 'bob' } });
        await world.comment(ann, id, { body: 'Reply to @bob' });
        await receiver.waitFor(2);
        expect(receiver.received[1].answered).toBe(false);
      } finally {
        // Closing aborts the hanging delivery instead of waiting for it.
        await world.gallery.close();
        await receiver.close();
      }
    },
    SETUP_TIMEOUT_MS
  );

  it('needs a secret of at least 16 characters', async () => {
    await expect(
      startCommentWorld({ 'webhook-url': 'http://127.0.0.1:9/hook', 'webhook-secret': 'short' })
    ).rejects.toThrow('--webhook-url needs --webhook-secret');
  });
});

describe('flooding', () => {
  it(
    'answers too many comments or webhook changes by one user with 429 and Retry-After',
    async () => {
      const world = await startCommentWorld({
        'default-visibility': 'public',
        'comment-rate-limit': '3/1m',
        'webhook-rate-limit': '2/1h'
      });
      try {
        const ann = await world.gallery.login('ann');
        const bob = await world.gallery.login('bob');
        const { id } = await world.create(ann);
        for (let i = 0; i < 3; i++) {
          await world.comment(bob, id, { body: `flood ${i}` });
        }
        const flooded = await world.gallery.request(bob, {
          method: 'POST',
          url: `/api/notebooks/${id}/comments`,
          payload: { body: 'one too many' }
        });
        expect(flooded.statusCode).toBe(429);
        expect(flooded.json().error).toBe('RATE_LIMITED');
        const retryAfter = Number(flooded.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(flooded.json().retryAfterSeconds).toBe(retryAfter);
        // Per user: ann still comments.
        await world.comment(ann, id, { body: 'Not flooding' });

        for (let i = 0; i < 2; i++) {
          await world.call(
            ann,
            { method: 'PUT', url: '/api/me/webhook', payload: { url: 'https://example.org/h' } },
            200
          );
        }
        const hooked = await world.gallery.request(ann, {
          method: 'PUT',
          url: '/api/me/webhook',
          payload: { url: 'https://example.org/h' }
        });
        expect(hooked.statusCode).toBe(429);
        expect(Number(hooked.headers['retry-after'])).toBeGreaterThan(60);
      } finally {
        await world.gallery.close();
      }
    },
    SETUP_TIMEOUT_MS
  );
});
