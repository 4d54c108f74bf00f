import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface IReceived {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Whether the receiver has answered it. */
  answered: boolean;
  /** Whether its connection is closed (answered, or given up by the sender). */
  closed: boolean;
}

/** What the receiver does with its n-th request (from 0): answer with a status, or never answer. */
export type Behaviour = (index: number) => number | 'hang';

/** A real HTTP server on 127.0.0.1 standing in for a webhook target. */
export interface IWebhookReceiver {
  url: string;
  received: IReceived[];
  behaviour: Behaviour;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour = () => 200): Promise<IWebhookReceiver> {
  const received: IReceived[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging: http.ServerResponse[] = [];
  const receiver: IWebhookReceiver = {
    url: '',
    received,
    behaviour,
    waitFor: count =>
      received.length >= count ? Promise.resolve() : new Promise(resolve => waiters.push({ count, resolve })),
    close: () =>
      new Promise(resolve => {
        for (const response of hanging) {
          response.destroy();
        }
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const entry: IReceived = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered: false,
        closed: false
      };
      response.on('close', () => {
        entry.closed = true;
      });
      const index = received.push(entry) - 1;
      const action = receiver.behaviour(index);
      if (action === 'hang') {
        hanging.push(response);
      } else {
        entry.answered = true;
        response.writeHead(action).end();
      }
      for (const waiter of waiters.filter(w => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
