import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ConfigError } from '../errors/ConfigError';
import { openGallery } from '../compositionRoot';
import { readPassword } from './readPassword';

/** `notebook-gallery user --help`. */
export const USER_USAGE = `Usage: notebook-gallery user add NAME [--password P] [--admin] [--data-dir D]

Adds a gallery user. Without --password, prompts for it (no echo) on a terminal,
or reads the first line of stdin otherwise.

Options:
  --password <p>     the password (visible in your shell history; prefer the prompt)
  --admin            may edit and delete every notebook
  --data-dir <dir>   the gallery's data directory (GALLERY_DATA_DIR, default ./.gallery)
  -h, --help         this help
`;

/** `user add`: creates an account with an scrypt-hashed password. */
export async function userCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      password: { type: 'string' },
      admin: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  });
  if (values.help) {
    process.stdout.write(USER_USAGE);
    return 0;
  }
  if (positionals[0] !== 'add' || positionals.length !== 2) {
    throw new ConfigError('expected: notebook-gallery user add NAME');
  }
  const username = positionals[1];
  const config = loadConfig({ 'data-dir': values['data-dir'] });
  const password = values.password ?? (await readPassword(`Password for ${username}: `));
  const context = openGallery({ dataDir: config.dataDir, fsync: config.fsync });
  try {
    const user = await context.users.add(username, password, values.admin ?? false);
    process.stdout.write(`Added ${user.isAdmin ? 'admin' : 'user'} ${user.username}\n`);
  } finally {
    context.close();
  }
  return 0;
}
