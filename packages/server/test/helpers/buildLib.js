/*
 * Jest global setup of the server tests: builds the server's lib/ (and core's) with `tsc -b`, which does nothing when
 * they are current. It also names the run (see below). The tests run the TypeScript sources through ts-jest, but worker threads (the read pool's,
 * src/repositories/sqlite/readPool.ts) can only start compiled JavaScript, so they run lib/ and it must match src/.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  // Names this run for the PostgreSQL clusters its workers start, so the global teardown stops exactly those
  // (helpers/postgresProcess.js); workers inherit the environment of this process.
  process.env.GALLERY_TEST_RUN = `${process.pid}-${Date.now()}`;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', path.join(__dirname, '..', '..')], {
    stdio: 'inherit'
  });
};
