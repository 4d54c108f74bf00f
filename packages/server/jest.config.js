/** Server tests run from source (core too, through moduleNameMapper), transpiled only; type checking is tsc's job. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];

module.exports = {
  displayName: 'server',
  testEnvironment: 'node',
  // Worker threads run the compiled lib/, so it is built (when stale) before the tests run the sources.
  globalSetup: '<rootDir>/test/helpers/buildLib.js',
  // Stops the PostgreSQL clusters the tests started (helpers/postgresCluster.ts).
  globalTeardown: '<rootDir>/test/helpers/postgresTeardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/timeouts.ts'],
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': tsJest },
  // The search evaluation's corpus loader (bench/) imports the server by its package name; tests use the source.
  moduleNameMapper: {
    '^@notebook-gallery/core$': '<rootDir>/../core/src',
    '^@notebook-gallery/server$': '<rootDir>/src'
  }
};
