import type { INotebook } from '@notebook-gallery/core';
import type { Element } from 'hast';
import type { IRenderLibraries } from './renderLibraries';

/** What highlight.js calls text it does not colour. */
export const PLAIN_TEXT = 'plaintext';

/**
 * The language a notebook's code cells are highlighted in: the kernel's language, else the one the kernel reported,
 * else plain text. A language the render libraries' lowlight does not know (Wolfram's, SoS, …) is plain text too.
 */
export function notebookLanguage(notebook: INotebook, lowlight: IRenderLibraries['lowlight']): string {
  const metadata = notebook.metadata as { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } };
  for (const candidate of [metadata.kernelspec?.language, metadata.language_info?.name]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') {
      const language = candidate.trim().toLowerCase();
      return lowlight.registered(language) ? language : PLAIN_TEXT;
    }
  }
  return PLAIN_TEXT;
}

/**
 * `<pre><code class="language-x hljs">` with highlight.js's class-based spans (`hljs-keyword`, …), coloured by
 * notebook.css; or the same element with the text alone when `highlight` is false or the language is plain text.
 */
export function codeBlock(libraries: IRenderLibraries, source: string, language: string, highlight: boolean): Element {
  const { h, lowlight } = libraries;
  if (!highlight || language === PLAIN_TEXT) {
    return h('pre', { className: ['nb-code'] }, h('code', { className: [`language-${language}`] }, source));
  }
  const tree = lowlight.highlight(language, source);
  return h(
    'pre',
    { className: ['nb-code'] },
    h('code', { className: ['hljs', `language-${language}`] }, tree.children)
  );
}
