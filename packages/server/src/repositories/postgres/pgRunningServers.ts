import pg from 'pg';

/**
 * How a running gallery server shows in `pg_stat_activity`. With PostgreSQL, replicas run in other pods or on other
 * hosts, so `server.pid` in the shared data directory cannot say whether one runs (a process id means nothing
 * outside its machine); a session on the database can. Each server keeps one such session open while it serves
 * ({@link announceServer}); its pool's connections come and go with the load, so they cannot be counted on.
 */
export const SERVER_APPLICATION_NAME = 'notebook-gallery serve';

/**
 * Opens the session that shows this process as a running server on the database at `url`; resolves to a function
 * that closes it. If the process dies, PostgreSQL ends the session with it.
 */
export async function announceServer(url: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, application_name: SERVER_APPLICATION_NAME });
  // A dropped connection only hides this server from maintenance commands; it must not end the process.
  client.on('error', () => undefined);
  await client.connect();
  return () => client.end().catch(() => undefined);
}

/** How many gallery servers (replicas) serve on the database at `url` now. */
export async function runningServersOn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'notebook-gallery maintenance' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ servers: string }>(
      'SELECT count(*) AS servers FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [SERVER_APPLICATION_NAME]
    );
    return Number(result.rows[0].servers);
  } finally {
    await client.end();
  }
}
