/**
 * The secret check's rules: a curated set of credential shapes, written for this project after reading
 * gitleaks' default rules (https://github.com/gitleaks/gitleaks, config/gitleaks.toml, MIT licence, copyright
 * Zachary Rice) and secretlint's preset-recommend (https://github.com/secretlint/secretlint, MIT licence,
 * by azu). No pattern is copied; each is narrowed to what a notebook cell holds.
 *
 * Every pattern is linear in practice: a literal prefix, character classes with bounded quantifiers and no
 * quantified group inside another, so one window of text costs at most its length times the largest bound.
 */
import { assignedSecret, ASSIGNMENT } from './assignments';
import { shannonEntropy } from './entropy';
import { HIDDEN, maskSecret } from './masking';
import { isPlaceholder } from './placeholders';

/** Where a rule is running: the whole string being scanned and where the current window starts in it. */
export interface IRuleContext {
  readonly text: string;
  offset: number;
  /** Memo of the last search for a PEM footer, so a line of many headers costs one pass, not one per header. */
  pemFooter?: { from: number; at: number };
}

/** The secret a match holds: its value and its start in the scanned string. */
export interface ISecretMatch {
  value: string;
  start: number;
}

/** One kind of secret. */
export interface ISecretRule {
  /** Stable id, part of every fingerprint: never rename one. */
  readonly id: string;
  /** A sentence fragment for people. */
  readonly description: string;
  /** Lowercase strings; a window holding none of them is not searched (most lines hold none). */
  readonly keywords: readonly string[];
  /** Flags `dg`: global, with match indices so columns point at the secret, not at its label. */
  readonly pattern: RegExp;
  /** The secret in a match, or `undefined` when the match is a stand-in or otherwise not one. */
  secret(match: RegExpExecArray, context: IRuleContext): ISecretMatch | undefined;
  /** The secret as shown; by default the first and last four characters of tokens with a known shape. */
  masked(match: RegExpExecArray, value: string): string;
}

/** The capture group `group` as the secret, kept when `accept` (if given) agrees. */
function group(index: number, accept?: (value: string) => boolean): ISecretRule['secret'] {
  return (match, context) => {
    const value = match[index];
    const indices = match.indices?.[index];
    if (value === undefined || indices === undefined || (accept && !accept(value))) {
      return undefined;
    }
    return { value, start: context.offset + indices[0] };
  };
}

const showEnds: ISecretRule['masked'] = (_match, value) => maskSecret(value, 'ends');
const showNothing: ISecretRule['masked'] = (_match, value) => maskSecret(value, 'hidden');

/** A token rule: a fixed shape found anywhere, shown by its ends. */
function token(
  id: string,
  description: string,
  keywords: string[],
  pattern: RegExp,
  accept?: (value: string) => boolean
): ISecretRule {
  return { id, description, keywords, pattern, secret: group(1, accept), masked: showEnds };
}

const mixedCase = (value: string): boolean => /[a-z]/.test(value) && /[A-Z]/.test(value);

