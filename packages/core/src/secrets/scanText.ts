import { IRuleContext, ISecretRule, SECRET_RULES } from './rules';

/** A secret found in one string, before it is placed in a notebook. */
export interface ITextHit {
  rule: ISecretRule;
  value: string;
  /** 1-based. */
  line: number;
  /** 1-based, where the secret itself starts. */
  column: number;
  masked: string;
}

/** Lines longer than this are searched in windows of this size. */
export const WINDOW = 8192;

/** How much consecutive windows share: longer than the longest secret any rule matches (a 2,500-character JWT). */
export const WINDOW_OVERLAP = 2560;

/** Any rule's keyword, case-insensitively: one pass that rules out most lines before anything else runs. */
const ANY_KEYWORD = new RegExp(
  [...new Set(SECRET_RULES.flatMap(rule => rule.keywords))]
    .map(keyword => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'i'
);

/** The comment that exempts a line, in detect-secrets' spelling so existing notebooks keep working. */
export const ALLOWLIST_PRAGMA = 'pragma: allowlist secret';

/**
 * Finds secrets in one string (a cell source or a metadata value), line by line.
 *
 * Why a hostile string cannot stall it: every rule's pattern has bounded quantifiers and no nested ones, and it
 * only ever runs over one window of at most {@link WINDOW} characters, so a window costs a bounded amount of
 * work whatever it holds; the deadline is checked before every window, so the scan overruns it by at most one
 * window's work. Keywords are checked first, so a window with none of a rule's keywords costs one `includes`.
 *
 * @returns `false` when the deadline passed before the whole string was searched (hits so far are kept).
 */
export function scanText(text: string, deadline: number, hits: ITextHit[]): boolean {
  const context: IRuleContext = { text, offset: 0 };
  const seen = new Set<string>();
  let lineNumber = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    lineNumber++;
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (Date.now() > deadline) {
      return false;
    }
    const line = text.slice(lineStart, lineEnd);
    const lowerLine = ANY_KEYWORD.test(line) ? line.toLowerCase() : '';
    if (lowerLine !== '' && !lowerLine.includes(ALLOWLIST_PRAGMA)) {
      for (let windowStart = lineStart; ; windowStart += WINDOW - WINDOW_OVERLAP) {
        if (windowStart > lineStart && Date.now() > deadline) {
          return false;
        }
        const windowEnd = Math.min(lineEnd, windowStart + WINDOW);
        const window = text.slice(windowStart, windowEnd);
        const lowerWindow = lowerLine.slice(windowStart - lineStart, windowEnd - lineStart);
        context.offset = windowStart;
        for (const rule of SECRET_RULES) {
          if (rule.keywords.some(keyword => lowerWindow.includes(keyword))) {
            const edges = { first: windowStart === lineStart, last: windowEnd >= lineEnd };
            searchWindow(rule, window, context, edges, lineNumber, lineStart, seen, hits);
          }
        }
        if (windowEnd >= lineEnd) {
          break;
        }
      }
    }
    if (newline < 0) {
      break;
    }
    lineStart = newline + 1;
  }
  return true;
}

function searchWindow(
  rule: ISecretRule,
  window: string,
  context: IRuleContext,
  edges: { first: boolean; last: boolean },
  lineNumber: number,
  lineStart: number,
  seen: Set<string>,
  hits: ITextHit[]
): void {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(window); match !== null; match = pattern.exec(window)) {
    // A match touching a window's cut edge may be part of a longer token; the neighbouring window, which overlaps
    // by more than any secret's length, holds the whole of it.
    if ((match.index === 0 && !edges.first) || (match.index + match[0].length === window.length && !edges.last)) {
      continue;
    }
    const found = rule.secret(match, context);
    if (found === undefined) {
      continue;
    }
    // One finding per value and place: overlapping windows see it twice, and a token in a URL is also a password.
    const key = `${found.start}\0${found.value}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    hits.push({
      rule,
      value: found.value,
      line: lineNumber,
      column: found.start - lineStart + 1,
      masked: rule.masked(match, found.value)
    });
  }
}
