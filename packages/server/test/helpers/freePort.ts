import * as net from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on now, for a process a test starts later (a replica's hub service URL, a
 * second PostgreSQL listener, an identity provider) when that process cannot be told to pick its own.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
