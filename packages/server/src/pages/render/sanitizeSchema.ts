import type { IRenderLibraries } from './renderLibraries';

type Schema = IRenderLibraries['defaultSchema'];

/** The URL scheme of an image that names one of its cell's attachments; resolved by `attachmentImages.ts`. */
export const ATTACHMENT_PROTOCOL = 'attachment';

/**
 * rehype-sanitize's GitHub-like schema, changed only where notebooks need it. It runs before KaTeX and highlighting,
 * so it has to keep what they read (remark-math's `math-inline`/`math-display` and `language-*` classes on `code`),
 * and nothing of what they write is checked by it. Narrower than the default in one place: links may use http(s)
 * and mailto only (no irc or xmpp), and `<source srcset>` is checked like `src`. `attachment:` images pass so that the next step can resolve or drop them; no
 * `attachment:` URL survives that step.
 */
export function sanitizeSchema(defaultSchema: Schema): Schema {
  const attributes = defaultSchema.attributes ?? {};
  const protocols = defaultSchema.protocols ?? {};
  return {
    ...defaultSchema,
    attributes: {
      ...attributes,
      code: [['className', /^language-./, 'math-inline', 'math-display']]
    },
    protocols: {
      ...protocols,
      href: ['http', 'https', 'mailto'],
      src: ['http', 'https', ATTACHMENT_PROTOCOL],
      // The default checks no scheme in `<picture><source srcset>`; images there are http(s) like any other.
      srcSet: ['http', 'https']
    }
  };
}
