/**
 * Structure rules checked by `npm run lint` (scripts/check-structure.mjs adds the folder-level cycle check, which
 * dependency-cruiser's module-level rules cannot express).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules must not import each other in a circle; split the shared part out instead.',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'core-stays-pure',
      comment: 'core is shared with the browser: no Node built-ins, no server or extension code.',
      severity: 'error',
      from: { path: '^packages/core/src' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'sql-only-in-repositories',
      comment:
        'Only repositories and the composition root reach the database, so PostgreSQL can replace SQLite behind them.',
      severity: 'error',
      from: {
        path: '^packages/server/src',
        pathNot: '^packages/server/src/(repositories/|db/|compositionRoot\\.ts$|index\\.ts$)'
      },
      to: { path: '^(packages/server/src/db/|node_modules/better-sqlite3)' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' }
  }
};
