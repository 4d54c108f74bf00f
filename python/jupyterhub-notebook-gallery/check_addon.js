'use strict';
// node check_addon.js BETTER_SQLITE3_DIR: run with the packaged Node by scripts/lib.sh after better-sqlite3 is
// compiled for it, and by ui-tests/tests/hubWheel.test.ts in the installed wheel. The addon must load, answer, and
// survive V8 collecting thousands of statements between tasks, as a long-running server has it do: better-sqlite3
// 12 compiled against Node 24's headers (24.17, 24.19) aborts here within a second (`Assertion failed: (env) != nullptr` in
// node::RemoveEnvironmentCleanupHook, from Statement::~Statement; nodejs/node#65446), where a single query passes.
const Database = require(process.argv[2]);

const db = new Database(':memory:');
db.exec('CREATE TABLE t (x INTEGER)');
const BATCHES = 60;
const PER_BATCH = 2000;
let batch = 0;
function next() {
  for (let i = 0; i < PER_BATCH; i++) {
    // A new statement each time, left to the garbage collector, as `db.prepare(...).get()` in application code.
    db.prepare(`SELECT ${batch * PER_BATCH + i} + count(x) AS n FROM t`).get();
  }
  batch += 1;
  if (batch < BATCHES) {
    setTimeout(next, 2);
  } else {
    db.close();
    console.log(`better-sqlite3 ok on Node ${process.version} (${BATCHES * PER_BATCH} statements collected)`);
  }
}
next();
