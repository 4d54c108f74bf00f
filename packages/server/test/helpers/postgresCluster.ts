import pg from 'pg';
import { START_TIMEOUT_MS, startCluster } from './postgresProcess';

/**
 * A real PostgreSQL server from the machine's packages, private to this test process: a throwaway cluster in a
 * temporary folder, reached only through a Unix socket there (nothing listens on TCP), with fsync off because
 * nothing in it outlives the tests. Started on first use (about a second), shared by every test in the process, each
 * of which takes its own database, and stopped by the jest run's global teardown (test/helpers/postgresTeardown.js).
 */
export interface IPostgresCluster {
  /** The folder holding the data directory, the socket and the server log. */
  dir: string;
  /** A `postgres://` URL for `database` over the socket, as a user gives `--database-url`. */
  url(database: string): string;
  /** A new empty database with a unique name; resolves to its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Drops a database made by {@link createDatabase}, ending its connections first. */
  dropDatabase(url: string): Promise<void>;
}

/** Time for initdb and the first start on a loaded 2-core machine; tests pass it to the hook that starts a cluster. */
export const POSTGRES_START_TIMEOUT_MS: number = START_TIMEOUT_MS;

let shared: IPostgresCluster | undefined;
let databases = 0;

/** The cluster of this test process, started on first call. */
export function postgresCluster(): IPostgresCluster {
  shared ??= openCluster();
  return shared;
}

function openCluster(): IPostgresCluster {
  const dir: string = startCluster();
  const url = (database: string): string => `postgres://postgres@${encodeURIComponent(dir)}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    dir,
    url,
    async createDatabase(prefix = 'gallery'): Promise<string> {
      const name = `${prefix}_${process.pid}_${++databases}`;
      await admin(client => client.query(`CREATE DATABASE ${name}`));
      return url(name);
    },
    async dropDatabase(databaseUrl: string): Promise<void> {
      const name = new URL(databaseUrl).pathname.slice(1);
      await admin(client => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  };
}
