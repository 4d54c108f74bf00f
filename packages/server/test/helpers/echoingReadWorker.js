/*
 * A stand-in read worker for the read pool's tests (test/repositories/readPool.test.ts), speaking the pool's protocol
 * (src/repositories/sqlite/readPool.ts): `echo` answers its argument, `stall` blocks the thread for its argument in
 * milliseconds as a long SQLite statement would, and `fail` throws a gallery error.
 */
const { parentPort } = require('node:worker_threads');

parentPort.on('message', ({ id, method, args }) => {
  if (method === 'stall') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, args[0]);
  }
  if (method === 'fail') {
    parentPort.postMessage({
      id,
      error: {
        message: 'bad cursor',
        gallery: { code: 'INVALID_REQUEST', statusCode: 400, details: { field: 'cursor' } }
      }
    });
    return;
  }
  parentPort.postMessage({ id, result: args[0] });
});
