import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** File in the data directory holding the token signing secret. */
export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * Reads the token signing secret, generating it (mode 0600) on first start so tokens survive restarts. Replicas
 * sharing the data directory must all sign with the same secret, and two may start together: the secret is written
 * to a file of this process first and then linked into place, which fails with EEXIST for all but one, so nobody ever
 * reads a file another replica has created but not yet filled, and the losers read the winner's secret.
 */
export function loadOrCreateJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, JWT_SECRET_FILE);
  if (!fs.existsSync(file)) {
    const draft = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(draft, crypto.randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new Error(`${file} holds too short a secret; delete it to generate a new one (this logs everyone out)`);
  }
  return secret;
}
