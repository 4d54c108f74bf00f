/**
 * Extension unit tests in jsdom. They cover the services (client, model, auth, save flow), which
 * import no JupyterLab runtime modules, so no ES-module transform of @jupyterlab/* is needed.
 */
module.exports = {
  displayName: 'labextension',
  testEnvironment: '<rootDir>/test/jsdomEnvironment.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  moduleNameMapper: { '^@notebook-gallery/core$': '<rootDir>/../core/src' }
};
