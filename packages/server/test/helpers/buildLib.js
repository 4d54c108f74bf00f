/*
 * Jest global setup of the server tests: builds the server's lib/ (and core's) with `tsc -b`, which does nothing when
 * they are current. The tests run the TypeScript sources through ts-jest, but worker threads (the read pool's,
 * src/repositories/sqlite/readPool.ts) can only start compiled JavaScript, so they run lib/ and it must match src/.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', path.join(__dirname, '..', '..')], {
    stdio: 'inherit'
  });
};
