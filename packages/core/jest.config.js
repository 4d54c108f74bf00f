/** Core unit tests run from source; type checking is `tsc -b`'s job. */
module.exports = {
  displayName: 'core',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' }
};