/** Base64url to text, written out because core's type library has neither `atob` nor `Buffer`. */
function base64UrlText(encoded: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let bits = 0;
  let buffer = 0;
  let text = '';
  for (const ch of encoded) {
    const value = alphabet.indexOf(ch);
    if (value < 0) {
      break;
    }
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      text += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return text;
}

/** A JWT header is base64url JSON naming its algorithm; anything else that starts with `eyJ` is not a JWT. */
function isJwt(value: string): boolean {
  try {
    const header: unknown = JSON.parse(base64UrlText(value.slice(0, value.indexOf('.'))));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** How far after a PEM header its footer may be: a 16384-bit RSA key is under 13,000 characters. */
const PEM_REACH = 16_000;

/** A private key block, header to footer, when its body holds real key material (not `...`). */
function pemBlock(match: RegExpExecArray, context: IRuleContext): ISecretMatch | undefined {
  const start = context.offset + match.index;
  const from = start + match[0].length;
  let footer: number;
  if (
    context.pemFooter &&
    context.pemFooter.from <= from &&
    (context.pemFooter.at >= from || context.pemFooter.at < 0)
  ) {
    footer = context.pemFooter.at;
  } else {
    footer = context.text.indexOf('-----END', from);
    context.pemFooter = { from, at: footer };
  }
  if (footer < 0 || footer - from > PEM_REACH) {
    return undefined;
  }
  const footerEnd = context.text.indexOf('-----', footer + 8);
  if (footerEnd < 0 || footerEnd - footer > 60) {
    return undefined;
  }
  const body = context.text.slice(from, footer);
  if (body.includes('...') || body.includes('…') || (body.match(/[A-Za-z0-9+/]/g) ?? []).length < 64) {
    return undefined;
  }
  return { value: context.text.slice(start, footerEnd + 5), start };
}

/** Schemes of database and message-broker URLs that carry a password. */
const DATABASE_SCHEMES = ['postgres', 'mysql', 'mariadb', 'mongodb', 'amqp', 'redis', 'mssql', 'sqlserver', 'oracle'];

/** A URL with its password replaced: `postgresql://alice:••••••@db.example.org`. */
const urlMasked: ISecretRule['masked'] = match => `${match[1]}://${match[2]}:${HIDDEN}@${match[4]}`;

/** In the order they are tried: where two rules find the same value at the same place, the first one names it. */
export const SECRET_RULES: readonly ISecretRule[] = [
  {
    id: 'private-key',
    description: 'Private key',
    keywords: ['private key'],
    pattern: /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/dg,
    secret: pemBlock,
    masked: showNothing
  },
  token(
    'aws-access-key-id',
    'AWS access key ID',
    ['akia', 'asia', 'abia', 'acca'],
    /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/dg
  ),
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    keywords: ['secret'],
    pattern:
      /(?:aws_?)?secret_?access_?key["']?\]?\s{0,8}(?:=|:|=>|<-)\s{0,8}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    secret: group(1, value => !isPlaceholder(value) && shannonEntropy(value) >= 3.5),
    masked: showNothing
  },
  token('github-pat', 'GitHub personal access token', ['ghp_'], /\b(ghp_[A-Za-z0-9]{36})\b/dg),
  token('github-oauth-token', 'GitHub OAuth token', ['gho_'], /\b(gho_[A-Za-z0-9]{36})\b/dg),
  token('github-app-token', 'GitHub app token', ['ghu_', 'ghs_'], /\b((?:ghu|ghs)_[A-Za-z0-9]{36})\b/dg),
  token(
    'github-fine-grained-pat',
    'GitHub fine-grained personal access token',
    ['github_pat_'],
    /\b(github_pat_[A-Za-z0-9_]{82})\b/dg
  ),
  token('gitlab-pat', 'GitLab personal access token', ['glpat-'], /\b(glpat-[A-Za-z0-9_-]{20,80})(?![A-Za-z0-9_-])/dg),
  token('slack-token', 'Slack token', ['xox'], /\b(xox[abposre]-[0-9]{6,13}-[A-Za-z0-9-]{8,250})(?![A-Za-z0-9-])/dg),
  token(
    'slack-webhook',
    'Slack webhook URL',
    ['hooks.slack.com'],
    /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,200})/dg,
    value => !isPlaceholder(value)
  ),
  token('stripe-live-key', 'Stripe live secret key', ['_live_'], /\b((?:sk|rk)_live_[A-Za-z0-9]{20,247})\b/dg),
  token('google-api-key', 'Google API key', ['aiza'], /\b(AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/dg),
  token(
    'openai-api-key',
    'OpenAI API key',
    ['t3blbkfj'],
    /\b(sk-[A-Za-z0-9_-]{20,250}T3BlbkFJ[A-Za-z0-9_-]{16,250})(?![A-Za-z0-9_-])/dg
  ),
  token(
    'anthropic-api-key',
    'Anthropic API key',
    ['sk-ant-'],
    /\b(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,110}AA)(?![A-Za-z0-9_-])/dg
  ),
  token('huggingface-token', 'Hugging Face access token', ['hf_'], /\b(hf_[A-Za-z]{34})(?![A-Za-z0-9_])/dg, mixedCase),
  token(
    'azure-storage-account-key',
    'Azure storage account key',
    ['accountkey='],
    /AccountKey=([A-Za-z0-9+/]{40,100}={0,2})/dg,
    value => !isPlaceholder(value)
  ),
  token('npm-token', 'npm access token', ['npm_'], /\b(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/dg),
  {
    id: 'connection-string-password',
    description: 'Password in a database or broker URL',
    keywords: DATABASE_SCHEMES,
    pattern:
      /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|amqps?|rediss?|mssql|sqlserver|oracle)(?:\+[A-Za-z0-9]{1,20})?):\/\/([^:/?#@\s"'`\\]{0,128}):([^@/?#\s"'`\\]{1,128})@([A-Za-z0-9._[\]-]{1,253})/dg,
    secret: group(3, value => !isPlaceholder(value)),
    masked: urlMasked
  },
  {
    id: 'url-password',
    description: 'Password in a URL',
    keywords: ['@'],
    pattern: /\b(https?|ftps?):\/\/([^:/?#@\s"'`\\]{1,128}):([^@/?#\s"'`\\]{1,128})@([A-Za-z0-9._[\]-]{1,253})/dg,
    secret: group(3, value => !isPlaceholder(value)),
    masked: urlMasked
  },
  token(
    'jwt',
    'JSON Web Token',
    ['eyj'],
    /\b(eyJ[A-Za-z0-9_-]{10,500}\.eyJ[A-Za-z0-9_-]{10,1500}\.[A-Za-z0-9_-]{20,500})(?![A-Za-z0-9_-])/dg,
    isJwt
  ),
  {
    id: 'secret-assignment',
    description: 'Secret assigned to a name like password or token',
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential'],
    pattern: ASSIGNMENT,
    secret: (match, context) => {
      const found = assignedSecret(match);
      const indices = found && match.indices?.[found.group];
      return found && indices ? { value: found.value, start: context.offset + indices[0] } : undefined;
    },
    masked: showNothing
  }
];

/** The rule with this id. */
export function secretRule(id: string): ISecretRule | undefined {
  return SECRET_RULES.find(rule => rule.id === id);
}
