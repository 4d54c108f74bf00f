/**
 * Prints "<verb>: done/total repositories" on stderr about twenty times over a long run (and at the end), so an
 * administrator sees a command move without a line per notebook.
 */
export function progressPrinter(verb: string): (done: number, total: number) => void {
  let shown = 0;
  return (done, total) => {
    if (done === total || done - shown >= Math.max(1, Math.floor(total / 20))) {
      shown = done;
      process.stderr.write(`${verb}: ${done}/${total} repositories\n`);
    }
  };
}
