import { loadRenderLibraries } from '../../src/pages/render/renderLibraries';

describe('the render libraries', () => {
  it('load once, as ES modules, and build HTML that escapes what it is given', async () => {
    const first = loadRenderLibraries();
    expect(loadRenderLibraries()).toBe(first);
    const { h, toHtml } = await first;
    expect(toHtml(h('p', { title: '"><script>' }, '<b>bold</b>'))).toBe(
      '<p title="&#x22;><script>">&#x3C;b>bold&#x3C;/b></p>'
    );
  });
});
