/**
 * The server's API tests again, against PostgreSQL: the same files as the `server` project's API, permission, page
 * and conversation tests, with every test gallery on a new database of a throwaway PostgreSQL cluster
 * (test/helpers/testGallery.ts reads GALLERY_TEST_DATABASE). Tests of SQLite itself (its files, query plans, the
 * read workers) stay in the `server` project only.
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
    '<rootDir>/test/pages/**/*.test.ts'
  ]
};
