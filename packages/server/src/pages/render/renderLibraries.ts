import type { Element, ElementContent, Root } from 'hast';

/**
 * The libraries that turn notebooks into HTML, loaded once. unified, remark, rehype, hastscript and lowlight are ES
 * modules only, and the server is CommonJS: the server's tsconfig uses `module: node16`, which keeps these
 * `await import()` calls real dynamic imports (a plain `require` cannot load them). Tests need jest to run under
 * `node --experimental-vm-modules` for the same reason (see the root package.json and scripts/test).
 *
 * Everything that builds HTML goes through these libraries: pages are hast trees (hastscript's `h`) serialised by
 * `toHtml`, which escapes text and attribute values. No module of the server writes HTML by string concatenation.
 */
export interface IRenderLibraries {
  unified: typeof import('unified', { with: { 'resolution-mode': 'import' } }).unified;
  remarkParse: typeof import('remark-parse', { with: { 'resolution-mode': 'import' } }).default;
  remarkGfm: typeof import('remark-gfm', { with: { 'resolution-mode': 'import' } }).default;
  remarkMath: typeof import('remark-math', { with: { 'resolution-mode': 'import' } }).default;
  remarkRehype: typeof import('remark-rehype', { with: { 'resolution-mode': 'import' } }).default;
  rehypeRaw: typeof import('rehype-raw', { with: { 'resolution-mode': 'import' } }).default;
  rehypeSanitize: typeof import('rehype-sanitize', { with: { 'resolution-mode': 'import' } }).default;
  /** rehype-sanitize's GitHub-like schema, to extend (never to loosen for scripts, styles or event handlers). */
  defaultSchema: typeof import('rehype-sanitize', { with: { 'resolution-mode': 'import' } }).defaultSchema;
  rehypeKatex: typeof import('rehype-katex', { with: { 'resolution-mode': 'import' } }).default;
  rehypeHighlight: typeof import('rehype-highlight', { with: { 'resolution-mode': 'import' } }).default;
  /** hastscript: builds hast elements; text children are text nodes, never parsed as HTML. */
  h: typeof import('hastscript', { with: { 'resolution-mode': 'import' } }).h;
  /** Serialises hast to HTML, escaping as the HTML spec requires. */
  toHtml: typeof import('hast-util-to-html', { with: { 'resolution-mode': 'import' } }).toHtml;
  /**
   * lowlight with highlight.js's common languages (python, r, javascript, sql, bash, cpp, …) and those of other
   * Jupyter kernels ({@link KERNEL_LANGUAGES}: julia, scala, matlab and octave, …).
   */
  lowlight: ReturnType<typeof import('lowlight', { with: { 'resolution-mode': 'import' } }).createLowlight>;
  /** The grammars `lowlight` knows and their extra aliases, for rehype-highlight's fenced code in markdown. */
  grammars: {
    languages: typeof import('lowlight', { with: { 'resolution-mode': 'import' } }).common;
    aliases: Record<string, string[]>;
  };
}

export type { Element, ElementContent, Root };

/** Languages of Jupyter kernels that highlight.js's common set leaves out. */
const KERNEL_LANGUAGES = [
  'julia',
  'scala',
  'matlab',
  'haskell',
  'fortran',
  'sas',
  'stata',
  'clojure',
  'fsharp',
  'ocaml',
  'mathematica',
  'groovy',
  'erlang',
  'elixir',
  'scheme',
  'lisp',
  'powershell',
  'dart'
];

let loading: Promise<IRenderLibraries> | undefined;

/** The render libraries; the first call imports them (about 100 ms), later calls share that one import. */
export function loadRenderLibraries(): Promise<IRenderLibraries> {
  loading ??= load();
  return loading;
}

async function load(): Promise<IRenderLibraries> {
  // One at a time: jest's ES module loader fails ("request for … is not in cache") when imports that share
  // dependencies run concurrently; in the server this costs nothing, it happens once.
  const { unified } = await import('unified');
  const { default: remarkParse } = await import('remark-parse');
  const { default: remarkGfm } = await import('remark-gfm');
  const { default: remarkMath } = await import('remark-math');
  const { default: remarkRehype } = await import('remark-rehype');
  const { default: rehypeRaw } = await import('rehype-raw');
  const { default: rehypeSanitize, defaultSchema } = await import('rehype-sanitize');
  const { default: rehypeKatex } = await import('rehype-katex');
  const { default: rehypeHighlight } = await import('rehype-highlight');
  const { h } = await import('hastscript');
  const { toHtml } = await import('hast-util-to-html');
  const { createLowlight, common, all } = await import('lowlight');
  // lowlight's entry module loads every grammar anyway; registering a few more costs nothing.
  const grammars = {
    languages: { ...common, ...Object.fromEntries(KERNEL_LANGUAGES.map(language => [language, all[language]])) },
    // octave_kernel reports "octave"; highlight.js's MATLAB grammar reads it.
    aliases: { matlab: ['octave'] }
  };
  const lowlight = createLowlight(grammars.languages);
  lowlight.registerAlias(grammars.aliases);
  return {
    unified,
    remarkParse,
    remarkGfm,
    remarkMath,
    remarkRehype,
    rehypeRaw,
    rehypeSanitize,
    defaultSchema,
    rehypeKatex,
    rehypeHighlight,
    h,
    toHtml,
    lowlight,
    grammars
  };
}
