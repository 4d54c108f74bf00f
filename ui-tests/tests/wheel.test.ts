/**
 * What an admin gets from `pip install jupyterlab-notebook-gallery` in a user image: a prebuilt
 * extension that needs no Node, and that asks JupyterLab for the version ranges it declares
 * rather than for the exact JupyterLab it happened to be built with.
 */
import { execFileSync, spawnSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { labextensionList, ROOT, tempDir } from '../support/processes';

const WHEEL_DIR = join(ROOT, 'dist');
const LABEXTENSION = join(ROOT, 'packages', 'labextension');
/** pip installs JupyterLab and its dependencies from PyPI (through pip's cache when warm). */
const INSTALL_TIMEOUT_MS = 600000;

/** The one wheel scripts/lib.sh built into dist/. */
function builtWheel(): string {
  const wheels = readdirSync(WHEEL_DIR).filter(name => /^jupyterlab_notebook_gallery-.+\.whl$/.test(name));
  expect(wheels).toHaveLength(1);
  return join(WHEEL_DIR, wheels[0]);
}

/** webpack's encoding of a caret range in a consume-shared entry: `^4.0.0` is `[1,4,0,0]`. */
function encodedCaretRange(range: string): string {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!match) {
    throw new Error(`expected a caret range such as ^4.0.0, got "${range}"`);
  }
  return `[1,${match[1]},${match[2]},${match[3]}]`;
}

describe('the wheel', () => {
  it('requires the shared JupyterLab modules in the ranges package.json declares', () => {
    const metadata = JSON.parse(readFileSync(join(LABEXTENSION, 'package.json'), 'utf8'));
    const shared: Record<string, { requiredVersion: string }> = metadata.jupyterlab.sharedPackages;
    const staticDir = join(LABEXTENSION, 'jupyterlab_notebook_gallery', 'labextension', 'static');
    const bundle = readdirSync(staticDir)
      .filter(name => name.endsWith('.js'))
      .map(name => readFileSync(join(staticDir, name), 'utf8'))
      .join('\n');
    // Each consumed shared module appears in the bundle as `"<name>",<eager>,[<range>]`.
    const consumed = new Map<string, string>();
    for (const match of bundle.matchAll(/"(@(?:jupyterlab|lumino)\/[\w-]+)",!?[01],(\[[\d,]+\])/g)) {
      consumed.set(match[1], match[2]);
    }
    expect([...consumed.keys()]).toContain('@jupyterlab/application');
    for (const [name, range] of consumed) {
      expect({ name, range }).toEqual({ name, range: encodedCaretRange(shared[name]?.requiredVersion ?? '') });
      expect(shared[name].requiredVersion).toBe(metadata.dependencies[name]);
    }
  });

  it(
    'installs into a fresh venv with no Node on PATH and is listed enabled and OK',
    () => {
      const venv = join(tempDir('wheel-venv'), 'venv');
      execFileSync('python3', ['-m', 'venv', venv], { stdio: 'pipe' });
      // The wheel's own requirements bring JupyterLab from PyPI, as in an admin's image.
      execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', builtWheel()], {
        stdio: 'pipe',
        timeout: INSTALL_TIMEOUT_MS
      });

      const env = { PATH: join(venv, 'bin'), HOME: tempDir('wheel-home'), LANG: 'C.UTF-8' };
      expect(spawnSync('/bin/sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);
      expect(labextensionList(venv, env)).toMatch(
        /jupyterlab-notebook-gallery v\S+ enabled\s+OK \(python, jupyterlab-notebook-gallery\)/
      );
    },
    INSTALL_TIMEOUT_MS + 60000
  );
});
