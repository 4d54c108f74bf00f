/*
 * Test-only entry point: `node crashingServer.js POINT serve [options]` runs the real server (the compiled lib/)
 * with a save hook that kills it with SIGKILL, like a power cut, when a save reaches POINT (a SavePoint). Production
 * has no way to install this hook.
 */
const { serveCommand } = require('../../lib/cli/serveCommand');

const [point, command, ...args] = process.argv.slice(2);
if (command !== 'serve') {
  process.stderr.write('usage: node crashingServer.js POINT serve [options]\n');
  process.exit(2);
}
serveCommand(args, {
  saveHook: reached => {
    if (reached === point) {
      process.kill(process.pid, 'SIGKILL');
    }
  }
}).catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
