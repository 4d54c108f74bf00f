import * as fs from 'node:fs';
import * as path from 'node:path';

const CSS = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'notebook.css'), 'utf8');

/** The `--nb-*` custom properties of the light block (the first) and the dark one (inside prefers-color-scheme). */
function palettes(): { light: Map<string, string>; dark: Map<string, string> } {
  const darkStart = CSS.indexOf('@media (prefers-color-scheme: dark)');
  expect(darkStart).toBeGreaterThan(0);
  const read = (text: string): Map<string, string> =>
    new Map([...text.matchAll(/(--nb-[a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map(([, name, value]) => [name, value]));
  return { light: read(CSS.slice(0, darkStart)), dark: read(CSS.slice(darkStart, CSS.indexOf('/* Cells'))) };
}

/** WCAG 2.1 contrast ratio of two sRGB colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255);
    const linear = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

describe('notebook.css', () => {
  it('gives every text colour a WCAG AA contrast (4.5:1) on the page and code backgrounds, light and dark', () => {
    const text = ['--nb-fg', '--nb-muted', '--nb-link', '--nb-error'];
    const tokens = ['keyword', 'string', 'comment', 'number', 'title', 'builtin', 'name'].map(t => `--nb-token-${t}`);
    for (const [scheme, palette] of Object.entries(palettes())) {
      // Both schemes define every colour; a missing one would fall back to the other scheme's.
      expect([scheme, palette.size]).toEqual([scheme, 19]);
      const low: string[] = [];
      for (const name of [...text, ...tokens]) {
        for (const background of ['--nb-bg', '--nb-code-bg']) {
          const ratio = contrast(palette.get(name)!, palette.get(background)!);
          if (ratio < 4.5) {
            low.push(`${scheme} ${name} on ${background}: ${ratio.toFixed(2)}`);
          }
        }
      }
      for (const change of ['addition', 'deletion']) {
        const ratio = contrast(palette.get(`--nb-token-${change}`)!, palette.get(`--nb-token-${change}-bg`)!);
        if (ratio < 4.5) {
          low.push(`${scheme} ${change}: ${ratio.toFixed(2)}`);
        }
      }
      expect(low).toEqual([]);
    }
  });

  it('loads nothing: no url(), @import or @font-face', () => {
    expect(CSS).not.toMatch(/url\(|@import|@font-face/i);
  });
});
