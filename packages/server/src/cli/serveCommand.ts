import { parseArgs } from 'node:util';
import { buildApp, type IAppOptions } from '../app';
import { CONFIG_OPTIONS, loadConfig } from '../config';
import { announceServer } from '../repositories/postgres/pgRunningServers';
import { recordServerPid } from '../storage/serverPidFile';

/** `notebook-gallery serve --help`. */
export const SERVE_USAGE = `Usage: notebook-gallery serve [options]

Runs the gallery server. Every option can also be set with its environment variable.

Options:
${CONFIG_OPTIONS.map(opt => `  --${opt.flag} <value>\n      ${opt.help}\n      (${opt.env}, default ${opt.defaultValue || 'unset'})`).join('\n')}
  -h, --help
      this help
`;

/**
 * Starts the server and prints `Notebook Gallery listening on http://HOST:PORT`; SIGTERM or SIGINT stop it cleanly.
 * `appOptions` is for tests (the crash tests' entry script passes a save hook); the CLI passes none.
 */
export async function serveCommand(args: string[], appOptions: IAppOptions = {}): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(CONFIG_OPTIONS.map(opt => [opt.flag, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' }
    },
    strict: true
  });
  if (values.help) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const config = loadConfig(values as Record<string, string | undefined>);
  const app = await buildApp(config, appOptions);
  await app.listen({ host: config.host, port: config.port });
  // SQLite: server.pid says this process owns the data directory. PostgreSQL: replicas share the data directory from
  // other machines, where a process id means nothing; a session on the database shows each of them instead.
  const forget: () => void | Promise<void> = config.databaseUrl
    ? await announceServer(config.databaseUrl)
    : recordServerPid(config.dataDir);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`Notebook Gallery listening on http://${host}:${port}\n`);
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    app.log.info(`${signal} received, closing`);
    await forget();
    await app.close().then(
      () => process.exit(0),
      error => {
        app.log.error({ err: error }, 'error while closing');
        process.exit(1);
      }
    );
  };
  process.once('SIGTERM', signal => void stop(signal));
  process.once('SIGINT', signal => void stop(signal));
  return 0;
}
