/** One jest run for the whole monorepo; select a part with `--selectProjects core|server|e2e`. */
module.exports = {
  projects: ['<rootDir>/packages/core', '<rootDir>/packages/server', '<rootDir>/ui-tests']
};
