import {
  filterToken,
  hasWord,
  queryWords,
  toggleWord,
  type FilterKey,
  type IFacetValue,
  type IFacetsResponse,
  type INotebookListItem,
  type INotebookListQuery,
  type INotebookListResponse,
  type NotebookScope,
  type NotebookSort
} from '@notebook-gallery/core';
import { galleryLinkQuery } from './galleryQuery';
import { healthBadge } from './healthBadge';
import { pageDate } from './pageDate';
import type { PageLinks } from './pageLinks';
import type { Element, ElementContent, IRenderLibraries } from './render/renderLibraries';

/** What the gallery page shows: the listing the API answers for this query and caller, and its facets. */
export interface IGalleryPageModel {
  /** The listing's query, as `GET /api/notebooks` takes it (without the default limit). */
  query: INotebookListQuery;
  list: INotebookListResponse;
  /** The facets of the query's result set; null when they could not be counted. */
  facets: IFacetsResponse | null;
  /** Whether the reader is logged in: the scope and starred filters mean nothing to an anonymous reader. */
  loggedIn: boolean;
  /** Every URL the page emits (with the hub prefix when there is one). */
  links: PageLinks;
}

/**
 * The gallery page's `<main>` content, as hast: the search form (a GET form, so it works without JavaScript), the
 * facets as links that add or remove `tag:x`, `owner:y`, `lang:z` in the search (as the sidebar's chips do), the
 * result list with stars and health, the next-page link with the API's cursor, and the empty states with what to do
 * next. assets/gallery.js finds its parts by their `data-gallery` attributes to search as the user types.
 */
export function galleryPage(h: IRenderLibraries['h'], model: IGalleryPageModel): Element {
  const { query, list } = model;
  return h(
    'div.gallery',
    { dataGallery: 'page', dataApi: model.links.href('/api/notebooks'), dataBase: model.links.href('/') },
    [
      h('h1', 'Notebooks'),
      searchForm(h, model),
      facetsNav(h, model),
      h('section.gallery-results', { ariaLabelledby: 'gallery-results-heading' }, [
        h('h2.visually-hidden#gallery-results-heading', 'Results'),
        h('p.gallery-status', { role: 'status', ariaLive: 'polite', dataGallery: 'status' }, statusText(model)),
        h(
          'div.gallery-empty',
          { dataGallery: 'empty', hidden: list.items.length > 0 },
          list.items.length === 0 ? emptyText(query).map(text => h('p', text)) : []
        ),
        h(
          'ul.gallery-list',
          { dataGallery: 'list', ariaLabel: 'Gallery notebooks' },
          list.items.map(item => notebookItem(h, item, model.links))
        ),
        pager(h, model)
      ])
    ]
  );
}

/** The sort orders, as the sidebar offers them; the empty value is the server's default. */
export const SORT_OPTIONS: ReadonlyArray<[NotebookSort | '', string]> = [
  ['', 'Best match'],
  ['updated', 'Recently updated'],
  ['created', 'Newest'],
  ['title', 'Title'],
  ['stars', 'Most starred'],
  ['views', 'Most viewed'],
  ['runs', 'Most run'],
  ['health', 'Healthiest'],
  ['trending', 'Trending']
];

/** The "Show" filter of a logged-in reader, as the sidebar names it; the empty value is All. */
const SCOPE_OPTIONS: ReadonlyArray<[NotebookScope | '', string]> = [
  ['', 'All'],
  ['mine', 'Mine'],
  ['shared', 'Shared with me'],
  ['group', 'Group'],
  ['public', 'Public']
];

/** The tooltip of the search box in the sidebar, which explains its filters. */
const SEARCH_HELP =
  'Words to find; "a phrase"; -word to leave out; tag:x, owner:y, lang:r and package:pandas to filter';

