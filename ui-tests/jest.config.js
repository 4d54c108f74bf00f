/** Browser end-to-end tests: real gallery server, real JupyterLab from .venv, Debian's Chromium. */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/support/timeout.ts']
};
