/**
 * Extension unit tests in jsdom: services, and widgets attached to the document. JupyterLab and its dependencies
 * ship ES modules, so ts-jest also compiles those (allowJs in test/tsconfig.json); jest caches the result.
 */
const esmPackages = [
  '@codemirror',
  '@jupyter',
  '@jupyterlab',
  '@lezer',
  '@lumino',
  '@microsoft',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
];

module.exports = {
  displayName: 'labextension',
  testEnvironment: '<rootDir>/test/jsdomEnvironment.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.[jt]sx?$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@notebook-gallery/core$': '<rootDir>/../core/src',
    '\\.(css|svg)$': '<rootDir>/test/styleStub.js'
  },
  // The built extension (for the wheel) has a package.json of the same name; jest must not index it.
  modulePathIgnorePatterns: ['<rootDir>/jupyterlab_notebook_gallery/']
};
