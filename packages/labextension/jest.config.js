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
  moduleNameMapper: { '^@notebook-gallery/core$': '<rootDir>/../core/src' },
  // The built extension (for the wheel) has a package.json of the same name; jest must not index it.
  modulePathIgnorePatterns: ['<rootDir>/jupyterlab_notebook_gallery/']
};
