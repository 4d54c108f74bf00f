import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';
import { openGallery } from '../compositionRoot';
import { readPassword } from './readPassword';

/** `notebook-gallery user --help`. */
export const USER_USAGE = `Usage: notebook-gallery user add NAME [--password P] [--admin] [--data-dir D]
       notebook-gallery user disable NAME [--data-dir D]
       notebook-gallery user enable NAME [--data-dir D]
       notebook-gallery user password NAME [--password P] [--data-dir D]

add: adds a gallery user. Without --password, prompts for it (no echo) on a
terminal, or reads the first line of stdin otherwise.
disable: the account's logins and API tokens stop working at once (audited).
enable: lets a disabled account log in again; its personal tokens work again.
password: sets the password (prompted like add's) without the old one: for accounts an import
made without one, or a forgotten password. Signs the account out everywhere; personal tokens stay.

Options:
  --password <p>     the password (visible in your shell history; prefer the prompt)
  --admin            may edit and delete every notebook
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

const ACTIONS = ['add', 'disable', 'enable', 'password'];

/** `user add`, `user disable`, `user enable`, `user password`: account administration from the server's shell. */
export async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      password: { type: 'string' },
      admin: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  });
  if (values.help) {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  const [action, username] = positionals;
  if (!ACTIONS.includes(action) || positionals.length !== 2) {
    throw new ConfigError(`expected: notebook-gallery user ${ACTIONS.includes(action) ? action : 'add'} NAME`);
  }
  if (action !== 'add' && values.admin !== undefined) {
    throw new ConfigError(`--admin goes with "user add", not "user ${action}"`);
  }
  if (action !== 'add' && action !== 'password' && values.password !== undefined) {
    throw new ConfigError(`--password goes with "user add" and "user password", not "user ${action}"`);
  }
  const config = loadConfig({ 'data-dir': values['data-dir'], 'database-url': values['database-url'] });
  const password =
    action === 'add' || action === 'password'
      ? (values.password ?? (await readPassword(`Password for ${username}: `)))
      : '';
  const context = await openGallery({ dataDir: config.dataDir, fsync: config.fsync, databaseUrl: config.databaseUrl });
  try {
    if (action === 'add') {
      const user = await context.accounts.add(username, password, values.admin ?? false);
      process.stdout.write(`Added ${user.isAdmin ? 'admin' : 'user'} ${user.username}\n`);
    } else if (action === 'password') {
      await context.accounts.setPassword(username, password);
      process.stdout.write(`Set the password of ${username}; their other sessions are signed out\n`);
    } else {
      await context.accounts.setDisabled(username, action === 'disable', null);
      process.stdout.write(`${action === 'disable' ? 'Disabled' : 'Enabled'} user ${username}\n`);
    }
  } finally {
    await context.close();
  }
  return 0;
}
