/** The query of a gallery link into JupyterLab, and the link to a notebook's web page (issue 14). */
import {
  GALLERY_LINK_PATTERN,
  notebookPageUrl,
  parseGalleryLink,
  withoutGalleryLink
} from '../src/services/galleryLink';

describe('a gallery link’s query', () => {
  it('names one notebook, with the revision the link was made for', () => {
    expect(parseGalleryLink('?gallery=nb-1&revision=abc123')).toEqual({
      kind: 'notebook',
      id: 'nb-1',
      revision: 'abc123'
    });
    expect(parseGalleryLink('?reset&gallery=nb%2F1')).toEqual({ kind: 'notebook', id: 'nb/1', revision: null });
  });

  it('names a set of notebooks by tag', () => {
    expect(parseGalleryLink('?gallery-tag=week%203')).toEqual({ kind: 'tag', tag: 'week 3' });
    expect(parseGalleryLink('gallery-tag=week-3')).toEqual({ kind: 'tag', tag: 'week-3' });
  });

  it('is not a link when empty, blank or absurdly long', () => {
    expect(parseGalleryLink('')).toBeNull();
    expect(parseGalleryLink('?reset')).toBeNull();
    expect(parseGalleryLink('?gallery=&revision=abc')).toBeNull();
    expect(parseGalleryLink('?gallery-tag=%20%20')).toBeNull();
    expect(parseGalleryLink(`?gallery=${'x'.repeat(201)}`)).toBeNull();
  });

  it('is what the router matches, and only that', () => {
    expect('/lab?gallery=nb-1&revision=r').toMatch(GALLERY_LINK_PATTERN);
    expect('/lab/tree/x.ipynb?reset&gallery-tag=week-3').toMatch(GALLERY_LINK_PATTERN);
    expect('/lab?reset').not.toMatch(GALLERY_LINK_PATTERN);
    expect('/lab/tree/gallery=notes.ipynb').not.toMatch(GALLERY_LINK_PATTERN);
  });

  it('is taken out of the address, other parameters and the hash kept', () => {
    expect(withoutGalleryLink('http://127.0.0.1:8888/lab?gallery=nb-1&revision=abc')).toBe('http://127.0.0.1:8888/lab');
    expect(withoutGalleryLink('https://hub/user/bob/lab/tree/a.ipynb?gallery-tag=w3&theme=dark#top')).toBe(
      'https://hub/user/bob/lab/tree/a.ipynb?theme=dark#top'
    );
  });
});

describe('the link to a notebook’s page', () => {
  it('is <server URL>/n/<id>, under a hub service’s prefix too', () => {
    expect(notebookPageUrl('http://127.0.0.1:8765', 'nb-1')).toBe('http://127.0.0.1:8765/n/nb-1');
    expect(notebookPageUrl('https://hub.example.org/services/gallery/', 'nb-1')).toBe(
      'https://hub.example.org/services/gallery/n/nb-1'
    );
    expect(notebookPageUrl('http://g', 'a b/c')).toBe('http://g/n/a%20b%2Fc');
  });
});