function searchForm(h: IRenderLibraries['h'], model: IGalleryPageModel): Element {
  const { query } = model;
  const fields: ElementContent[] = [
    h('div.gallery-field.gallery-searchField', [
      h('label', { for: 'gallery-q' }, 'Search the gallery'),
      h('input#gallery-q', {
        type: 'search',
        name: 'q',
        value: query.q ?? '',
        autocomplete: 'off',
        ariaDescribedby: 'gallery-q-help',
        dataGallery: 'search'
      }),
      h('p.gallery-help#gallery-q-help', SEARCH_HELP)
    ])
  ];
  if (model.loggedIn) {
    fields.push(
      h('div.gallery-field', [
        h('label', { for: 'gallery-scope' }, 'Show'),
        h(
          'select#gallery-scope',
          { name: 'scope', dataGallery: 'filter' },
          SCOPE_OPTIONS.map(([value, label]) => h('option', { value, selected: (query.scope ?? '') === value }, label))
        )
      ]),
      h('div.gallery-field.gallery-check', [
        h('input#gallery-starred', {
          type: 'checkbox',
          name: 'starred',
          value: 'true',
          checked: query.starred === true,
          dataGallery: 'filter'
        }),
        h('label', { for: 'gallery-starred' }, 'Starred only')
      ])
    );
  }
  fields.push(
    h('div.gallery-field', [
      h('label', { for: 'gallery-sort' }, 'Sort'),
      h(
        'select#gallery-sort',
        {
          name: 'sort',
          dataGallery: 'filter',
          title: 'Best match orders by relevance while searching, and by latest update otherwise'
        },
        SORT_OPTIONS.map(([value, label]) => h('option', { value, selected: (query.sort ?? '') === value }, label))
      )
    ])
  );
  // Filters that only a link sets (the API's tag and owner) stay in force when the form is sent again.
  for (const key of ['tag', 'owner', 'limit'] as const) {
    const value = query[key];
    if (value !== undefined) {
      fields.push(h('input', { type: 'hidden', name: key, value: String(value) }));
    }
  }
  fields.push(h('button.gallery-button', { type: 'submit' }, 'Search'));
  return h('form.gallery-search', { role: 'search', method: 'get', action: model.links.href('/') }, fields);
}

/** The facet groups as the sidebar names them, with the query word each adds. */
const FACET_GROUPS: ReadonlyArray<[FilterKey, string, keyof IFacetsResponse]> = [
  ['tag', 'Tags', 'tags'],
  ['owner', 'Owners', 'owners'],
  ['lang', 'Languages', 'languages']
];

function facetsNav(h: IRenderLibraries['h'], model: IGalleryPageModel): Element {
  const { facets, query } = model;
  const groups = FACET_GROUPS.filter(([, , field]) => (facets?.[field].length ?? 0) > 0).map(([key, label, field]) =>
    h('div.gallery-facetGroup', [
      h('h3.gallery-facetLabel', label),
      h(
        'ul.gallery-facetList',
        (facets?.[field] ?? []).map(value => h('li', facetLink(h, model, key, value, query.q ?? '')))
      )
    ])
  );
  return h(
    'nav.gallery-facets',
    { ariaLabelledby: 'gallery-facets-heading', dataGallery: 'facets', hidden: groups.length === 0 },
    [h('h2.gallery-facetsHeading#gallery-facets-heading', 'Narrow the search'), ...groups]
  );
}

/** A facet: a link to the same listing with its word added to the search, or taken out when it is in already. */
function facetLink(
  h: IRenderLibraries['h'],
  model: IGalleryPageModel,
  key: FilterKey,
  { value, count }: IFacetValue,
  q: string
): Element {
  const token = filterToken(key, value);
  const pressed = hasWord(q, token);
  const next = toggleWord(q, token);
  const href = model.links.href('/', galleryLinkQuery({ ...withoutCursor(model.query), q: next || undefined }));
  return h(
    pressed ? 'a.gallery-chip.is-pressed' : 'a.gallery-chip',
    {
      href,
      title: pressed ? `Remove ${token} from the search` : `Add ${token} to the search`,
      ariaCurrent: pressed ? 'true' : undefined
    },
    [
      pressed ? h('span.visually-hidden', 'Remove filter: ') : '',
      h('span.gallery-chipValue', value),
      ' ',
      h('span.gallery-chipCount', { ariaLabel: count === 1 ? '1 notebook' : `${count} notebooks` }, String(count))
    ]
  );
}

/** One result: its title links to its page; then who can see it, owner, update, the description or the snippet. */
export function notebookItem(h: IRenderLibraries['h'], item: INotebookListItem, links: PageLinks): Element {
  const owner = item.ownerKind === 'group' ? `group ${item.owner}` : item.owner;
  const date = pageDate(item.updatedAt);
  const description = item.snippet
    ? h('p.gallery-itemDescription', highlighted(h, item.snippet, item.snippetHighlights ?? []))
    : item.description
      ? h('p.gallery-itemDescription', item.description)
      : null;
  const signals: ElementContent[] = [
    h('span.gallery-stars', { title: item.starred ? 'You starred this notebook' : undefined }, [
      h('span', { ariaHidden: 'true' }, item.starred ? '★ ' : '☆ '),
      item.stars === 1 ? '1 star' : `${item.stars} stars`
    ])
  ];
  // As in the sidebar, the list shows evidence only: "unknown" on every new notebook would be noise.
  if (item.health.status !== 'unknown') {
    signals.push(healthBadge(h, item.health));
  }
  return h('li.gallery-item', { dataId: item.id }, [
    h('h3.gallery-itemTitle', h('a', { href: links.notebook(item.id) }, item.title)),
    h('p.gallery-itemMeta', [
      h('span.gallery-badge', accessText(item)),
      ' · ',
      h('span.gallery-itemOwner', owner),
      ' · updated ',
      h('time', { dateTime: item.updatedAt }, date)
    ]),
    ...(description ? [description] : []),
    ...(item.tags.length > 0
      ? [
          h(
            'ul.gallery-tags',
            { ariaLabel: 'Tags' },
            item.tags.map(tag =>
              h('li', h('a.gallery-tag', { href: links.href('/', { q: filterToken('tag', tag) }) }, tag))
            )
          )
        ]
      : []),
    h('p.gallery-signals', signals)
  ]);
}

