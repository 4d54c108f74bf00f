import { importedPackages } from './importedPackages';
import type { INotebook, MultilineString } from './nbformat';

/** The words of a notebook that search should find, by kind so they can be weighted. */
export interface INotebookSearchText {
  markdown: string;
  code: string;
  /** The packages the code imports or installs ({@link importedPackages}). */
  packages: string[];
  /** The kernel's language and name, lower case (for example `python python3`), or '' when the notebook says none. */
  language: string;
}

const ATX_HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const DATA_URI = /data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+/g;

function joinSource(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Collect a notebook's prose, code, imported packages and language for the full-text index, leaving out inline base64 data. */
export function notebookSearchText(nb: INotebook): INotebookSearchText {
  const markdown: string[] = [];
  const code: string[] = [];
  for (const cell of nb.cells) {
    // Only markdown and code are indexed; a cell type from a newer nbformat minor version may have no source.
    if (cell.cell_type !== 'markdown' && cell.cell_type !== 'code') {
      continue;
    }
    const text = joinSource(cell.source).replace(DATA_URI, ' ');
    (cell.cell_type === 'markdown' ? markdown : code).push(text);
  }
  const allCode = code.join('\n');
  return {
    markdown: markdown.join('\n'),
    code: allCode,
    packages: importedPackages(allCode),
    language: kernelLanguage(nb)
  };
}

/** `language_info.name`, `kernelspec.language` and `kernelspec.name`, deduplicated, lower case. */
function kernelLanguage(nb: INotebook): string {
  const { kernelspec, language_info: languageInfo } = nb.metadata;
  const names = [languageInfo?.name, kernelspec?.language, kernelspec?.name].filter(
    (name): name is string => typeof name === 'string' && name.trim() !== ''
  );
  return [...new Set(names.map(name => name.trim().toLowerCase()))].join(' ');
}

/** The text of the first markdown heading, used to suggest a title when a notebook is first shared. */
export function firstHeading(nb: INotebook): string | null {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') {
      continue;
    }
    const lines = joinSource(cell.source).split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const atx = ATX_HEADING.exec(lines[i]);
      if (atx) {
        return atx[1].trim();
      }
      const next = lines[i + 1];
      if (lines[i].trim() && next !== undefined && SETEXT_UNDERLINE.test(next) && next.trim().startsWith('=')) {
        return lines[i].trim();
      }
    }
  }
  return null;
}
