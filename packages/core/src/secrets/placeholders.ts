/**
 * Values that stand for a secret without being one: what tutorials and templates put where the real secret goes.
 * Only the free-form checks (assignments, passwords in URLs) consult this; a token with a provider's exact shape
 * is reported even when it reads "EXAMPLE", because people paste real keys next to such words too.
 */

/** Whole values (lowercased) that are well-known stand-ins. */
const STAND_INS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'token',
  'changeme',
  'change_me',
  'changeit',
  'default',
  'admin',
  'root',
  'guest',
  'test',
  'testing',
  'example',
  'placeholder',
  'dummy',
  'sample',
  'redacted',
  'hidden',
  'none',
  'null',
  'undefined',
  'true',
  'false',
  'todo',
  'fixme',
  'notasecret',
  'mysecret',
  'mypassword',
  'yourpassword',
  'secretpassword',
  'password123',
  'secret123'
]);

/** Shapes of templating, environment lookups and obvious filler. */
const STAND_IN_SHAPES: readonly RegExp[] = [
  /^(.)\1*$/, // xxxx, ****, ....
  /<[^<>]{0,80}>/, // <your token>
  /\$\{[^{}]{0,80}\}/, // ${VAR}
  /^\$[A-Za-z_][A-Za-z0-9_]{0,80}$/, // $VAR
  /\{\{[^{}]{0,80}\}\}/, // {{ var }}
  /^\{[A-Za-z_][A-Za-z0-9_.]{0,80}\}$/, // {password} in an f-string or str.format
  /%\([A-Za-z_]{1,40}\)s|^%s$/, // %(password)s
  /\.\.\./, // sk-...
  /…/,
  /x{4,}/i, // abcdXXXXXXXX
  /\*{3,}/,
  /\b(?:your|my|the|insert|enter|put|replace)[_\- ]?(?:own[_\- ]?)?(?:api[_\- ]?)?(?:access[_\- ]?)?(?:key|token|secret|password|pass)/i,
  /(?:example|placeholder|dummy|changeme|redacted|not[_\- ]?a[_\- ]?(?:real[_\- ]?)?(?:secret|key|token|password))/i,
  /^(?:os\.)?(?:environ|getenv)|^sys\.getenv|^env\[/i
];

/** True when `value` is a stand-in rather than a secret. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (STAND_INS.has(trimmed.toLowerCase())) {
    return true;
  }
  return STAND_IN_SHAPES.some(shape => shape.test(trimmed));
}
