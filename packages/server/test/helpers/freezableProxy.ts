import * as net from 'node:net';

/**
 * A TCP stand-in for a network path between a replica and PostgreSQL that can be cut silently: it forwards bytes both
 * ways between TCP clients and the server's socket until {@link IFreezableProxy.freeze}, then forwards nothing either
 * way and closes nothing (as a machine dropped off the network, or a partition, looks from each end: no reset, no
 * FIN, only silence), until {@link IFreezableProxy.unfreeze}. A real cut needs privileges the tests do not have.
 * Connections made while frozen are accepted and then get no answer, as a SYN into a black hole would (near enough).
 */
export interface IFreezableProxy {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  freeze(): void;
  /** Forwards again what was held back, including ends and closes, as a healed path delivers them. */
  unfreeze(): void;
  close(): Promise<void>;
}

/** A proxy to `target` (a Unix socket path, or `{ host, port }`). */
export async function startFreezableProxy(target: string | { host: string; port: number }): Promise<IFreezableProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let frozen = false;
  const server = net.createServer(client => {
    const upstream = typeof target === 'string' ? net.connect(target) : net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    // Not pipe(): a pipe resumes its source on 'drain' by itself, which would thaw a frozen path.
    for (const [from, to] of [pair, [upstream, client] as const]) {
      from.on('data', chunk => to.write(chunk));
      // A paused socket reads nothing, so it sees its end (and passes it on) only once thawed.
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => {
        to.destroy();
        pairs.delete(pair);
      });
    }
    if (frozen) {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      frozen = true;
      for (const [client, upstream] of pairs) {
        client.pause();
        upstream.pause();
      }
    },
    unfreeze() {
      frozen = false;
      for (const [client, upstream] of pairs) {
        client.resume();
        upstream.resume();
      }
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise(resolve => server.close(resolve));
    }
  };
}
