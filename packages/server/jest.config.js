/** Server tests run from source (core too, through moduleNameMapper), transpiled only; type checking is tsc's job. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];

module.exports = {
  displayName: 'server',
  testEnvironment: 'node',
  // Tests log users in (a real password hash each) and start apps; on a busy 2-core CI machine that takes longer
  // than jest's 5 s default. Hooks that do more set SETUP_TIMEOUT_MS (test/helpers/testGallery.ts) themselves.
  testTimeout: 30_000,
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': tsJest,
    // light-my-request (app.inject) requires cookie@2, which ships only as an ES module; jest needs CommonJS.
    '/node_modules/cookie/.+\\.js$': tsJest
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  moduleNameMapper: { '^@notebook-gallery/core$': '<rootDir>/../core/src' }
};
