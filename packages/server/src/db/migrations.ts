/** One schema change; `version` is stored in `PRAGMA user_version` once applied. */
export interface IMigration {
  version: number;
  description: string;
  sql: string;
}

/** The schema's history, oldest first. Never edit an applied migration; append a new one. */
export const MIGRATIONS: readonly IMigration[] = [
  {
    version: 1,
    description: 'users, notebooks, tags, revisions, save journal and the search index',
    sql: `
      CREATE TABLE users (
        username TEXT PRIMARY KEY NOT NULL,
        password_hash TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );

      -- seq is the rowid the search index row shares.
      CREATE TABLE notebooks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL REFERENCES users(username),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        head_sha TEXT NOT NULL,
        head_blob_sha TEXT NOT NULL,
        revision_count INTEGER NOT NULL,
        parent_id TEXT,
        parent_revision TEXT
      );
      CREATE INDEX notebooks_by_updated ON notebooks(updated_at, id);
      CREATE INDEX notebooks_by_created ON notebooks(created_at, id);
      CREATE INDEX notebooks_by_title ON notebooks(title COLLATE NOCASE, id);
      CREATE INDEX notebooks_by_owner ON notebooks(owner, updated_at, id);

      CREATE TABLE notebook_tags (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (notebook_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX notebook_tags_by_tag ON notebook_tags(tag COLLATE NOCASE, notebook_id);

      CREATE TABLE revisions (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        sha TEXT NOT NULL,
        blob_sha TEXT NOT NULL,
        author TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (notebook_id, number)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX revisions_by_sha ON revisions(notebook_id, sha);

      -- A row per repository change in flight; startup reconciliation finishes or undoes each.
      CREATE TABLE save_journal (
        seq INTEGER PRIMARY KEY,
        notebook_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('create', 'update', 'delete')),
        sha TEXT,
        created_at TEXT NOT NULL
      );

      CREATE VIRTUAL TABLE notebook_search USING fts5(
        title, description, tags, markdown, code,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `
  },
  {
    version: 2,
    description: 'groups, notebook ownership and visibility, shares, API tokens, audit log and user emails',
    sql: `
      -- Accounts made by single sign-on have no password: their hash is '!', which no password matches.
      ALTER TABLE users ADD COLUMN email TEXT;
      ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE groups (
        name TEXT PRIMARY KEY NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE group_members (
        group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'member')),
        PRIMARY KEY (group_name, username)
      ) WITHOUT ROWID;
      CREATE INDEX group_members_by_user ON group_members(username, group_name);

      -- Existing notebooks become public: galleries that were open to every logged-in user must not suddenly hide
      -- their notebooks on upgrade; owners can make them private afterwards.
      -- For a group-owned notebook (owner_kind 'group') group_name is the owning group and owner keeps the user who
      -- made it group-owned (the users foreign key needs one); permissions never consult owner for it. Otherwise
      -- group_name is the group that 'group' visibility publishes to, or NULL.
      ALTER TABLE notebooks ADD COLUMN owner_kind TEXT NOT NULL DEFAULT 'user' CHECK (owner_kind IN ('user', 'group'));
      ALTER TABLE notebooks ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
        CHECK (visibility IN ('private', 'group', 'public'));
      ALTER TABLE notebooks ADD COLUMN group_name TEXT REFERENCES groups(name);
      CREATE INDEX notebooks_by_group ON notebooks(group_name);
      CREATE INDEX notebooks_by_visibility ON notebooks(visibility);

      CREATE TABLE notebook_shares (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'group')),
        principal TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reader', 'editor')),
        PRIMARY KEY (notebook_id, principal_kind, principal)
      ) WITHOUT ROWID;
      CREATE INDEX notebook_shares_by_principal ON notebook_shares(principal_kind, principal, notebook_id);

      -- Only the SHA-256 of a personal API token is kept; the token itself is shown once.
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY NOT NULL,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        expires_at TEXT
      );
      CREATE INDEX api_tokens_by_user ON api_tokens(username, created_at);

      -- What admins did that their role alone allowed.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        at TEXT NOT NULL
      );
    `
  },
  {
    version: 3,
    description: 'session epochs (password change and sign-out end other sessions) and API token kinds',
    sql: `
      -- A JWT carries the epoch it was signed in; raising the epoch ends every older JWT except kept_session_id's.
      ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN kept_session_id TEXT;

      -- Session tokens end with a password change or "sign out everywhere"; personal ones are kept.
      ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'personal' CHECK (kind IN ('personal', 'session'));
      -- Single sign-on named its tokens "JupyterLab (<origin>)"; those were sessions all along.
      UPDATE api_tokens SET kind = 'session' WHERE name LIKE 'JupyterLab (%)';
      CREATE INDEX api_tokens_by_user_kind ON api_tokens(username, kind);
    `
  },
  {
    version: 4,
    description: 'where each group membership comes from: set in the gallery, or synced from JupyterHub groups',
    sql: `
      -- The hub group sync changes and removes only the rows it made ('hub'); a role set in the gallery stays.
      ALTER TABLE group_members ADD COLUMN source TEXT NOT NULL DEFAULT 'gallery' CHECK (source IN ('gallery', 'hub'));
      CREATE INDEX group_members_by_source ON group_members(source, username);
    `
  },
  {
    version: 5,
    description: 'change requests (proposed revisions, kept as git commits under refs/change-requests/) and forks',
    sql: `
      -- commit_sha is a commit in the notebook's repository whose parent is base_revision; the ref
      -- refs/change-requests/<id> keeps it reachable. Rows go with their notebook.
      CREATE TABLE change_requests (
        id TEXT PRIMARY KEY NOT NULL,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        proposer TEXT NOT NULL REFERENCES users(username),
        message TEXT NOT NULL,
        base_revision TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        blob_sha TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT,
        comment TEXT,
        accepted_revision TEXT
      );
      CREATE INDEX change_requests_by_notebook ON change_requests(notebook_id, created_at);
      CREATE INDEX change_requests_by_proposer ON change_requests(proposer, created_at);

      -- The "forks" side of a lineage.
      CREATE INDEX notebooks_by_parent ON notebooks(parent_id);
      `
  },
  {
    version: 6,
    description: 'search index with owner, kernel language and imported packages; text re-read from git on start',
    sql: `
      DROP TABLE notebook_search;
      -- prefix indexes make search-as-you-type on 2- and 3-letter prefixes cheap.
      CREATE VIRTUAL TABLE notebook_search USING fts5(
        title, description, tags, owner, language, packages, markdown, code,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );
      -- One row per indexed term with its document count: the vocabulary typo tolerance corrects against.
      CREATE VIRTUAL TABLE notebook_search_terms USING fts5vocab(notebook_search, 'row');

      -- Title, description, tags and owner are in SQLite and indexed at once; the text, packages and language come
      -- from each notebook's latest revision in git, which the server reads on start for every notebook queued here.
      INSERT INTO notebook_search (rowid, title, description, tags, owner)
        SELECT n.seq, n.title, n.description,
          COALESCE((SELECT group_concat(t.tag, ' ') FROM notebook_tags t WHERE t.notebook_id = n.id), ''),
          CASE n.owner_kind WHEN 'group' THEN n.group_name ELSE n.owner END
        FROM notebooks n;
      CREATE TABLE search_reindex_queue (notebook_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
      INSERT INTO search_reindex_queue (notebook_id) SELECT id FROM notebooks;
    `
  },
  {
    version: 7,
    description: 'signals: stars, view/open/download counts with a trending score, and who opened what',
    sql: `
      CREATE TABLE notebook_stars (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (notebook_id, username)
      ) WITHOUT ROWID;
      -- The "starred" filter and a user's stars, newest first.
      CREATE INDEX notebook_stars_by_user ON notebook_stars(username, created_at);

      -- One row per notebook, made with the notebook (and here for existing ones), so the sorts below can walk an
      -- index. Signals own stars, views, downloads, opens and trending_key; health reports own runs and
      -- health_score (NULL: no evidence yet). trending_key = log2(decayed score) + hours since the epoch / half-life,
      -- so ordering by it is ordering by the decayed score at any moment (see services/trending.ts).
      CREATE TABLE notebook_stats (
        notebook_id TEXT PRIMARY KEY REFERENCES notebooks(id) ON DELETE CASCADE,
        stars INTEGER NOT NULL DEFAULT 0,
        views INTEGER NOT NULL DEFAULT 0,
        downloads INTEGER NOT NULL DEFAULT 0,
        opens INTEGER NOT NULL DEFAULT 0,
        runs INTEGER NOT NULL DEFAULT 0,
        trending_key REAL,
        health_score REAL
      ) WITHOUT ROWID;
      INSERT INTO notebook_stats (notebook_id) SELECT id FROM notebooks;
      -- The listing sorts: descending, ties by id; NULL health or trending sorts last as -1 (both are never negative).
      CREATE INDEX notebook_stats_by_stars ON notebook_stats(stars DESC, notebook_id DESC);
      CREATE INDEX notebook_stats_by_views ON notebook_stats(views DESC, notebook_id DESC);
      CREATE INDEX notebook_stats_by_runs ON notebook_stats(runs DESC, notebook_id DESC);
      CREATE INDEX notebook_stats_by_health ON notebook_stats(IFNULL(health_score, -1) DESC, notebook_id DESC);
      CREATE INDEX notebook_stats_by_trending ON notebook_stats(IFNULL(trending_key, -1) DESC, notebook_id DESC);

      -- Who opened what, last time: "people who opened this also opened".
      CREATE TABLE notebook_opens (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        opened_at TEXT NOT NULL,
        PRIMARY KEY (notebook_id, username)
      ) WITHOUT ROWID;
      CREATE INDEX notebook_opens_by_user ON notebook_opens(username, notebook_id);

      -- When each user's view, open or download of a notebook was last counted: a repeat within the hour is not.
      CREATE TABLE notebook_activity (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('view', 'open', 'download')),
        counted_at INTEGER NOT NULL,
        PRIMARY KEY (notebook_id, username, kind)
      ) WITHOUT ROWID;
    `
  },
  {
    version: 8,
    description: 'reproducibility metadata per revision (backfilled from git on start) and health reports',
    sql: `
      -- What a revision needs to run; packages is a JSON array. code_hash (SHA-256 of its non-blank code cells)
      -- lets health reports about an older revision with the same code count fully for the latest one.
      CREATE TABLE revision_environments (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        sha TEXT NOT NULL,
        kernel_name TEXT,
        language TEXT,
        language_version TEXT,
        packages TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        PRIMARY KEY (notebook_id, sha)
      ) WITHOUT ROWID;
      -- Every existing revision, read from git on start (storage/environmentBackfill.ts); saves record their own.
      CREATE TABLE environment_backfill_queue (
        notebook_id TEXT NOT NULL,
        sha TEXT NOT NULL,
        PRIMARY KEY (notebook_id, sha)
      ) WITHOUT ROWID;
      INSERT INTO environment_backfill_queue (notebook_id, sha) SELECT notebook_id, sha FROM revisions;

      -- The latest run report of each reporter for each revision, reduced to counts (cells are matched against the
      -- revision when it arrives; outputs are never sent). reached: code cells before the first error, or up to
      -- the deepest cell that ran when none failed.
      CREATE TABLE health_reports (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        revision TEXT NOT NULL,
        reporter TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        code_cells INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        reached INTEGER NOT NULL,
        reported_at TEXT NOT NULL,
        PRIMARY KEY (notebook_id, revision, reporter)
      ) WITHOUT ROWID;

      -- Each notebook's aggregate, recomputed on every report and every new revision. The status is derived when
      -- read, because staleness depends on the time.
      CREATE TABLE notebook_health (
        notebook_id TEXT PRIMARY KEY NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        score REAL,
        evidence REAL NOT NULL,
        runs INTEGER NOT NULL,
        last_run_at TEXT,
        last_success_at TEXT
      ) WITHOUT ROWID;
    `
  },
  {
    version: 9,
    description: 'term vectors of notebooks and document frequencies, for similar notebooks; built from git on start',
    sql: `
      -- Each term once (kind: package, identifier or word) with how many notebooks' vectors hold it; a term no vector
      -- holds any more is deleted, so the table stays as small as the vectors.
      CREATE TABLE similarity_terms (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('package', 'identifier', 'word')),
        term TEXT NOT NULL,
        documents INTEGER NOT NULL CHECK (documents > 0),
        UNIQUE (kind, term)
      );
      -- At most 64 terms per notebook. The weight from the cells and the one from title, description and tags are
      -- kept apart, so a metadata change replaces only the latter; impact is their sum over the vector's norm, and the
      -- similarity query walks each shared term's notebooks by impact, highest first. No cascade: removing a vector
      -- must also lower the document counts.
      CREATE TABLE notebook_terms (
        notebook_seq INTEGER NOT NULL REFERENCES notebooks(seq),
        term_id INTEGER NOT NULL REFERENCES similarity_terms(id),
        text_weight REAL NOT NULL,
        metadata_weight REAL NOT NULL,
        impact REAL NOT NULL,
        PRIMARY KEY (notebook_seq, term_id)
      ) WITHOUT ROWID;
      CREATE INDEX notebook_terms_by_term ON notebook_terms(term_id, impact, notebook_seq);
      -- One row per notebook with a vector, even an empty one: their count is N of the inverse document frequency.
      CREATE TABLE similarity_vectors (notebook_seq INTEGER PRIMARY KEY REFERENCES notebooks(seq));
      -- Vectors need each notebook's latest revision in git; the server builds them on start for every notebook here.
      CREATE TABLE similarity_reindex_queue (notebook_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
      INSERT INTO similarity_reindex_queue (notebook_id) SELECT id FROM notebooks;
    `
  },
  {
    version: 10,
    description: 'indexes on user and group names in lower case, for finding whom to share with by a prefix',
    sql: `
      -- The share dialog asks for names starting with what was typed, in any case: a range over lower(name), which
      -- these indexes answer in order. Names are ASCII, so lower() is the same in SQLite and PostgreSQL; there the
      -- indexes need COLLATE "C" for the range to be bytewise.
      CREATE INDEX users_by_folded_name ON users(lower(username));
      CREATE INDEX groups_by_folded_name ON groups(lower(name));
    `
  },
  {
    version: 11,
    description: 'comments on notebooks and cells, inbox events, notebook mutes, webhooks and their delivery queue',
    sql: `
      -- A comment is on the notebook (no cell), a cell, or lines of a cell. A cell comment keeps the revision it was
      -- written on (for a review comment: the change request's proposal commit) and the cell's source hash there, so
      -- listing compares hashes with the latest revision and reads git only for cells that changed. Replies point
      -- at their thread's root and go with it.
      CREATE TABLE comments (
        id TEXT PRIMARY KEY NOT NULL,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        author TEXT NOT NULL REFERENCES users(username),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT,
        resolved_at TEXT,
        resolved_by TEXT,
        parent_id TEXT REFERENCES comments(id) ON DELETE CASCADE,
        change_request_id TEXT REFERENCES change_requests(id) ON DELETE CASCADE,
        cell_id TEXT,
        revision TEXT,
        source_hash TEXT,
        line_from INTEGER,
        line_to INTEGER,
        CHECK ((cell_id IS NULL AND revision IS NULL AND source_hash IS NULL)
          OR (cell_id IS NOT NULL AND revision IS NOT NULL AND source_hash IS NOT NULL)),
        CHECK ((line_from IS NULL AND line_to IS NULL)
          OR (cell_id IS NOT NULL AND line_from >= 1 AND line_to >= line_from))
      );
      CREATE INDEX comments_by_notebook ON comments(notebook_id, created_at, id);
      CREATE INDEX comments_by_parent ON comments(parent_id);
      CREATE INDEX comments_by_change_request ON comments(change_request_id, created_at, id);

      -- What concerns a user; seq orders an inbox newest first and is its cursor. Events go with their notebook,
      -- comment or change request.
      CREATE TABLE inbox_events (
        seq INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('comment', 'reply', 'mention', 'change-request',
          'change-request-accepted', 'change-request-declined', 'revision')),
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        comment_id TEXT REFERENCES comments(id) ON DELETE CASCADE,
        change_request_id TEXT REFERENCES change_requests(id) ON DELETE CASCADE,
        revision TEXT,
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read_at TEXT
      );
      CREATE INDEX inbox_events_by_recipient ON inbox_events(recipient, seq);
      -- The unread count and filter; a partial index, as PostgreSQL has too.
      CREATE INDEX inbox_events_unread ON inbox_events(recipient, seq) WHERE read_at IS NULL;
      CREATE INDEX inbox_events_by_comment ON inbox_events(comment_id);
      CREATE INDEX inbox_events_by_notebook ON inbox_events(notebook_id);

      -- Notebooks a user hears nothing about.
      CREATE TABLE notebook_mutes (
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (username, notebook_id)
      );
      CREATE INDEX notebook_mutes_by_notebook ON notebook_mutes(notebook_id);

      -- A user's webhook: their events are POSTed there, signed with the secret (HMAC-SHA256). The site-wide
      -- webhook is configured, not stored.
      CREATE TABLE webhooks (
        username TEXT PRIMARY KEY NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- Deliveries not made yet: to a user's webhook (username), or the site-wide one (username NULL). The URL and
      -- secret are read when sending, so a changed or removed webhook takes effect at once. next_attempt_at is in
      -- milliseconds since the epoch.
      CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY,
        username TEXT REFERENCES users(username) ON DELETE CASCADE,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, seq);
    `
  },
  {
    version: 12,
    description: 'secret check: per-notebook fingerprints confirmed as not secrets',
    sql: `
      -- A fingerprint is the hex SHA-256 of a finding's rule and value; the value itself is never stored. Kept per
      -- notebook, so a confirmation on one notebook does not let the same value through on another.
      CREATE TABLE secret_allowlist (
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
        confirmed_by TEXT NOT NULL,
        confirmed_at TEXT NOT NULL,
        PRIMARY KEY (notebook_id, fingerprint)
      );
    `
  },
  {
    version: 13,
    description: 'what imports applied: the notebook each source key became and the revisions applied to it',
    sql: `
      -- notebook-gallery import: the gallery notebook each item of a source became (origin names the source, e.g.
      -- "folder:/srv/notebooks" or "nbgallery"; source keys are unique within it), and each revision applied, so a
      -- re-run adds nothing and an interrupted run resumes. Rows go with their notebook.
      CREATE TABLE import_items (
        origin TEXT NOT NULL,
        source_key TEXT NOT NULL,
        notebook_id TEXT NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (origin, source_key)
      );
      CREATE INDEX import_items_by_notebook ON import_items(notebook_id);
      CREATE TABLE import_revisions (
        origin TEXT NOT NULL,
        source_key TEXT NOT NULL,
        revision_key TEXT NOT NULL,
        revision TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (origin, source_key, revision_key),
        FOREIGN KEY (origin, source_key) REFERENCES import_items(origin, source_key) ON DELETE CASCADE
      );
    `
  },
  {
    version: 14,
    description: 'embeddings of notebooks (meaning vectors for search), kept by the server when a model is installed',
    sql: `
      -- Two int8 vectors per notebook, unit length before quantisation: one of its title, description and tags,
      -- one of its markdown and code, kept apart so a metadata change re-embeds only the first. BLOB is bytea in
      -- PostgreSQL. A notebook saved while no model was installed has no row; the server embeds it on its next start
      -- with a model. version grows with every write, so a read worker's copy of the vectors in memory reads only
      -- what changed since it last looked.
      CREATE TABLE notebook_embeddings (
        notebook_seq INTEGER PRIMARY KEY REFERENCES notebooks(seq) ON DELETE CASCADE,
        metadata_vector BLOB NOT NULL,
        text_vector BLOB NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX notebook_embeddings_by_version ON notebook_embeddings(version);
    `
  },
  {
    version: 15,
    description: 'the top-k search engine: impact-ordered postings per term beside the FTS5 index, filled from it',
    sql: `
      -- Every term the top-k engine knows (and each word root's merged forms, as ~root): its document count (for
      -- idf) and an upper bound of its impacts (for stopping early), raised on write and recomputed by a rebuild.
      CREATE TABLE topk_terms (
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE,
        documents INTEGER NOT NULL,
        max_impact INTEGER NOT NULL
      );
      -- A term's notebooks by impact, an integer (search/topKRanking.ts): the primary key is the term's list.
      CREATE TABLE topk_postings (
        term_id INTEGER NOT NULL,
        impact INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (term_id, impact DESC, seq DESC)
      ) WITHOUT ROWID;
      -- Each notebook's length, length bucket and (term id, impact) pairs packed: exact scoring of a candidate, and
      -- the diff a save writes.
      CREATE TABLE topk_documents (
        seq INTEGER PRIMARY KEY,
        length INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        impacts BLOB NOT NULL
      );
      -- How many notebooks and tokens are indexed, and the average length the impacts were computed with.
      CREATE TABLE topk_totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        documents INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        average_length REAL NOT NULL
      );
      INSERT INTO topk_totals (id, documents, tokens, average_length) VALUES (1, 0, 0, 0);
      -- Notebooks whose FTS5 row the engine has not read yet: all of them after this upgrade, filled in the
      -- background once the server serves (FTS5's ranking answers until then).
      CREATE TABLE topk_fill_queue (seq INTEGER PRIMARY KEY);
      INSERT INTO topk_fill_queue (seq) SELECT rowid FROM notebook_search;
    `
  }
];
