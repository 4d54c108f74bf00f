// Search as you type on the gallery page (/). The page works without this script: its search is a GET form, its
// facets and pages are links. This adds what a form cannot: the list follows the search box while the user types.
// It asks the JSON API the page itself lists from (same origin, so the browser sends the login cookie), builds the
// results with DOM methods and textContent only (never innerHTML: titles, tags and snippets are user text), keeps
// the address bar on the same query (history.replaceState) and says the new count in the page's aria-live status.
'use strict';

(function () {
  const page = document.querySelector('[data-gallery="page"]');
  if (!page) {
    return;
  }
  const form = page.querySelector('form.gallery-search');
  const search = page.querySelector('[data-gallery="search"]');
  const list = page.querySelector('[data-gallery="list"]');
  const status = page.querySelector('[data-gallery="status"]');
  const empty = page.querySelector('[data-gallery="empty"]');
  const facets = page.querySelector('[data-gallery="facets"]');
  const pager = page.querySelector('[data-gallery="pager"]');
  const api = page.dataset.api;
  const base = page.dataset.base;
  if (!form || !search || !list || !status || !empty || !facets || !pager || !api || !base) {
    return;
  }
  /** Milliseconds of pause in typing before searching. */
  const DELAY = 250;
  const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const SYMBOLS = { healthy: '✓', unhealthy: '✗', stale: '⏱', unknown: '?' };
  const HEALTH = { healthy: 'Healthy', unhealthy: 'Unhealthy', stale: 'Stale', unknown: 'Health unknown' };
  const FACETS = [
    ['tag', 'Tags', 'tags'],
    ['owner', 'Owners', 'owners'],
    ['lang', 'Languages', 'languages']
  ];

  let timer = 0;
  let generation = 0;
  let nextCursor = null;
  /** The listing's parameters after the last search, for "Load more". */
  let current = new URLSearchParams(window.location.search);

  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void run(), DELAY);
  });
  for (const control of form.querySelectorAll('[data-gallery="filter"]')) {
    control.addEventListener('change', () => {
      window.clearTimeout(timer);
      void run();
    });
  }
  form.addEventListener('submit', event => {
    event.preventDefault();
    window.clearTimeout(timer);
    void run();
  });
  pager.addEventListener('click', event => {
    const more = event.target instanceof Element ? event.target.closest('[data-gallery="more"]') : null;
    if (more && nextCursor !== null) {
      event.preventDefault();
      void loadMore(more);
    }
  });
  const firstMore = pager.querySelector('[data-gallery="more"]');
  nextCursor = firstMore ? new URL(firstMore.href).searchParams.get('cursor') : null;

  /** The form's fields as the API's parameters: empty ones left out, as the page itself reads them. */
  function formParams() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text !== '') {
        params.set(key, text);
      }
    }
    return params;
  }

  async function run() {
    const params = formParams();
    const mine = ++generation;
    const facetParams = new URLSearchParams();
    for (const key of ['q', 'scope', 'starred']) {
      if (params.has(key)) {
        facetParams.set(key, params.get(key));
      }
    }
    page.setAttribute('aria-busy', 'true');
    try {
      const [listing, counts] = await Promise.all([
        getJson(`${api}?${params}`),
        getJson(`${api}/facets?${facetParams}`).catch(() => null)
      ]);
      if (mine !== generation) {
        return;
      }
      current = params;
      const address = params.toString();
      window.history.replaceState(null, '', address ? `?${address}` : window.location.pathname);
      list.replaceChildren(...listing.items.map(item));
      nextCursor = listing.nextCursor;
      renderPager();
      renderFacets(counts, params.get('q') || '');
      renderEmpty(listing.items.length, params);
      status.textContent = statusText(listing.items.length, nextCursor !== null);
    } catch (error) {
      if (mine === generation) {
        // The form still works: sending it loads the page, which explains what went wrong.
        status.textContent = `Searching failed (${error.message}). Press Enter to search again.`;
      }
    } finally {
      if (mine === generation) {
        page.removeAttribute('aria-busy');
      }
    }
  }

  async function loadMore(link) {
    const params = new URLSearchParams(current);
    params.set('cursor', nextCursor);
    const mine = generation;
    link.setAttribute('aria-disabled', 'true');
    try {
      const listing = await getJson(`${api}?${params}`);
      if (mine !== generation) {
        return;
      }
      const first = listing.items.length > 0 ? item(listing.items[0]) : null;
      list.append(...(first ? [first] : []), ...listing.items.slice(1).map(item));
      nextCursor = listing.nextCursor;
      renderPager();
      status.textContent = statusText(list.children.length, nextCursor !== null);
      // Keep the keyboard where the new items start: the link may be gone with the last page.
      first?.querySelector('a')?.focus();
    } catch (error) {
      status.textContent = `Loading more failed (${error.message}).`;
      link.removeAttribute('aria-disabled');
    }
  }

  async function getJson(url) {
    const reply = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = await reply.json().catch(() => ({}));
    if (!reply.ok) {
      throw new Error(body.message || `HTTP ${reply.status}`);
    }
    return body;
  }

  function renderPager() {
    const links = [];
    if (nextCursor !== null) {
      const params = new URLSearchParams(current);
      params.set('cursor', nextCursor);
      const more = element('a', 'gallery-button', 'Load more');
      more.href = `?${params}`;
      more.rel = 'next';
      more.dataset.gallery = 'more';
      links.push(more);
    }
    pager.replaceChildren(...links);
  }

  function statusText(count, more) {
    if (count === 0) {
      return 'No notebooks found.';
    }
    if (more) {
      return `First ${count} notebooks; more below`;
    }
    return count === 1 ? '1 notebook' : `${count} notebooks`;
  }

  /** The short form of the page's empty state; loading the page (Enter) gives every hint. */
  function renderEmpty(count, params) {
    empty.hidden = count > 0;
    if (count > 0) {
      empty.replaceChildren();
      return;
    }
    const q = params.get('q');
    const texts = q
      ? [
          `No notebooks match “${q}”.`,
          'Check the spelling, or try fewer or other words: "plot histogram" rather than a sentence.'
        ]
      : ['No notebooks here yet. Choose All under Show, or clear Starred only, to see every notebook you can read.'];
    empty.replaceChildren(...texts.map(text => element('p', '', text)));
  }

  /** One result, as the server renders it (pages/galleryPage.ts). */
  function item(notebook) {
    const li = element('li', 'gallery-item');
    li.dataset.id = notebook.id;
    const title = element('h3', 'gallery-itemTitle');
    const link = element('a', '', notebook.title);
    link.href = `${base}n/${encodeURIComponent(notebook.id)}`;
    title.append(link);
    const meta = element('p', 'gallery-itemMeta');
    const time = element('time', '', `${DATE.format(new Date(notebook.updatedAt))} UTC`);
    time.dateTime = notebook.updatedAt;
    meta.append(
      element('span', 'gallery-badge', accessText(notebook)),
      ' · ',
      element('span', 'gallery-itemOwner', notebook.ownerKind === 'group' ? `group ${notebook.owner}` : notebook.owner),
      ' · updated ',
      time
    );
    li.append(title, meta);
    if (notebook.snippet) {
      li.append(highlighted(notebook.snippet, notebook.snippetHighlights || []));
    } else if (notebook.description) {
      li.append(element('p', 'gallery-itemDescription', notebook.description));
    }
    if (notebook.tags.length > 0) {
      const tags = element('ul', 'gallery-tags');
      tags.setAttribute('aria-label', 'Tags');
      for (const tag of notebook.tags) {
        const tagLink = element('a', 'gallery-tag', tag);
        tagLink.href = `?${new URLSearchParams({ q: token('tag', tag) })}`;
        const entry = element('li', '');
        entry.append(tagLink);
        tags.append(entry);
      }
      li.append(tags);
    }
    const signals = element('p', 'gallery-signals');
    const stars = element('span', 'gallery-stars');
    const star = element('span', '', notebook.starred ? '★ ' : '☆ ');
    star.setAttribute('aria-hidden', 'true');
    stars.append(star, notebook.stars === 1 ? '1 star' : `${notebook.stars} stars`);
    if (notebook.starred) {
      stars.title = 'You starred this notebook';
    }
    signals.append(stars);
    const health = notebook.health.status;
    if (health !== 'unknown' && HEALTH[health]) {
      const badge = element('span', `health-badge is-${health}`);
      const symbol = element('span', '', `${SYMBOLS[health]} `);
      symbol.setAttribute('aria-hidden', 'true');
      badge.append(symbol, HEALTH[health]);
      signals.append(badge);
    }
    li.append(signals);
    return li;
  }

  function accessText(notebook) {
    if (notebook.visibility === 'private' && notebook.ownerKind === 'user' && !notebook.canManage) {
      return 'Shared with you';
    }
    if (notebook.visibility === 'group') {
      return notebook.group ? `Group: ${notebook.group}` : 'Group';
    }
    return notebook.visibility === 'private' ? 'Private' : 'Public';
  }

  function highlighted(text, ranges) {
    const node = element('p', 'gallery-itemDescription');
    let at = 0;
    for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
      if (start < at || end <= start || end > text.length) {
        continue;
      }
      node.append(text.slice(at, start), element('mark', '', text.slice(start, end)));
      at = end;
    }
    node.append(text.slice(at));
    return node;
  }

  function renderFacets(counts, q) {
    const heading = facets.querySelector('h2');
    const groups = [];
    for (const [key, label, field] of FACETS) {
      const values = counts ? counts[field] : [];
      if (values.length === 0) {
        continue;
      }
      const group = element('div', 'gallery-facetGroup');
      const items = element('ul', 'gallery-facetList');
      for (const { value, count } of values) {
        items.append(facetItem(key, value, count, q));
      }
      group.append(element('h3', 'gallery-facetLabel', label), items);
      groups.push(group);
    }
    facets.replaceChildren(...(heading ? [heading] : []), ...groups);
    facets.hidden = groups.length === 0;
  }

  /** A facet link, as the server renders it: it adds its word to the search, or takes it out. */
  function facetItem(key, value, count, q) {
    const word = token(key, value);
    const pressed = hasWord(q, word);
    const params = new URLSearchParams(current);
    params.delete('cursor');
    const next = toggleWord(q, word);
    if (next) {
      params.set('q', next);
    } else {
      params.delete('q');
    }
    const link = element('a', pressed ? 'gallery-chip is-pressed' : 'gallery-chip');
    link.href = `?${params}`;
    link.title = pressed ? `Remove ${word} from the search` : `Add ${word} to the search`;
    if (pressed) {
      link.setAttribute('aria-current', 'true');
      link.append(element('span', 'visually-hidden', 'Remove filter: '));
    }
    const number = element('span', 'gallery-chipCount', String(count));
    number.setAttribute('aria-label', count === 1 ? '1 notebook' : `${count} notebooks`);
    link.append(element('span', 'gallery-chipValue', value), ' ', number);
    const entry = element('li', '');
    entry.append(link);
    return entry;
  }

  // The query words as the server reads them; the same rules as core's queryWords.ts.
  function token(key, value) {
    return /[\s"]/.test(value) ? `${key}:"${value.replace(/"/g, '')}"` : `${key}:${value}`;
  }
  function words(query) {
    return query.match(/(?:[^\s"]+|"[^"]*"?)+/g) || [];
  }
  function normalize(word) {
    return word.replace(/"/g, '').toLowerCase();
  }
  function hasWord(query, word) {
    const wanted = normalize(word);
    return words(query).some(each => normalize(each) === wanted);
  }
  function toggleWord(query, word) {
    const wanted = normalize(word);
    const all = words(query);
    const kept = all.filter(each => normalize(each) !== wanted);
    return (kept.length === all.length ? [...all, word] : kept).join(' ');
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }
})();
