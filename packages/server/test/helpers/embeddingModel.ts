import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The embedding model's directory for tests: GALLERY_EMBEDDING_MODEL (scripts/test exports it), else the cache
 * directory scripts/lib.sh fetches it into. Throws, rather than skipping, when it is missing.
 */
export function embeddingModelDir(): string {
  const dir =
    process.env.GALLERY_EMBEDDING_MODEL ||
    path.join(
      process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
      'notebook-gallery',
      'embedding-model-minilm-int8-1.0.0'
    );
  if (!fs.existsSync(path.join(dir, 'model.onnx'))) {
    throw new Error(`no embedding model in ${dir}: run "source scripts/lib.sh && ensure_embedding_model" first`);
  }
  return dir;
}
