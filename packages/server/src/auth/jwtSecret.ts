import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** File in the data directory holding the token signing secret. */
export const JWT_SECRET_FILE = 'jwt-secret';

/** Reads the token signing secret, generating it (mode 0600) on first start so tokens survive restarts. */
export function loadOrCreateJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, JWT_SECRET_FILE);
  try {
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new Error(`${file} holds too short a secret; delete it to generate a new one (this logs everyone out)`);
  }
  return secret;
}
