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
  }
];
