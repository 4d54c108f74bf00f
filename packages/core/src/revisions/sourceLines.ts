import type { MultilineString } from '../nbformat';

/**
 * A cell's source as lines without their newlines. Splitting on "\n" alone, and keeping a last empty line when the
 * source ends with one, means {@link joinLines} gives back exactly the same text.
 */
export function sourceLines(source: MultilineString): string[] {
  return sourceText(source).split('\n');
}

/** A cell's source as one string, whichever form nbformat stored it in. */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** The inverse of {@link sourceLines}. */
export function joinLines(lines: readonly string[]): string {
  return lines.join('\n');
}
