/**
 * The server's API and service tests again, against PostgreSQL: every test gallery (startTestGallery, the hub-mode
 * apps, the galleries the CLI opens by their data directory) gets a new database of a throwaway PostgreSQL cluster
 * (test/helpers/testGallery.ts reads GALLERY_TEST_DATABASE). Tests of SQLite itself (its files, query plans, the read
 * workers, its migrations) and tests that open no database stay in the `server` project only; per file below.
 *
 * Left out of the directories listed in testMatch, one line per file:
 * - test/hub/hubConfig.test.ts: configuration parsing, opens no database.
 * - test/hub/membershipSource.test.ts: SQLite's migration 4 on a SQLite file of schema 3.
 * - test/limits/storageFailure.test.ts: maps Node's, better-sqlite3's and pg's error codes, opens no database.
 * - test/health/healthScore.test.ts: the health arithmetic, opens no database.
 * - test/health/environment.test.ts: one of its two tests rolls SQLite's schema back to 7 for the upgrade backfill
 *   (not yet split from the API test beside it).
 * - test/similar/termVectors.test.ts: term extraction, opens no database.
 * - test/similar/similarityUpkeep.test.ts: SQLite's upgrade to schema 9 (rolled back with better-sqlite3) and its
 *   vectors; the vector recount on PostgreSQL runs in similarNotebooks and similarRanking.
 * - test/search/embeddingModel.test.ts: the tokenizer and model, opens no database.
 * - test/search/ftsQuery.test.ts: query parsing and FTS5 terms, opens no database.
 * - test/search/snippet.test.ts: snippets from text, opens no database.
 * - test/search/searchIndexUpkeep.test.ts: SQLite's FTS5 rows and its upgrade by schema rollback.
 * - test/search/searchOffEventLoop.test.ts: SQLite's read worker threads (PostgreSQL answers on its own server).
 * - test/secrets/fixturesHaveNoSecrets.test.ts: scans fixture files, opens no database.
 * - test/transfer/importCli.test.ts: not ported yet: its refusal beside a running server reads server.pid, which
 *   only a SQLite gallery writes, and its other cases run the CLI against the data directory alone.
 * - test/services/accountService.test.ts: the service over SQLite's account repositories with a clock the test
 *   moves; the same repositories on PostgreSQL are checked by test/contract/accounts.contract.test.ts.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  displayName: 'server-postgres',
  setupFiles: ['<rootDir>/test/helpers/onPostgres.js'],
  testMatch: [
    '<rootDir>/test/api/**/*.test.ts',
    '<rootDir>/test/permissions/**/*.test.ts',
    '<rootDir>/test/comments/**/*.test.ts',
    '<rootDir>/test/signals/**/*.test.ts',
    '<rootDir>/test/pages/**/*.test.ts',
    '<rootDir>/test/hub/{hubAuthenticator,hubGroupSync,hubOAuth}.test.ts',
    '<rootDir>/test/sso/oidcLogin.test.ts',
    '<rootDir>/test/limits/{forwardedFor,loginLockout,pageLoginLimits,slowBody,storageFailures,writeLimits}.test.ts',
    '<rootDir>/test/health/healthReports.test.ts',
    '<rootDir>/test/similar/{similarNotebooks,similarRanking}.test.ts',
    '<rootDir>/test/search/{hugeNotebookSearch,queryBudget,searchByMeaning,searchByMeaningGallery,searchPermissions,searchRelevance}.test.ts',
    '<rootDir>/test/secrets/{confirmationsSurviveRebuild,scanCommand,secretCheckApi}.test.ts',
    '<rootDir>/test/transfer/{archiveImport,exportRoundTrip,folderImport,galleryExport,galleryExtras,gallerySource,gitImport,importRoute}.test.ts',
    '<rootDir>/test/plugins/requestLogPlugin.test.ts'
  ]
};
