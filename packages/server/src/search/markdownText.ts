/**
 * Markdown as the plain text a reader sees, on one line: heading, list and quote markers, emphasis, code fences and
 * backticks, link targets and HTML tags dropped; link and image texts kept. Good enough to quote in a search result,
 * not a renderer: what it cannot recognise it leaves as typed.
 */
export function plainMarkdown(markdown: string): string {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.replace(HTML_COMMENT, ' ').split(/\r?\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (marker !== undefined && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) {
      // An opening or closing fence line; its info string (```python) is not text either.
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence !== null) {
      lines.push(line);
    } else if (!DROPPED_LINE.some(pattern => pattern.test(line))) {
      lines.push(Private.inlineText(Private.blockText(line)));
    }
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Lines that hold no text: thematic breaks, setext underlines, table separators, link reference definitions. */
const DROPPED_LINE = [
  /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/,
  /^ {0,3}(?:=+|-+)[ \t]*$/,
  /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$/,
  /^ {0,3}\[[^\]]+\]:[ \t]*\S+/
];

namespace Private {
  /** The line without its block markers: quote, heading, list item, task box, table pipes. */
  export function blockText(line: string): string {
    let text = line.replace(/^ {0,3}(?:>[ \t]?)+/, '');
    text = text.replace(/^ {0,3}#{1,6}(?:[ \t]+|$)/, '').replace(/[ \t]+#+[ \t]*$/, '');
    text = text.replace(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/, '');
    if (/^[ \t]*\|/.test(text)) {
      text = text.replace(/\|/g, ' ');
    }
    return text;
  }

  /** The line's inline markup removed; code spans keep their content as typed. */
  export function inlineText(line: string): string {
    let text = '';
    let at = 0;
    for (const code of line.matchAll(CODE_SPAN)) {
      text += proseText(line.slice(at, code.index)) + code[2];
      at = code.index + code[0].length;
    }
    return text + proseText(line.slice(at));
  }

  const CODE_SPAN = /(`+)(.*?[^`])\1(?!`)/g;

  function proseText(text: string): string {
    let plain = text;
    for (const [trigger, pattern, replacement] of INLINE_RULES) {
      // Most lines hold little or no markup: a rule whose character is absent is not run.
      if (plain.includes(trigger)) {
        plain = plain.replace(pattern, replacement as string);
      }
    }
    // Escaped characters were set aside as private-use characters, so that no markup rule took them.
    return text.includes('\\')
      ? plain.replace(/[\uE000-\uE07F]/g, char => String.fromCharCode(char.charCodeAt(0) - ESCAPED))
      : plain;
  }

  /** Where escaped ASCII punctuation is set aside: U+E000 and up, private-use characters no markup rule takes. */
  const ESCAPED = 0xe000;

  /** Inline markup, in the order it is removed: each rule runs only when its character is in the text. */
  const INLINE_RULES: ReadonlyArray<[string, RegExp, string | ((...parts: string[]) => string)]> = [
    ['\\', /\\([!-/:-@[-`{-~])/g, (_escape, char) => String.fromCharCode(ESCAPED + char.charCodeAt(0))],
    ['![', /!\[([^\]]*)\]\([^)]*\)/g, '$1'],
    ['[', /\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])/g, '$1'],
    ['<', /<((?:https?|mailto):[^>\s]+)>/g, '$1'],
    ['<', /<\/?[A-Za-z][\w-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>/g, ' '],
    ['**', /\*\*(?=\S)(.*?\S)\*\*/g, '$1'],
    ['__', /__(?=\S)(.*?\S)__/g, '$1'],
    ['~~', /~~(?=\S)(.*?\S)~~/g, '$1'],
    ['*', /\*(?=[^\s*])(.*?[^\s*])\*/g, '$1'],
    ['_', /(^|[^\p{L}\p{N}_])_(?=[^\s_])(.*?[^\s_])_(?![\p{L}\p{N}_])/gu, '$1$2'],
    ['&', /&(amp|lt|gt|quot|#39|nbsp);/g, (_entity, name) => ENTITIES[name]]
  ];

  const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };
}
