/**
 * The server's API and service tests again, against PostgreSQL: every test gallery (startTestGallery, the hub-mode
 * apps, the galleries the CLI opens by their data directory) gets a new database of a throwaway PostgreSQL cluster
 * (test/helpers/testGallery.ts reads GALLERY_TEST_DATABASE). Tests of SQLite itself (its files, query plans, the read
 * workers, its migrations) and tests that open no database stay in the `server` project only; per file below.
 *
 * Left out of the directories listed in testMatch:
 * - test/hub/hubConfig.test.ts: configuration parsing, opens no database.
 * - test/hub/membershipSource.test.ts: SQLite's migration 4 on a SQLite file of schema 3.
 * - test/limits/storageFailure.test.ts: maps Node and better-sqlite3 error codes, opens no database.
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
    '<rootDir>/test/search/{hugeNotebookSearch,queryBudget,searchPermissions}.test.ts',
    '<rootDir>/test/secrets/secretCheckApi.test.ts',
    '<rootDir>/test/transfer/{exportRoundTrip,galleryExport,galleryExtras,gallerySource,importRoute}.test.ts',
    '<rootDir>/test/plugins/requestLogPlugin.test.ts'
  ]
};
