import { shannonEntropy } from './entropy';
import { isPlaceholder } from './placeholders';

/**
 * The entropy check for assignments: a literal given to a name that says "secret" (`password`, `api_key`,
 * `client_secret`, `HF_TOKEN`, ...), in the forms notebooks use: Python, R (`<-`), Julia, shell (`TOKEN=...`),
 * JSON and YAML-ish `name: value`. The value must look like a secret, not like code or a stand-in.
 */

/** Name endings that mean the value is a password: any non-trivial literal counts. */
const PASSWORD_NAME = /(?:password|passwd|passphrase|pwd|secret)$/;

/** Name endings that mean the value is a token or key: it must also look random. */
const TOKEN_NAME =
  /(?:token|apikey|accesskey|secretkey|privatekey|clientsecret|authkey|signingkey|credential|credentials)$/;

/** Letters, digits and the few separators a name may hold; the part after the last `.` is what counts. */
function normalisedName(name: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last.toLowerCase().replace(/[_-]/g, '');
}

/** How strict to be with a value under `name`: `undefined` when the name is not a secret's. */
export function secretNameKind(name: string): 'password' | 'token' | undefined {
  const normalised = normalisedName(name);
  if (PASSWORD_NAME.test(normalised)) {
    return 'password';
  }
  if (TOKEN_NAME.test(normalised)) {
    return 'token';
  }
  return undefined;
}

/** A path or file name: where a secret is kept, not the secret. */
const FILE_NAME = /^(?:~|\.{1,2})?\/|\.(?:json|pem|key|p12|pfx|txt|ya?ml|cfg|conf|ini|env|crt|cer|pub|gpg|asc|toml)$/i;

/** Code rather than a literal: a call, an index, a dict or an attribute (`getpass()`, `config.token`). */
const EXPRESSION = /[([{]|^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** A bare identifier: a variable (`password=pw`) unless it reads as random (`TOKEN=a81Fx0...`). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A bare value that looks like code, not like a secret written without quotes. */
function looksLikeCode(value: string): boolean {
  if (EXPRESSION.test(value) || !/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) {
    return true;
  }
  const digits = value.replace(/[^0-9]/g, '').length;
  return IDENTIFIER.test(value) && (value.length < 16 || digits < 3 || shannonEntropy(value) < 3.5);
}

/**
 * True when `value`, given to `name`, is reported. `quoted` says whether it was a string literal; an unquoted
 * value only counts where a language writes literals bare (shell `NAME=value`, YAML `name: value`), which the
 * caller decides, and never when it reads like code (`getpass()`, `os.environ["X"]`, `config.token`).
 */
export function isSecretAssignment(name: string, value: string, quoted: boolean): boolean {
  const kind = secretNameKind(name);
  if (kind === undefined || isPlaceholder(value)) {
    return false;
  }
  if (!quoted && looksLikeCode(value)) {
    return false;
  }
  if (FILE_NAME.test(value)) {
    // `GOOGLE_APPLICATION_CREDENTIALS = "key.json"` names where the secret is, which is how it should be done.
    return false;
  }
  if (/\s/.test(value)) {
    // Sentences ("Enter your password") are prompts, not secrets.
    return false;
  }
  const entropy = shannonEntropy(value);
  if (kind === 'password') {
    return value.length >= (quoted ? 6 : 8) && entropy >= 2.3;
  }
  return value.length >= 16 && entropy >= 3.0;
}

/**
 * `name <op> value` on one line. Quantifiers are bounded and no group repeats another, so a line costs at most
 * its length times the longest bound; the operator and quotes are captured so {@link isSecretAssignment}'s caller
 * can tell literals from code. Groups: 1 name, 2 closing quote or bracket, 3 space before, 4 operator,
 * 5 space after, 6 double-quoted, 7 single-quoted, 8 bare value.
 */
export const ASSIGNMENT =
  /([A-Za-z_][A-Za-z0-9_.-]{0,60})(["']?\]?)(\s{0,8})(:=|=>|<-|==?|:)(\s{0,8})(?:"([^"\\\r\n]{1,300})"|'([^'\\\r\n]{1,300})'|([^\s"'`,;)\]}#<>]{1,300}))/dg;

/** The secret in an {@link ASSIGNMENT} match and its group number, or `undefined` when it is not one. */
export function assignedSecret(match: RegExpExecArray): { value: string; group: number } | undefined {
  const [, name, , spaceBefore, operator, spaceAfter, doubleQuoted, singleQuoted, bare] = match;
  if (operator === '==') {
    return undefined;
  }
  if (doubleQuoted !== undefined || singleQuoted !== undefined) {
    const value = doubleQuoted ?? singleQuoted;
    return isSecretAssignment(name, value, true) ? { value, group: doubleQuoted !== undefined ? 6 : 7 } : undefined;
  }
  // Bare literals: shell and .env write `NAME=value` with no spaces; YAML writes `name: value`.
  const bareLiteral = (operator === '=' && spaceBefore === '' && spaceAfter === '') || operator === ':';
  return bareLiteral && isSecretAssignment(name, bare, false) ? { value: bare, group: 8 } : undefined;
}