/** Who can see a notebook, in the sidebar's words (the sidebar's badge adds the shares for managers). */
function accessText(item: INotebookListItem): string {
  if (item.visibility === 'private' && item.ownerKind === 'user' && !item.canManage) {
    return 'Shared with you';
  }
  switch (item.visibility) {
    case 'private':
      return 'Private';
    case 'group':
      return item.group ? `Group: ${item.group}` : 'Group';
    default:
      return 'Public';
  }
}

/** A snippet with its matched words in `<mark>`; the server sends text and ranges, never HTML. */
function highlighted(
  h: IRenderLibraries['h'],
  text: string,
  ranges: ReadonlyArray<readonly [number, number]>
): ElementContent[] {
  const parts: ElementContent[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start || end > text.length) {
      continue;
    }
    parts.push({ type: 'text', value: text.slice(at, start) }, h('mark', text.slice(start, end)));
    at = end;
  }
  parts.push({ type: 'text', value: text.slice(at) });
  return parts;
}

/** "Next page" with the API's cursor, and "First page" once the reader has left it. */
function pager(h: IRenderLibraries['h'], model: IGalleryPageModel): Element {
  const first = withoutCursor(model.query);
  const controls: ElementContent[] = [];
  if (model.query.cursor) {
    controls.push(h('a.gallery-button', { href: model.links.href('/', galleryLinkQuery(first)) }, 'First page'));
  }
  if (model.list.nextCursor) {
    controls.push(
      h(
        'a.gallery-button',
        {
          href: model.links.href('/', galleryLinkQuery({ ...first, cursor: model.list.nextCursor })),
          rel: 'next',
          dataGallery: 'more'
        },
        'Load more'
      )
    );
  }
  return h('nav.gallery-pager', { ariaLabel: 'More results', dataGallery: 'pager' }, controls);
}

/** The same listing from its first page: a new search or filter starts there. */
function withoutCursor(query: INotebookListQuery): INotebookListQuery {
  return { ...query, cursor: undefined };
}

/** How many notebooks are shown, in the sidebar's words. */
function statusText({ list, query }: IGalleryPageModel): string {
  const count = list.items.length;
  if (count === 0) {
    return 'No notebooks found.';
  }
  const page = query.cursor ? 'Next ' : 'First ';
  if (list.nextCursor) {
    return `${page}${count} notebooks; more below`;
  }
  return count === 1 ? '1 notebook' : `${count} notebooks`;
}

/** What an empty list means under the current search and filters, and what a newcomer can do about it. */
export function emptyText(query: INotebookListQuery): string[] {
  const { q, scope, starred, tag, owner } = query;
  if (q || tag || owner) {
    const filters = queryWords(q ?? '').filter(word => /^-?(tag|owner|user|lang|language|package):/i.test(word));
    const hints = [q ? `No notebooks match “${q}”.` : 'No notebooks match these filters.'];
    if (filters.length > 0) {
      hints.push(`Remove a filter (${filters.join(', ')}) to widen the search.`);
    }
    if (tag || owner) {
      hints.push('Start again from the whole gallery: choose Notebook Gallery at the top of the page.');
    }
    if (scope || starred) {
      hints.push('Choose All under Show, and clear Starred only, to search every notebook you can read.');
    }
    hints.push('Check the spelling, or try fewer or other words: "plot histogram" rather than a sentence.');
    return hints;
  }
  if (starred) {
    return [
      'You have not starred any notebooks yet.',
      'Star a notebook on its page or in the JupyterLab sidebar; starred notebooks are listed here.'
    ];
  }
  switch (scope) {
    case 'mine':
      return [
        'You have not saved any notebooks yet. In JupyterLab, open a notebook and choose Save to Gallery from the toolbar or File menu.'
      ];
    case 'shared':
      return ['Nothing has been shared with you yet. When a colleague shares a notebook with you, it appears here.'];
    case 'group':
      return [
        'No group notebooks yet. Notebooks published to a group you belong to appear here; an administrator can add you to a group.'
      ];
    case 'public':
      return [
        'No public notebooks yet. Save a notebook with Public visibility to let everyone who can log in to the gallery see it.'
      ];
    default:
      return [
        'No notebooks in the gallery yet. In JupyterLab, open a notebook and choose Save to Gallery from the toolbar or File menu.'
      ];
  }
}
