import { buildApp, loadConfig } from '@notebook-gallery/server';
import { READER } from './generatedGallery';

/**
 * The real server over a generated gallery, for the throughput and replica benches: `node benchServer.js DATA_DIR
 * [DATABASE_URL]` (with a URL, the rows are in that PostgreSQL database). Built through
 * buildApp like `notebook-gallery serve`, listening on 127.0.0.1 on a free port; prints `{port, token}` (a login
 * token of the non-admin reader) as one JSON line, then serves until killed.
 */
async function main(): Promise<void> {
  const [dataDir, databaseUrl] = process.argv.slice(2);
  if (!dataDir) {
    throw new Error('usage: benchServer.js DATA_DIR [DATABASE_URL]');
  }
  const app = await buildApp(
    loadConfig(
      {
        'data-dir': dataDir,
        'log-level': 'silent',
        fsync: 'false',
        // The replica bench saves as fast as 20 clients can as one user: far past the per-user limits, which are not
        // what it measures.
        'save-rate-limit': '1000000/1m',
        'write-rate-limit': '1000000/1m',
        ...(databaseUrl ? { 'database-url': databaseUrl } : {})
      },
      {}
    )
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const token = (await app.issueToken({ username: READER, isAdmin: false })).token;
  process.stdout.write(`${JSON.stringify({ port, token })}\n`);
  // Closed on SIGTERM/SIGINT so a --cpu-prof profile is written on exit.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
