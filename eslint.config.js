// One lint setup for every package: typescript-eslint's recommended rules, formatting left to Prettier.
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/lib/**',
      '**/jupyterlab_notebook_gallery/labextension/**',
      '**/*.d.ts',
      'dist/**',
      '.venv*/**',
      'coverage/**',
      'ui-tests/artifacts/**'
    ]
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // The server's repositories and services are asynchronous: a dropped `await` on a write is a silent ordering
    // bug (the next statement runs before the write, outside its transaction), so these rules need type information.
    files: ['packages/server/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': 'error'
    }
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['**/test/**/*.ts', 'ui-tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  }
);
