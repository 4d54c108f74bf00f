import { prefersHtml } from '../../src/pages/acceptNegotiation';

describe('prefersHtml', () => {
  it.each([
    ['Chromium', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['Firefox', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['XHTML only', 'application/xhtml+xml', true],
    ['HTML above JSON', 'application/json;q=0.5, text/html', true]
  ])('gives %s the page', (_name, accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });

  it.each([
    ['no header (the hub’s poll)', undefined],
    ['an empty header', ''],
    ['*/* (fetch, curl)', '*/*'],
    ['JSON', 'application/json'],
    ['JSON and HTML alike', 'application/json, text/html'],
    ['JSON above HTML', 'text/html;q=0.4, application/json'],
    ['HTML refused', 'text/html;q=0, */*']
  ])('gives %s the JSON answer', (_name, accept) => {
    expect(prefersHtml(accept)).toBe(false);
  });
});
