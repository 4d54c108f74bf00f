/** One jest run for the whole monorepo; select a part with `--selectProjects core|server|server-postgres|labextension|e2e`. */
module.exports = {
  projects: [
    '<rootDir>/packages/core',
    '<rootDir>/packages/server',
    '<rootDir>/packages/server/jest.postgres.config.js',
    '<rootDir>/packages/labextension',
    '<rootDir>/ui-tests'
  ]
};
