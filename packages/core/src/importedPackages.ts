/**
 * The packages a notebook's code uses, read from its import lines. Pure text parsing (no code runs): search indexes
 * the names, and reproducibility metadata records them per revision.
 *
 * Recognised, one statement per line (a line may hold several `;`-separated Python or R statements):
 * - Python: `import a.b as c, d` (a, d), `from a.b import c` (a; relative imports are skipped),
 *   `%pip install x y==1.0`, `!pip install -U x` (options and version specifiers dropped)
 * - R: `library(x)`, `require(x)`, `requireNamespace("x")`, `library("x")`
 * - Julia: `using A, B.C`, `using A: f`, `import A`
 * - JavaScript: `require('x')`
 */
export function importedPackages(code: string): string[] {
  const found = new Set<string>();
  for (const rawLine of code.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const install = PIP_INSTALL.exec(line);
    if (install) {
      for (const name of pipPackages(install[1])) {
        found.add(name);
      }
      continue;
    }
    for (const statement of line.split(';')) {
      for (const name of statementPackages(statement.trim())) {
        found.add(name);
      }
    }
    for (const match of line.matchAll(CALL_IMPORT)) {
      found.add(match[2]);
    }
  }
  return [...found];
}

const PIP_INSTALL = /^[%!]\s*(?:python\s+-m\s+)?(?:pip3?|mamba|conda)\s+install\s+(.*)$/;
const PYTHON_IMPORT = /^import\s+(.+)$/;
const PYTHON_FROM = /^from\s+([A-Za-z_][\w.]*)\s+import\b/;
const JULIA_USING = /^using\s+(.+)$/;
/** `library(x)`, `require("x")`, `requireNamespace('x')`, JavaScript's `require('x')`: anywhere on a line. */
const CALL_IMPORT = /\b(library|require|requireNamespace)\(\s*["']?([A-Za-z@][\w.@/:-]*)["']?/g;
const NAME = /^[A-Za-z_][\w]*$/;

function statementPackages(statement: string): string[] {
  const from = PYTHON_FROM.exec(statement);
  if (from) {
    return [from[1].split('.')[0]];
  }
  const plain = PYTHON_IMPORT.exec(statement) ?? JULIA_USING.exec(statement);
  if (!plain) {
    return [];
  }
  // `using A: f, g` lists names of A after the colon; only A is a package.
  return plain[1]
    .split(':')[0]
    .split(',')
    .map(part => part.trim().split(/\s+/)[0].split('.')[0])
    .filter(name => NAME.test(name));
}

function pipPackages(args: string): string[] {
  const names: string[] = [];
  const words = args.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('-')) {
      // Options that take a value (`-r file`, `-c constraints`, `--index-url URL`) skip it too.
      if (/^(-r|-c|-e|-i|--requirement|--constraint|--index-url|--extra-index-url|--target|-t)$/.test(word)) {
        i++;
      }
      continue;
    }
    const name = /^([A-Za-z0-9][\w.-]*)/.exec(word.replace(/^["']/, ''));
    if (name && !/^(https?|git\+)/.test(word)) {
      names.push(name[1]);
    }
  }
  return names;
}
