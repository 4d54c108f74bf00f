import * as fs from 'node:fs';
import * as path from 'node:path';

/** Root of the installed server package (holds package.json and examples/), from src/ and lib/ alike. */
export const PACKAGE_ROOT = path.join(__dirname, '..');

/** The server package's version, as reported by /healthz and `--version`. */
export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
